import Link from "next/link";
import type { BulkOperationDto } from "@/lib/schemas/bulk-operations";
import { operationTypeLabel } from "@/lib/schemas/operations";
import { Td, Tr } from "@/components/ui/table";
import { BulkProgress } from "./bulk-progress";
import { BulkStatusBadge } from "./bulk-status-badge";
import { DateTime } from "./date-time";

/** One bulk operation: status, id, description, progress with the four counts, start and estimated end. */
export function BulkRow({ bulk }: { bulk: BulkOperationDto }) {
  const title = bulk.description ?? operationTypeLabel(bulk.type);
  return (
    <Tr data-bulk-id={bulk.id}>
      <Td>
        <BulkStatusBadge status={bulk.generalStatus} />
      </Td>
      <Td className="tabular-nums">
        <Link
          href={`/operations/bulk/${encodeURIComponent(bulk.id)}`}
          className="font-medium text-accent-700 underline-offset-2 hover:underline dark:text-accent-300"
        >
          #{bulk.id}
          <span className="sr-only">: {title}</span>
        </Link>
      </Td>
      <Td>
        <div className="font-medium text-slate-900 dark:text-slate-100">{title}</div>
        {bulk.retryOf && (
          <div className="text-xs text-slate-600 dark:text-slate-400">Retry of #{bulk.retryOf.id}</div>
        )}
      </Td>
      <Td>
        <BulkProgress progress={bulk.progress} label={`Progress of bulk operation ${bulk.id}`} compact />
      </Td>
      <Td>
        <DateTime iso={bulk.startDate} />
      </Td>
      <Td>
        <DateTime iso={bulk.estimatedEnd} />
      </Td>
    </Tr>
  );
}
