"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { CornerDownRight } from "lucide-react";
import type { SearchHitDto, SearchResultDto } from "@/lib/schemas/device-tree";
import { Spinner } from "@/components/ui/spinner";
import { ConnectionBadge } from "./connection-badge";
import { KIND_LABEL, NodeKindIcon, displayName } from "./node-kind";

function matchText(hit: SearchHitDto): string {
  if (hit.match === "id") return "matches the id";
  if (hit.match === "externalId" && hit.externalId) return `${hit.externalId.type} ${hit.externalId.value}`;
  return "name matches";
}

/** The hits of a search; each jumps to its place in the tree. The status line is announced as it changes. */
export function SearchResults({
  q,
  query,
  onJump,
  action,
}: {
  q: string;
  query: UseQueryResult<SearchResultDto>;
  onJump: (hit: SearchHitDto) => void;
  /** Shown beside the status line once there are results (e.g. "Run on these N results"). */
  action?: ReactNode;
}) {
  const items = query.data?.items ?? [];
  const status = query.isPending
    ? `Searching for “${q}”…`
    : query.isError
      ? `The search failed: ${query.error.message}`
      : items.length === 0
        ? `Nothing found for “${q}”. Try a part of the name, the serial number, or the numeric id.`
        : `${items.length}${query.data?.moreByName ? "+" : ""} found for “${q}”${query.data?.moreByName ? ": type more to narrow the names down" : ""}.`;
  return (
    <div className="rounded-md border border-slate-200 dark:border-slate-800">
      <div className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
        <p role="status" className="flex items-center gap-2 text-sm text-slate-700 dark:text-slate-300">
          {query.isPending && <Spinner size="sm" />}
          {status}
        </p>
        {items.length > 0 && action}
      </div>
      {items.length > 0 && (
        <ul
          aria-label={`Results for ${q}`}
          className="max-h-56 divide-y divide-slate-200 overflow-auto border-t border-slate-200 dark:divide-slate-800 dark:border-slate-800"
        >
          {items.map((hit) => (
            <li key={hit.id}>
              <button
                type="button"
                onClick={() => onJump(hit)}
                className="flex w-full items-center gap-2 px-3 py-1.5 text-left text-sm hover:bg-slate-50 dark:hover:bg-slate-800/60"
              >
                <NodeKindIcon kind={hit.kind} />
                <span className="min-w-0 truncate font-medium text-slate-900 dark:text-slate-100">
                  {displayName(hit)}
                </span>
                <span className="shrink-0 text-xs text-slate-600 dark:text-slate-400">
                  {KIND_LABEL[hit.kind]} · {matchText(hit)}
                </span>
                <ConnectionBadge connection={hit.connection} />
                <span className="ml-auto flex shrink-0 items-center gap-1 text-xs text-accent-700 dark:text-accent-300">
                  <CornerDownRight className="size-3.5" aria-hidden="true" />
                  Show in tree
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
