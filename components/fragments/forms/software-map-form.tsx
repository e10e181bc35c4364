"use client";

import { Plus, X } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

type Row = { name: string; value: string };

function rowsProblem(rows: readonly Row[]): string | null {
  const seen = new Set<string>();
  for (const [i, r] of rows.entries()) {
    if (r.name.trim() === "") return `Package ${i + 1} needs a name.`;
    if (seen.has(r.name)) return `“${r.name}” is listed twice.`;
    seen.add(r.name);
  }
  return null;
}

/**
 * c8y_Software in the startup phase's map form (package name → file or version). Rows live here because a map cannot
 * hold a half-typed or repeated name; the editor gets the map, or the problem that keeps it from being one.
 */
export function SoftwareMapForm({
  idBase,
  value,
  onChange,
}: {
  idBase: string;
  value: Record<string, unknown>;
  onChange: (next: Record<string, string>, problem: string | null) => void;
}) {
  const [rows, setRows] = useState<Row[]>(() =>
    Object.entries(value).map(([name, v]) => ({ name, value: typeof v === "string" ? v : "" })),
  );
  const update = (next: Row[]) => {
    setRows(next);
    onChange(Object.fromEntries(next.map((r) => [r.name, r.value])), rowsProblem(next));
  };
  const set = (i: number, patch: Partial<Row>) =>
    update(rows.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1 text-sm font-medium text-slate-800 dark:text-slate-200">
        Packages (name → file or version)
      </legend>
      <ul className="flex flex-col gap-2" id={`${idBase}-rows`}>
        {rows.map((r, i) => (
          <li key={i} className="grid grid-cols-[1fr_1fr_auto] items-center gap-2">
            <Input
              value={r.name}
              onChange={(e) => set(i, { name: e.target.value })}
              aria-label={`Package ${i + 1} name`}
              className="font-mono"
              spellCheck={false}
            />
            <Input
              value={r.value}
              onChange={(e) => set(i, { value: e.target.value })}
              aria-label={`Package ${i + 1} file or version`}
              className="font-mono"
              spellCheck={false}
            />
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Remove package ${r.name || i + 1}`}
              onClick={() => update(rows.filter((_, k) => k !== i))}
            >
              <X className="size-4" aria-hidden="true" />
            </Button>
          </li>
        ))}
      </ul>
      <div>
        <Button size="sm" onClick={() => update([...rows, { name: "", value: "" }])}>
          <Plus className="size-4" aria-hidden="true" />
          Add package
        </Button>
      </div>
    </fieldset>
  );
}
