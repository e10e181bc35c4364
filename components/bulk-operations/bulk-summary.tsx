import type { BulkOperationDto } from "@/lib/schemas/bulk-operations";
import { operationTypeLabel } from "@/lib/schemas/operations";
import { BulkProgress } from "./bulk-progress";
import { BulkStatusBadge } from "./bulk-status-badge";
import { DateTime } from "./date-time";

/** Status, live progress with the counts per status, and the schedule of one bulk operation. */
export function BulkSummary({ bulk }: { bulk: BulkOperationDto }) {
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <BulkStatusBadge status={bulk.generalStatus} />
        <span className="font-medium text-slate-900 dark:text-slate-100">
          {bulk.description ?? operationTypeLabel(bulk.type)}
        </span>
      </div>
      <BulkProgress progress={bulk.progress} label={`Progress of bulk operation ${bulk.id}`} />
      <dl className="grid grid-cols-1 gap-3 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-slate-600 dark:text-slate-400">Start</dt>
          <dd className="font-medium text-slate-900 dark:text-slate-100">
            <DateTime iso={bulk.startDate} />
          </dd>
        </div>
        <div>
          <dt className="text-slate-600 dark:text-slate-400">Delay between devices</dt>
          <dd className="font-medium text-slate-900 dark:text-slate-100">{bulk.creationRamp} s</dd>
        </div>
        <div>
          <dt className="text-slate-600 dark:text-slate-400">Estimated end of creation</dt>
          <dd className="font-medium text-slate-900 dark:text-slate-100">
            <DateTime iso={bulk.estimatedEnd} />
          </dd>
        </div>
      </dl>
      {bulk.note && <p className="text-sm text-slate-600 dark:text-slate-400">Note: {bulk.note}</p>}
    </div>
  );
}
