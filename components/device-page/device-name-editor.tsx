"use client";

import { Pencil } from "lucide-react";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { describedBy } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

/**
 * The device's name, renamable by the operator. Agents must not rename devices (docs/startup-phase.md, step 4), so this is the
 * name that counts; the new name joins the other unsaved edits and is saved with them.
 */
export function DeviceNameEditor({
  name,
  fallback,
  changed,
  canEdit,
  onRename,
}: {
  name: string | null;
  fallback: string;
  changed: boolean;
  canEdit: boolean;
  onRename: (name: string) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(name ?? "");
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const next = text.trim();
    if (next === "") return setError("A device needs a name.");
    if (next.length > 254) return setError("At most 254 characters.");
    onRename(next);
    setEditing(false);
  };

  if (editing)
    return (
      <form
        onSubmit={onSubmit}
        noValidate
        className="flex flex-wrap items-start gap-2"
        aria-label="Rename device"
      >
        <div className="flex min-w-64 flex-col gap-1">
          <label htmlFor={id} className="sr-only">
            Device name
          </label>
          <Input
            id={id}
            value={text}
            autoFocus
            onChange={(e) => {
              setText(e.target.value);
              setError(null);
            }}
            onKeyDown={(e) => {
              if (e.key === "Escape") setEditing(false);
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy(id, { error })}
            className="text-lg font-semibold"
          />
          {error && (
            <p id={`${id}-error`} className="text-sm font-medium text-red-700 dark:text-red-400">
              {error}
            </p>
          )}
        </div>
        <Button type="submit" variant="primary">
          Apply
        </Button>
        <Button onClick={() => setEditing(false)}>Cancel</Button>
      </form>
    );

  return (
    <div className="flex flex-wrap items-center gap-2">
      <h1 className="text-2xl font-semibold tracking-tight break-all text-slate-900 dark:text-slate-50">
        {name ?? fallback}
      </h1>
      {changed && (
        <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          unsaved
        </span>
      )}
      {canEdit && (
        <Button
          size="sm"
          variant="ghost"
          onClick={() => {
            setText(name ?? "");
            setEditing(true);
          }}
        >
          <Pencil className="size-4" aria-hidden="true" />
          Rename
        </Button>
      )}
    </div>
  );
}
