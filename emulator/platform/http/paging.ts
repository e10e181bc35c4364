import { PlatformError } from "./errors.js";

export interface Paging {
  pageSize: number;
  currentPage: number;
  offset: number;
  withTotalPages: boolean;
  withTotalElements: boolean;
}

export const DEFAULT_PAGE_SIZE = 5;
export const MAX_PAGE_SIZE = 2000;

function positiveInt(query: URLSearchParams, name: string, resource: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  if (!/^\d{1,9}$/.test(raw))
    throw new PlatformError(422, `${resource}/Invalid Data`, `Invalid value for ${name}: '${raw}'`);
  return Number(raw);
}

export function parseBool(query: URLSearchParams, name: string, resource: string): boolean {
  const raw = query.get(name);
  if (raw === null || raw === "") return false;
  const v = raw.toLowerCase();
  if (v === "true") return true;
  if (v === "false") return false;
  throw new PlatformError(422, `${resource}/Invalid Data`, `Invalid boolean value for ${name}: '${raw}'`);
}

/** Paging as the platform does it: default 5, larger sizes silently trimmed to 2000 (docs/platform-api.md §2.5). */
export function parsePaging(query: URLSearchParams, resource: string): Paging {
  const size = positiveInt(query, "pageSize", resource);
  const page = positiveInt(query, "currentPage", resource);
  const pageSize = size === undefined || size < 1 ? DEFAULT_PAGE_SIZE : Math.min(size, MAX_PAGE_SIZE);
  const currentPage = page === undefined || page < 1 ? 1 : page;
  return {
    pageSize,
    currentPage,
    offset: (currentPage - 1) * pageSize,
    withTotalPages: parseBool(query, "withTotalPages", resource),
    withTotalElements: parseBool(query, "withTotalElements", resource),
  };
}

export interface PageEnvelope {
  self: string;
  next?: string;
  prev?: string;
  statistics: { currentPage: number; pageSize: number; totalPages?: number; totalElements?: number };
}

/**
 * The envelope of a collection page. `next` is always present (the platform emits it even on short pages, so it
 * is not a "more data" signal); `prev` only from page 2. Links echo the original query plus paging.
 */
export function pageEnvelope(
  baseUrl: string,
  path: string,
  query: URLSearchParams,
  paging: Paging,
  total?: number,
): PageEnvelope {
  const link = (page: number) => {
    const q = new URLSearchParams(query);
    q.set("pageSize", String(paging.pageSize));
    q.set("currentPage", String(page));
    return `${baseUrl}${path}?${q.toString()}`;
  };
  const statistics: PageEnvelope["statistics"] = {
    currentPage: paging.currentPage,
    pageSize: paging.pageSize,
  };
  if (paging.withTotalPages && total !== undefined)
    statistics.totalPages = Math.ceil(total / paging.pageSize);
  if (paging.withTotalElements && total !== undefined) statistics.totalElements = total;
  const env: PageEnvelope = {
    self: link(paging.currentPage),
    next: link(paging.currentPage + 1),
    statistics,
  };
  if (paging.currentPage > 1) env.prev = link(paging.currentPage - 1);
  return env;
}
