"use client";

import { Check, RotateCcw, Trash2 } from "lucide-react";
import Link from "next/link";
import type { RegistrationDto } from "@/lib/schemas/registrations";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { RelativeTime } from "@/components/ui/relative-time";
import { Td, Tr } from "@/components/ui/table";
import { RegistrationStatusBadge } from "./registration-status-badge";

export type RowAction = "remove" | "reset";

/** Where an accepted request leads: its device page when the BFF found the device, else a device search. */
export function deviceHref(row: RegistrationDto): string {
  return row.deviceId
    ? `/devices/${encodeURIComponent(row.deviceId)}`
    : `/devices?search=${encodeURIComponent(row.id)}`;
}

export function RegistrationRow({
  row,
  canAdmin,
  selected,
  onSelect,
  accepting,
  onAccept,
  onAction,
}: {
  row: RegistrationDto;
  canAdmin: boolean;
  selected: boolean;
  onSelect: (id: string, selected: boolean) => void;
  accepting: boolean;
  onAccept: (id: string) => void;
  onAction: (row: RegistrationDto, action: RowAction) => void;
}) {
  const pending = row.status === "PENDING_ACCEPTANCE";
  return (
    <Tr>
      {canAdmin && (
        <Td className="w-10">
          {pending && (
            <Checkbox
              checked={selected}
              onChange={(e) => onSelect(row.id, e.target.checked)}
              aria-label={`Select ${row.id}`}
            />
          )}
        </Td>
      )}
      <Td className="font-mono text-[13px] break-all">
        {row.status === "ACCEPTED" ? (
          <Link
            href={deviceHref(row)}
            className="text-accent-700 underline-offset-2 hover:underline dark:text-accent-300"
            title="Open the device"
          >
            {row.id}
          </Link>
        ) : (
          row.id
        )}
      </Td>
      <Td>
        <RegistrationStatusBadge status={row.status} />
      </Td>
      <Td className="whitespace-nowrap text-slate-600 dark:text-slate-400">
        {row.creationTime ? <RelativeTime iso={row.creationTime} /> : "unknown"}
      </Td>
      <Td className="max-w-48 truncate text-slate-600 dark:text-slate-400">{row.owner ?? "–"}</Td>
      {canAdmin && (
        <Td>
          <div className="flex justify-end gap-1">
            {pending && (
              <Button
                size="sm"
                variant="primary"
                onClick={() => onAccept(row.id)}
                loading={accepting}
                aria-label={`Accept ${row.id}`}
              >
                {!accepting && <Check className="size-4" aria-hidden="true" />}
                Accept
              </Button>
            )}
            {row.status === "BLOCKED" && (
              <Button size="sm" onClick={() => onAction(row, "reset")} aria-label={`Reset ${row.id}`}>
                <RotateCcw className="size-4" aria-hidden="true" />
                Reset
              </Button>
            )}
            <Button
              size="sm"
              variant="ghost"
              onClick={() => onAction(row, "remove")}
              aria-label={`Remove registration ${row.id}`}
            >
              <Trash2 className="size-4" aria-hidden="true" />
              Remove
            </Button>
          </div>
        </Td>
      )}
    </Tr>
  );
}
