"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { deviceTreeQueries } from "@/lib/queries/device-tree";
import type { TreeNodeDto } from "@/lib/schemas/device-tree";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { displayName } from "./node-kind";

/** Choose one group by name (groups and subgroups, alphabetically); `exclude` is left out of the choice. */
export function GroupPicker({
  value,
  onChange,
  exclude,
}: {
  value: TreeNodeDto | null;
  onChange: (group: TreeNodeDto) => void;
  exclude: string;
}) {
  const id = useId();
  const [text, setText] = useState("");
  const [search, setSearch] = useState("");
  // Typing settles for a moment before the platform is asked.
  useEffect(() => {
    const timer = setTimeout(() => setSearch(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text]);
  const groups = useQuery(deviceTreeQueries.groups(search));
  const items = (groups.data?.items ?? []).filter((g) => g.id !== exclude);
  return (
    <div className="flex flex-col gap-2">
      <label htmlFor={id} className="text-sm font-medium text-slate-800 dark:text-slate-200">
        Filter groups by name
      </label>
      <Input id={id} type="search" value={text} onChange={(e) => setText(e.target.value)} maxLength={200} />
      <fieldset>
        <legend className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
          Target group {groups.isFetching && <Spinner size="sm" label="Loading groups" />}
        </legend>
        {groups.isSuccess && items.length === 0 && (
          <p className="py-2 text-sm text-slate-600 dark:text-slate-400">
            No other group matches. Create one with “New group” first.
          </p>
        )}
        <ul className="mt-1 max-h-56 overflow-auto">
          {items.map((g) => (
            <li key={g.id}>
              <label className="flex items-center gap-2 py-1 text-sm">
                <input
                  type="radio"
                  name={`${id}-group`}
                  checked={value?.id === g.id}
                  onChange={() => onChange(g)}
                  className="size-4"
                />
                <span className="font-medium">{displayName(g)}</span>
                <span className="text-xs text-slate-600 dark:text-slate-400">id {g.id}</span>
              </label>
            </li>
          ))}
        </ul>
        {groups.data?.hasMore && (
          <p className="text-xs text-slate-600 dark:text-slate-400">
            More groups match: type more of the name.
          </p>
        )}
      </fieldset>
    </div>
  );
}
