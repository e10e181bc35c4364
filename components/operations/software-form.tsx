"use client";

import { Plus, Trash2 } from "lucide-react";
import { useId, useState, type FormEvent } from "react";
import type { SoftwareItem } from "@/lib/schemas/operations";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { SendFormProps } from "./send-forms";

type Row = Pick<SoftwareItem, "action" | "name" | "version" | "url" | "softwareType">;
const blank = (): Row => ({ action: "install", name: "", version: "", url: "", softwareType: "" });

/** Packages to install (name, version, URL) and to remove; the installed ones can be picked for removal. */
export function SoftwareForm({ formId, context, errors, onSubmit, fleet }: SendFormProps) {
  const id = useId();
  const [rows, setRows] = useState<Row[]>([blank()]);
  const set = (i: number, patch: Partial<Row>) =>
    setRows((all) => all.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const removing = new Set(rows.filter((r) => r.action === "delete").map((r) => r.name));
  const installed = context.current.software;
  const input = (i: number, key: "name" | "version" | "url", label: string, extra: object = {}) => {
    const error = errors[`items.${i}.${key}`];
    return (
      <Input
        aria-label={`${label} of package ${i + 1}`}
        value={rows[i]![key]}
        onChange={(e) => set(i, { [key]: e.target.value })}
        aria-invalid={!!error || undefined}
        title={error}
        {...extra}
      />
    );
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({ kind: "software", items: rows.filter((r) => r.action === "delete" || r.name.trim() !== "") });
  };
  return (
    <form id={formId} onSubmit={submit} className="flex flex-col gap-4">
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium text-slate-800 dark:text-slate-200">Changes</legend>
        {rows.map((row, i) => (
          <div key={i} className="grid grid-cols-[9rem_7rem_minmax(8rem,1fr)_auto] items-center gap-2">
            {row.action === "delete" ? (
              <span className="col-span-3 min-w-0 truncate text-sm">
                Remove <strong>{row.name}</strong> {row.version}
              </span>
            ) : (
              <>
                {input(i, "name", "Name", { placeholder: "Package" })}
                {input(i, "version", "Version", { placeholder: "Version" })}
                {input(i, "url", "URL", { placeholder: "https://… (optional)", type: "url" })}
              </>
            )}
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Drop change ${i + 1}`}
              onClick={() => setRows((all) => all.filter((_, j) => j !== i))}
            >
              <Trash2 className="size-4" aria-hidden="true" />
            </Button>
          </div>
        ))}
        <div>
          <Button size="sm" onClick={() => setRows((all) => [...all, blank()])}>
            <Plus className="size-4" aria-hidden="true" />
            Add a package to install
          </Button>
        </div>
        {Object.entries(errors).map(([key, message]) =>
          key.startsWith("items") ? (
            <p key={key} id={`${id}-${key}`} className="text-sm font-medium text-red-700 dark:text-red-400">
              {key === "items" ? message : `Package ${Number(key.split(".")[1]) + 1}: ${message}`}
            </p>
          ) : null,
        )}
      </fieldset>
      {!fleet && (
        <section aria-label="Installed software">
          <h3 className="text-sm font-medium text-slate-800 dark:text-slate-200">
            Installed ({installed.length})
          </h3>
          {installed.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">The device reports no software list.</p>
          ) : (
            <ul className="mt-1 max-h-48 divide-y divide-slate-200 overflow-y-auto rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
              {installed.map((s) => (
                <li key={s.name} className="flex items-center justify-between gap-2 px-3 py-1.5 text-sm">
                  <span className="min-w-0 truncate">
                    {s.name} <span className="text-slate-500">{s.version}</span>
                  </span>
                  <Button
                    size="sm"
                    variant="ghost"
                    disabled={removing.has(s.name)}
                    onClick={() =>
                      setRows((all) => [
                        ...all.filter((r) => r.name.trim() !== "" || r.action === "delete"),
                        { ...blank(), action: "delete", name: s.name, version: s.version },
                      ])
                    }
                  >
                    {removing.has(s.name) ? "Removing" : "Remove"}
                  </Button>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </form>
  );
}
