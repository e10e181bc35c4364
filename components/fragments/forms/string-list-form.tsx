"use client";

import { Plus, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { STANDARD_OPERATIONS } from "@/lib/fragments/known";

/** Problems of a list of names: empty entries and repeats. */
export function stringListProblem(items: readonly string[]): string | null {
  const empty = items.findIndex((s) => s.trim() === "");
  if (empty >= 0) return `Entry ${empty + 1} is empty: fill it in or remove it.`;
  const seen = new Set<string>();
  for (const s of items) {
    if (seen.has(s)) return `“${s}” is listed twice.`;
    seen.add(s);
  }
  return null;
}

/** c8y_SupportedOperations: one operation name per row, with the usual ones suggested. */
export function StringListForm({
  idBase,
  value,
  onChange,
}: {
  idBase: string;
  value: readonly string[];
  onChange: (next: string[]) => void;
}) {
  const listId = `${idBase}-suggestions`;
  const set = (i: number, text: string) => onChange(value.map((v, k) => (k === i ? text : v)));
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1 text-sm font-medium text-slate-800 dark:text-slate-200">Operations</legend>
      <datalist id={listId}>
        {STANDARD_OPERATIONS.filter((op) => !value.includes(op)).map((op) => (
          <option key={op} value={op} />
        ))}
      </datalist>
      {value.length === 0 && (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          No operations: the console will offer none for this device.
        </p>
      )}
      <ul className="flex flex-col gap-2">
        {value.map((op, i) => (
          <li key={i} className="flex items-center gap-2">
            <Input
              value={op}
              list={listId}
              onChange={(e) => set(i, e.target.value)}
              aria-label={`Operation ${i + 1}`}
              className="font-mono"
              spellCheck={false}
              autoComplete="off"
            />
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Remove operation ${op || i + 1}`}
              onClick={() => onChange(value.filter((_, k) => k !== i))}
            >
              <X className="size-4" aria-hidden="true" />
            </Button>
          </li>
        ))}
      </ul>
      <div>
        <Button size="sm" onClick={() => onChange([...value, ""])}>
          <Plus className="size-4" aria-hidden="true" />
          Add operation
        </Button>
      </div>
    </fieldset>
  );
}
