"use client";

import { useQuery } from "@tanstack/react-query";
import {
  Download,
  FileCog,
  Package,
  Power,
  SquareTerminal,
  TriangleAlert,
  type LucideIcon,
} from "lucide-react";
import { useState } from "react";
import { operationQueries } from "@/lib/queries/operations";
import { KIND_LABELS, type OperationKind } from "@/lib/schemas/operations";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/error-state";
import { Skeleton } from "@/components/ui/skeleton";
import { useSessionUser } from "@/components/shell/session-user-provider";
import { SendOperationDialog } from "./send-operation-dialog";

const ICONS: Record<OperationKind, LucideIcon> = {
  restart: Power,
  configuration: FileCog,
  software: Package,
  firmware: Download,
  shell: SquareTerminal,
};

/**
 * The operations a device offers (its c8y_SupportedOperations), one button each; the others are explained and can
 * still be sent after a warning. Also says which agent will carry them out, or that there is none.
 */
export function SendOperationPanel({ deviceId }: { deviceId: string }) {
  const canAdmin = useSessionUser().can.adminOperations;
  const context = useQuery({ ...operationQueries.context(deviceId), enabled: canAdmin });
  const [kind, setKind] = useState<OperationKind | null>(null);
  if (!canAdmin)
    return (
      <p className="mb-4 rounded-md border border-slate-200 bg-white px-4 py-3 text-sm text-slate-700 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300">
        You can follow this device&apos;s operations here. Sending operations needs the device control admin
        role.
      </p>
    );
  const ctx = context.data;
  const supported = ctx?.offers.filter((o) => o.supported) ?? [];
  const unsupported = ctx?.offers.filter((o) => !o.supported) ?? [];
  return (
    <Card className="mb-4" aria-labelledby="send-operation-title">
      <CardHeader
        titleId="send-operation-title"
        title="Send an operation"
        description={
          ctx?.agent
            ? ctx.agent.isSelf
              ? "This device is an agent: it carries out its operations itself."
              : `Carried out by its agent ${ctx.agent.name ?? ctx.agent.id}.`
            : "Offered from the operations the device says it supports."
        }
      />
      <CardBody className="flex flex-col gap-3">
        {context.isPending ? (
          <div className="flex gap-2">
            <Skeleton className="h-9 w-28" />
            <Skeleton className="h-9 w-32" />
            <Skeleton className="h-9 w-28" />
          </div>
        ) : context.isError ? (
          <ErrorState
            error={context.error}
            title="What this device supports could not be loaded"
            onRetry={() => void context.refetch()}
            className="py-4"
          />
        ) : (
          <>
            {ctx?.agent === null && (
              <p
                role="note"
                className="flex gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100"
              >
                <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
                No agent above this device: none of it or its parents carries com_cumulocity_model_Agent, so
                nothing would pick an operation up and it would stay Pending.
              </p>
            )}
            {supported.length > 0 ? (
              <div className="flex flex-wrap gap-2">
                {supported.map((o) => {
                  const Icon = ICONS[o.kind];
                  return (
                    <Button key={o.kind} onClick={() => setKind(o.kind)} title={o.fragment}>
                      <Icon className="size-4" aria-hidden="true" />
                      {KIND_LABELS[o.kind]}
                    </Button>
                  );
                })}
              </div>
            ) : (
              <p className="text-sm text-slate-700 dark:text-slate-300">
                The device lists none of the operations this console sends (c8y_SupportedOperations:{" "}
                {ctx?.supportedOperations.join(", ") || "empty"}).
              </p>
            )}
            {unsupported.length > 0 && (
              <div className="text-sm text-slate-600 dark:text-slate-400">
                <p>Not supported by this device (not in its c8y_SupportedOperations):</p>
                <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
                  {unsupported.map((o) => (
                    <li key={o.kind} className="flex items-center gap-1">
                      {KIND_LABELS[o.kind]} <span className="font-mono text-xs">({o.fragment})</span>
                      <Button size="sm" variant="ghost" onClick={() => setKind(o.kind)}>
                        Send <span className="sr-only">{KIND_LABELS[o.kind]} </span>anyway…
                      </Button>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </>
        )}
      </CardBody>
      {ctx && <SendOperationDialog kind={kind} context={ctx} onClose={() => setKind(null)} />}
    </Card>
  );
}
