import type { BulkRow } from "./store.js";

export const bulkSelf = (baseUrl: string, id: number | string) =>
  `${baseUrl}/devicecontrol/bulkoperations/${id}`;

/** The representation, in REST answers and notifications alike (docs/platform-fleet.md §1). */
export function bulkOperationJson(baseUrl: string, row: BulkRow): Record<string, unknown> {
  const out: Record<string, unknown> = { id: String(row.id), self: bulkSelf(baseUrl, row.id) };
  if (row.group_id !== null) out.groupId = String(row.group_id);
  if (row.failed_parent_id !== null) out.failedParentId = String(row.failed_parent_id);
  out.startDate = row.start_date;
  out.creationRamp = row.creation_ramp;
  out.operationPrototype = JSON.parse(row.prototype) as unknown;
  if (row.note !== null) out.note = row.note;
  out.status = row.status;
  out.generalStatus = row.general_status;
  out.progress = {
    pending: row.pending,
    executing: row.executing,
    successful: row.successful,
    failed: row.failed,
    all: row.total,
  };
  return out;
}
