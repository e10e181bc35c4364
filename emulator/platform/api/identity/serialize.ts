import type { ExternalIdRow } from "./store.js";

export function externalIdSelf(baseUrl: string, type: string, externalId: string): string {
  return `${baseUrl}/identity/externalIds/${encodeURIComponent(type)}/${encodeURIComponent(externalId)}`;
}

export function renderExternalId(baseUrl: string, row: ExternalIdRow): Record<string, unknown> {
  return {
    externalId: row.external_id,
    type: row.type,
    self: externalIdSelf(baseUrl, row.type, row.external_id),
    managedObject: {
      id: String(row.mo_id),
      self: `${baseUrl}/inventory/managedObjects/${row.mo_id}`,
    },
  };
}
