"use client";

import { useEffect, useId, useState } from "react";
import type {
  RegistrationListDto,
  RegistrationListQuery,
  RegistrationStatus,
} from "@/lib/schemas/registrations";
import { SearchInput } from "@/components/ui/search-input";
import { Select } from "@/components/ui/select";
import { Tabs, type TabItem } from "@/components/ui/tabs";
import { REGISTRATION_STATUSES, statusLabel } from "./status";

export const LIST_PANEL_ID = "registrations";
type StatusFilter = RegistrationStatus | "ALL";

/** Status tabs with counts, a search by id and the age sort. */
export function RegistrationFilters({
  query,
  counts,
  onChange,
}: {
  query: RegistrationListQuery;
  counts: RegistrationListDto["counts"] | undefined;
  onChange: (patch: Partial<RegistrationListQuery>, options?: { replace?: boolean }) => void;
}) {
  const searchId = useId();
  const sortId = useId();
  const [text, setText] = useState(query.search ?? "");
  // Back/forward or a link changed the search: show it, unless it is just what is being typed.
  const [seen, setSeen] = useState(query.search);
  if (seen !== query.search) {
    setSeen(query.search);
    if ((query.search ?? "") !== text.trim()) setText(query.search ?? "");
  }

  // Typing settles for a moment before the list is asked again; the URL entry is replaced, not stacked.
  useEffect(() => {
    if (text.trim() === (query.search ?? "")) return;
    const timer = setTimeout(() => onChange({ search: text.trim() || undefined }, { replace: true }), 300);
    return () => clearTimeout(timer);
  }, [text, query.search, onChange]);

  const total = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : undefined;
  const items: TabItem<StatusFilter>[] = [
    { value: "ALL", label: "All", count: total },
    ...REGISTRATION_STATUSES.map((s) => ({ value: s, label: statusLabel(s), count: counts?.[s] })),
  ];
  return (
    <div className="flex flex-col gap-3 px-4 pt-3">
      <Tabs
        items={items}
        value={query.status ?? "ALL"}
        onChange={(v) => onChange({ status: v === "ALL" ? undefined : v })}
        label="Filter by status"
        idBase={LIST_PANEL_ID}
      />
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex min-w-56 flex-1 flex-col gap-1">
          <label htmlFor={searchId} className="text-sm font-medium text-slate-800 dark:text-slate-200">
            Search by device id
          </label>
          <SearchInput
            id={searchId}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="e.g. gw-00A1"
            maxLength={256}
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={sortId} className="text-sm font-medium text-slate-800 dark:text-slate-200">
            Sort by age
          </label>
          <Select
            id={sortId}
            value={query.sort}
            onChange={(e) => onChange({ sort: e.target.value === "oldest" ? "oldest" : "newest" })}
          >
            <option value="newest">Newest first</option>
            <option value="oldest">Oldest first</option>
          </Select>
        </div>
      </div>
    </div>
  );
}
