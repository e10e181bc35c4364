import type { AuditRow } from "./store.js";

/** The fragment real records name the device with (docs/platform-fleet.md §2). */
export const SOURCE_DEVICE = "com_cumulocity_model_event_AuditSourceDevice";

export const auditSelf = (baseUrl: string, id: number | string) => `${baseUrl}/audit/auditRecords/${id}`;

/**
 * The audit record representation. `source.self` points into the inventory as for every source, even when the
 * source is an operation (the vendor's records carry such a link; no source says where it points).
 */
export function auditRecordJson(baseUrl: string, row: AuditRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: String(row.id),
    self: auditSelf(baseUrl, row.id),
    type: row.type,
    time: row.time,
    creationTime: row.creation_time,
    source: {
      id: row.source_id,
      self: `${baseUrl}/inventory/managedObjects/${encodeURIComponent(row.source_id)}`,
    },
  };
  if (row.device_id !== null) out[SOURCE_DEVICE] = { id: String(row.device_id) };
  if (row.username !== null) out.user = row.username;
  if (row.application !== null) out.application = row.application;
  out.activity = row.activity;
  out.text = row.text;
  out.severity = row.severity;
  if (row.changes !== null) out.changes = JSON.parse(row.changes) as unknown;
  // Spread defines own properties: a "__proto__" fragment stays an ordinary key.
  return { ...out, ...(JSON.parse(row.fragments) as Record<string, unknown>) };
}
