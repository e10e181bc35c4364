import type { RequestRow } from "./store.js";

export function requestSelf(baseUrl: string, id: string): string {
  return `${baseUrl}/devicecontrol/newDeviceRequests/${encodeURIComponent(id)}`;
}

/** The newDeviceRequest representation; securityToken is write-only and never shown. */
export function requestJson(baseUrl: string, tenant: string, row: RequestRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: row.id,
    status: row.status,
    self: requestSelf(baseUrl, row.id),
    owner: row.owner,
    tenantId: tenant,
    creationTime: row.creation_time,
    customProperties: JSON.parse(row.custom_properties) as unknown,
  };
  if (row.group_id !== null) out.groupId = row.group_id;
  if (row.type !== null) out.type = row.type;
  return out;
}
