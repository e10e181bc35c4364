"use client";

import { Plus, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { SoftwareItem } from "@/lib/fragments/known";

const COLUMNS = [
  { key: "name", label: "name" },
  { key: "version", label: "version" },
  { key: "url", label: "URL" },
] as const;

/** c8y_SoftwareList: name, version and URL per package; other keys of an item (softwareType, …) are kept. */
export function SoftwareListForm({
  value,
  onChange,
}: {
  value: readonly SoftwareItem[];
  onChange: (next: SoftwareItem[]) => void;
}) {
  const set = (i: number, key: "name" | "version" | "url", text: string) =>
    onChange(
      value.map((item, k) => {
        if (k !== i) return item;
        const next: SoftwareItem = { ...item, [key]: text };
        // An empty URL is left out rather than stored as "".
        if (key === "url" && text === "") delete next.url;
        return next;
      }),
    );
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1 text-sm font-medium text-slate-800 dark:text-slate-200">
        Installed packages
      </legend>
      {value.length === 0 && (
        <p className="text-sm text-slate-600 dark:text-slate-400">No packages listed.</p>
      )}
      <ul className="flex flex-col gap-2">
        {value.map((item, i) => (
          <li key={i} className="grid grid-cols-1 items-center gap-2 sm:grid-cols-[1fr_8rem_1.5fr_auto]">
            {COLUMNS.map((c) => (
              <Input
                key={c.key}
                value={item[c.key] ?? ""}
                onChange={(e) => set(i, c.key, e.target.value)}
                aria-label={`Package ${i + 1} ${c.label}`}
                placeholder={c.label}
                className="font-mono"
                spellCheck={false}
              />
            ))}
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Remove package ${item.name || i + 1}`}
              onClick={() => onChange(value.filter((_, k) => k !== i))}
            >
              <X className="size-4" aria-hidden="true" />
            </Button>
          </li>
        ))}
      </ul>
      <div>
        <Button size="sm" onClick={() => onChange([...value, { name: "", version: "" }])}>
          <Plus className="size-4" aria-hidden="true" />
          Add package
        </Button>
      </div>
    </fieldset>
  );
}
