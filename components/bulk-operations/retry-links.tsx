"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { bulkQueries } from "@/lib/queries/bulk-operations";
import type { BulkOperationDto } from "@/lib/schemas/bulk-operations";
import { BulkStatusBadge } from "./bulk-status-badge";

const linkClass = "font-medium text-accent-700 hover:underline dark:text-accent-300";

/** "Retry of #id" for a retry, and the retries made of this one (found by reading the list, see the service). */
export function RetryLinks({ bulk }: { bulk: BulkOperationDto }) {
  const retries = useQuery(bulkQueries.retries(bulk.id));
  const items = retries.data?.items ?? [];
  return (
    <div className="flex flex-col gap-2 text-sm">
      {bulk.retryOf && (
        <p>
          Retry of{" "}
          <Link href={`/operations/bulk/${encodeURIComponent(bulk.retryOf.id)}`} className={linkClass}>
            bulk operation #{bulk.retryOf.id}
          </Link>
          {bulk.retryOf.reason !== null
            ? `: devices that failed with “${bulk.retryOf.reason}”`
            : ": all failed devices"}
        </p>
      )}
      {items.length > 0 && (
        <div>
          <p className="text-slate-600 dark:text-slate-400">Retries of this bulk operation:</p>
          <ul className="mt-1 flex flex-col gap-1" aria-label="Retries">
            {items.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center gap-2">
                <Link href={`/operations/bulk/${encodeURIComponent(r.id)}`} className={linkClass}>
                  #{r.id}
                </Link>
                <span className="text-slate-600 dark:text-slate-400">
                  {r.retryOf?.reason ?? "all failed devices"}
                </span>
                <BulkStatusBadge status={r.generalStatus} />
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
