import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import {
  candidateListDtoSchema,
  childListDtoSchema,
  deviceDtoSchema,
  externalIdDtoSchema,
  externalIdListDtoSchema,
  linkChildResultSchema,
  type ChildKind,
  type ChildListQuery,
  type DeleteDeviceOptions,
  type DeviceDto,
  type ExternalIdInput,
} from "@/lib/schemas/device";
import { apiFetch } from "./api-client";

const enc = encodeURIComponent;
const base = (id: string) => `/api/devices/${enc(id)}`;

/** Query keys only from here (docs/style.md rule 7); everything a fetcher reads is in its key. */
export const deviceKeys = {
  all: ["device"] as const,
  /** Everything about one object: what a delete or a relink invalidates. */
  one: (id: string) => [...deviceKeys.all, id] as const,
  detail: (id: string) => [...deviceKeys.one(id), "detail"] as const,
  identity: (id: string) => [...deviceKeys.one(id), "identity"] as const,
  childLists: (id: string) => [...deviceKeys.one(id), "children"] as const,
  children: (id: string, query: ChildListQuery) => [...deviceKeys.childLists(id), query] as const,
  candidates: (id: string, q: string) => [...deviceKeys.one(id), "candidates", q] as const,
};

export function fetchDevice(id: string, signal?: AbortSignal): Promise<DeviceDto> {
  return apiFetch(base(id), { schema: deviceDtoSchema, signal });
}

export const deviceQueries = {
  detail: (id: string) =>
    queryOptions({
      queryKey: deviceKeys.detail(id),
      queryFn: ({ signal }) => fetchDevice(id, signal),
      // Agents update their fragments now and then; the page shows fresh data without being a live view.
      staleTime: 10_000,
    }),
  identity: (id: string) =>
    queryOptions({
      queryKey: deviceKeys.identity(id),
      queryFn: ({ signal }) => apiFetch(`${base(id)}/identity`, { schema: externalIdListDtoSchema, signal }),
    }),
  children: (id: string, query: ChildListQuery) =>
    queryOptions({
      queryKey: deviceKeys.children(id, query),
      queryFn: ({ signal }) => {
        const params = new URLSearchParams({
          kind: query.kind,
          page: String(query.page),
          pageSize: String(query.pageSize),
        });
        return apiFetch(`${base(id)}/children?${params.toString()}`, { schema: childListDtoSchema, signal });
      },
      placeholderData: keepPreviousData,
    }),
  candidates: (id: string, q: string) =>
    queryOptions({
      queryKey: deviceKeys.candidates(id, q),
      queryFn: ({ signal }) =>
        apiFetch(`${base(id)}/candidates?${new URLSearchParams({ q }).toString()}`, {
          schema: candidateListDtoSchema,
          signal,
        }),
      enabled: q.trim() !== "",
      staleTime: 10_000,
      placeholderData: keepPreviousData,
    }),
};

// Mutations (callers invalidate by key).

/** PUT of the changed keys against the version they were made on; a conflict is an BffError with code conflict. */
export function saveDeviceChanges(
  id: string,
  request: { expectedLastUpdated: string; changes: Record<string, unknown>; force?: boolean },
): Promise<DeviceDto> {
  return apiFetch(base(id), { method: "PUT", body: request, schema: deviceDtoSchema });
}

export function deleteDevice(id: string, options: DeleteDeviceOptions): Promise<void> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(options)) if (value) params.set(key, "true");
  const query = params.toString();
  return apiFetch<void>(`${base(id)}${query ? `?${query}` : ""}`, { method: "DELETE" });
}

export function addExternalId(id: string, input: ExternalIdInput) {
  return apiFetch(`${base(id)}/identity`, { method: "POST", body: input, schema: externalIdDtoSchema });
}

export function removeExternalId(id: string, input: ExternalIdInput): Promise<void> {
  return apiFetch<void>(`${base(id)}/identity`, { method: "DELETE", body: input });
}

export function linkChild(id: string, kind: ChildKind, childId: string) {
  return apiFetch(`${base(id)}/children`, {
    method: "POST",
    body: { kind, childId },
    schema: linkChildResultSchema,
  });
}

export function unlinkChild(id: string, kind: ChildKind, childId: string): Promise<void> {
  return apiFetch<void>(`${base(id)}/children/${enc(childId)}?kind=${kind}`, { method: "DELETE" });
}
