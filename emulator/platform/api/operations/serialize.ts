import type { ExternalIdRow } from "../identity/store.js";
import { renderExternalId } from "../identity/serialize.js";
import type { OperationListRow, OperationRow } from "./store.js";

export const operationSelf = (baseUrl: string, id: number | string) =>
  `${baseUrl}/devicecontrol/operations/${id}`;

/**
 * The representation, in REST answers and in events alike. `agentId` (the agent the operation was routed to) is
 * what agent notifications carry; it is absent for a device without an agent above it (§0a).
 */
export function operationJson(baseUrl: string, row: OperationRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: String(row.id),
    self: operationSelf(baseUrl, row.id),
    creationTime: row.creation_time,
    deviceId: String(row.device_id),
  };
  if (row.agent_id !== null) out.agentId = String(row.agent_id);
  out.status = row.status;
  if (row.failure_reason !== null) out.failureReason = row.failure_reason;
  if (row.bulk_operation_id !== null) out.bulkOperationId = row.bulk_operation_id;
  out.delivery = JSON.parse(row.delivery) as unknown;
  // Spread defines own properties: a "__proto__" fragment stays an ordinary key.
  return { ...out, ...(JSON.parse(row.fragments) as Record<string, unknown>) };
}

/**
 * A list item: the operation plus `deviceName` (when the device has a name) and, when the list was asked for by
 * agentId, the device's external ids.
 */
export function operationListItemJson(
  baseUrl: string,
  row: OperationListRow,
  externalIds: ExternalIdRow[] | undefined,
): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  if (row.device_name !== null) extra.deviceName = row.device_name;
  if (externalIds) {
    extra.deviceExternalIDs = {
      self: `${baseUrl}/identity/globalIds/${row.device_id}/externalIds`,
      externalIds: externalIds.map((x) => renderExternalId(baseUrl, x)),
    };
  }
  return { ...operationJson(baseUrl, row), ...extra };
}
