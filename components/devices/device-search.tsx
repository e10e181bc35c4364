"use client";

import { useQuery } from "@tanstack/react-query";
import { X } from "lucide-react";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { deviceTreeQueries } from "@/lib/queries/device-tree";
import type { SearchHitDto, SearchResultDto } from "@/lib/schemas/device-tree";
import { Button } from "@/components/ui/button";
import { SearchInput } from "@/components/ui/search-input";
import { SearchResults } from "./search-results";

/** Keeps the search in the address bar (?search=), as the registration page links to it. */
function writeSearchParam(q: string) {
  const params = new URLSearchParams(window.location.search);
  if (q) params.set("search", q);
  else params.delete("search");
  const text = params.toString().replaceAll("%2C", ",");
  window.history.replaceState(null, "", `${window.location.pathname}${text ? `?${text}` : ""}`);
}

/**
 * Finds a device among any number by name, id or external id (one BFF call; the identity look-up runs on the
 * server) and jumps into the tree on a click.
 */
export function DeviceSearch({
  initialQuery,
  onJump,
  actions,
  resultsAction,
}: {
  initialQuery: string;
  onJump: (hit: SearchHitDto) => void;
  /** Buttons shown at the end of the search row. */
  actions?: ReactNode;
  /** What can be done with the results as a whole (a bulk operation on them). */
  resultsAction?: (q: string, data: SearchResultDto) => ReactNode;
}) {
  const inputId = useId();
  const [text, setText] = useState(initialQuery);
  const [q, setQ] = useState(initialQuery.trim());
  const search = useQuery(deviceTreeQueries.search(q));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQ(text.trim());
    writeSearchParam(text.trim());
  };
  const clear = () => {
    setText("");
    setQ("");
    writeSearchParam("");
  };

  return (
    <div className="flex flex-col gap-2">
      <form role="search" aria-label="Devices" onSubmit={submit} className="flex flex-wrap items-end gap-2">
        <div className="flex min-w-56 flex-1 flex-col gap-1">
          <label htmlFor={inputId} className="text-sm font-medium text-slate-800 dark:text-slate-200">
            Find a device or group
          </label>
          <SearchInput
            id={inputId}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Name, id or external id (serial, IMEI)"
            maxLength={200}
          />
        </div>
        {/* Busy only while a new search has no answer yet: a live refetch in the background must never disable
            the button under the operator's click. */}
        <Button type="submit" variant="primary" loading={search.isLoading}>
          Search
        </Button>
        {q && (
          <Button onClick={clear} variant="ghost" aria-label="Clear search">
            <X className="size-4" aria-hidden="true" />
          </Button>
        )}
        {actions && <div className="ml-auto flex gap-2">{actions}</div>}
      </form>
      {q && (
        <SearchResults
          q={q}
          query={search}
          onJump={onJump}
          action={search.data && resultsAction?.(q, search.data)}
        />
      )}
    </div>
  );
}
