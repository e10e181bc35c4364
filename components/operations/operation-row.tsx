"use client";

import { useQuery } from "@tanstack/react-query";
import { ChevronDown, ChevronRight } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { operationTypeLabel, type OperationDto, type StaleAfter } from "@/lib/schemas/operations";
import { operationQueries } from "@/lib/queries/operations";
import { RelativeTime } from "@/components/ui/relative-time";
import { Td, Tr } from "@/components/ui/table";
import { OperationActions } from "./operation-actions";
import { OperationTimeline } from "./operation-timeline";
import { OperationStatusBadge, StaleBadge } from "./status-badge";
import { staleTitle, staleness } from "./timeline-model";

/** One operation: status (and stale badge), what it does, the device, when, actions; the timeline below on demand. */
export function OperationRow({
  operation: op,
  staleAfter,
  now,
  showDevice,
  columns,
}: {
  operation: OperationDto;
  staleAfter: StaleAfter;
  now: number;
  showDevice: boolean;
  columns: number;
}) {
  const [open, setOpen] = useState(false);
  // The history, when a timeline has fetched it, dates the current status exactly; the row never fetches it.
  const { data: history } = useQuery({ ...operationQueries.history(op.id), enabled: false });
  const stale = staleness(op, staleAfter, now, history);
  const detailsId = `operation-${op.id}-details`;
  const title = operationTypeLabel(op.type);
  return (
    <>
      <Tr data-operation-id={op.id} data-status={op.status}>
        <Td className="w-10 pr-0">
          <button
            type="button"
            onClick={() => setOpen((v) => !v)}
            aria-expanded={open}
            aria-controls={detailsId}
            aria-label={`${open ? "Hide" : "Show"} details of operation ${op.id}`}
            className="rounded p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-800 dark:hover:bg-slate-800 dark:hover:text-slate-200"
          >
            {open ? (
              <ChevronDown className="size-4" aria-hidden="true" />
            ) : (
              <ChevronRight className="size-4" aria-hidden="true" />
            )}
          </button>
        </Td>
        <Td>
          <div className="flex flex-wrap items-center gap-1.5">
            <OperationStatusBadge status={op.status} />
            {stale && <StaleBadge title={staleTitle(op, stale)} />}
          </div>
        </Td>
        <Td className="max-w-md">
          <div className="font-medium text-slate-900 dark:text-slate-100">{title}</div>
          {op.description && op.description !== title && (
            <div className="truncate text-xs text-slate-600 dark:text-slate-400" title={op.description}>
              {op.description}
            </div>
          )}
          {op.status === "FAILED" && op.failureReason && (
            <div className="line-clamp-2 text-xs text-red-700 dark:text-red-400" title={op.failureReason}>
              {op.failureReason}
            </div>
          )}
        </Td>
        {showDevice && (
          <Td>
            <Link
              href={`/devices/${encodeURIComponent(op.deviceId)}?tab=operations`}
              className="text-accent-700 hover:underline dark:text-accent-300"
            >
              {op.deviceName ?? op.deviceId}
            </Link>
          </Td>
        )}
        <Td className="whitespace-nowrap text-slate-600 dark:text-slate-400">
          <RelativeTime iso={op.creationTime} />
          <div className="text-xs text-slate-500">#{op.id}</div>
        </Td>
        <Td className="text-right">
          <OperationActions operation={op} />
        </Td>
      </Tr>
      {open && (
        <tr id={detailsId} className="bg-slate-50/60 dark:bg-slate-900/40">
          <td colSpan={columns} className="px-6 py-4">
            <OperationTimeline operation={op} />
          </td>
        </tr>
      )}
    </>
  );
}
