"use client";

import Link from "next/link";
import { useState } from "react";
import { fitsOneSelection } from "@/lib/schemas/bulk-create";
import type { FailureGroup } from "@/lib/schemas/bulk-operations";
import { Button } from "@/components/ui/button";
import { ActionButton, NO_ADMIN_ROLE } from "./action-button";

/** Devices listed before "Show all": a group of 1,000 stays readable. */
const SHOWN = 20;

/**
 * Why "Retry these" cannot be used, or null: the role, or a group too large for the one hidden selection group a
 * retry of some devices needs (docs/bulk-operations-ui.md); the platform's own retry of all failed has no bound.
 */
export function whyNotRetry(group: FailureGroup, admin: boolean): string | null {
  if (!admin) return NO_ADMIN_ROLE;
  if (!fitsOneSelection(group.devices.map((d) => d.id)))
    return `${group.count} devices are too many for one selection: “Retry all failed” retries them with the rest.`;
  return null;
}

/** One failure reason: how many devices, which ones, and "Retry these". */
export function FailureGroupCard({
  group,
  unavailable,
  onRetry,
}: {
  group: FailureGroup;
  unavailable: string | null;
  onRetry: () => void;
}) {
  const [all, setAll] = useState(false);
  const reason = group.reason || "No failure reason given";
  const devices = all ? group.devices : group.devices.slice(0, SHOWN);
  return (
    <li
      className="rounded-md border border-slate-200 p-4 dark:border-slate-800"
      data-failure-reason={group.reason}
      aria-label={`${reason}: ${group.count} devices`}
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="font-medium break-words text-slate-900 dark:text-slate-100">{reason}</p>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            <span data-count="devices">{group.count}</span> device{group.count === 1 ? "" : "s"}
          </p>
        </div>
        <ActionButton unavailable={unavailable} onClick={onRetry}>
          Retry these<span className="sr-only"> {group.count} devices</span>
        </ActionButton>
      </div>
      <ul className="mt-3 flex flex-wrap gap-x-3 gap-y-1 text-sm">
        {devices.map((d) => (
          <li key={d.id}>
            <Link
              href={`/devices/${encodeURIComponent(d.id)}`}
              className="text-accent-700 hover:underline dark:text-accent-300"
            >
              {d.name ?? `Device ${d.id}`}
            </Link>
          </li>
        ))}
      </ul>
      {group.devices.length > SHOWN && (
        <Button size="sm" variant="ghost" className="mt-2" onClick={() => setAll(!all)}>
          {all ? "Show fewer" : `Show all ${group.devices.length}`}
        </Button>
      )}
    </li>
  );
}
