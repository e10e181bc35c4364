"use client";

import { clsx } from "clsx";
import { Pencil, Trash2, Undo2 } from "lucide-react";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FragmentEditor } from "@/components/fragments/fragment-editor";
import { FRAGMENT_INFO, isPlatformFragment } from "@/lib/fragments/known";
import { formatJson } from "@/lib/fragments/json-text";

export type FragmentStatus = "added" | "changed" | "removed" | null;

const STATUS_BADGE = {
  added: { tone: "success", text: "new, unsaved" },
  changed: { tone: "warning", text: "changed, unsaved" },
  removed: { tone: "danger", text: "removed, unsaved" },
} as const;

/** One fragment: its value, and Edit / Remove / Undo while the operator collects changes. */
export function FragmentRow({
  name,
  value,
  status,
  canEdit,
  onApply,
  onRemove,
  onUndo,
}: {
  name: string;
  /** The value with the operator's edits (the saved one when removed). */
  value: unknown;
  status: FragmentStatus;
  canEdit: boolean;
  onApply: (value: unknown) => void;
  onRemove: () => void;
  onUndo: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const info = FRAGMENT_INFO[name];
  const platform = isPlatformFragment(name);
  const editable = canEdit && !platform;
  const idBase = `fragment-${name.replace(/[^\w-]/g, "_")}`;
  return (
    <li className="px-5 py-4" data-fragment={name}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="flex min-w-0 flex-wrap items-center gap-2">
          <h3 className="font-mono text-sm font-semibold break-all text-slate-900 dark:text-slate-100">
            {name}
          </h3>
          {info && <span className="text-sm text-slate-600 dark:text-slate-400">{info.title}</span>}
          {platform && <Badge>maintained by the platform</Badge>}
          {status && <Badge tone={STATUS_BADGE[status].tone}>{STATUS_BADGE[status].text}</Badge>}
        </div>
        {editable && !editing && (
          <div className="flex gap-1">
            {status && (
              <Button size="sm" variant="ghost" onClick={onUndo}>
                <Undo2 className="size-4" aria-hidden="true" />
                Undo<span className="sr-only"> changes to {name}</span>
              </Button>
            )}
            {status !== "removed" && (
              <>
                <Button size="sm" variant="ghost" onClick={() => setEditing(true)}>
                  <Pencil className="size-4" aria-hidden="true" />
                  Edit<span className="sr-only"> {name}</span>
                </Button>
                <Button size="sm" variant="ghost" onClick={onRemove}>
                  <Trash2 className="size-4" aria-hidden="true" />
                  Remove<span className="sr-only"> {name}</span>
                </Button>
              </>
            )}
          </div>
        )}
      </div>
      {editing ? (
        <div className="mt-3">
          <FragmentEditor
            name={name}
            initial={value}
            idBase={idBase}
            onCancel={() => setEditing(false)}
            onApply={(v) => {
              onApply(v);
              setEditing(false);
            }}
          />
        </div>
      ) : (
        <pre
          tabIndex={0}
          aria-label={`${name} value`}
          className={clsx(
            "mt-2 max-h-48 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs whitespace-pre text-slate-800 dark:bg-slate-800/60 dark:text-slate-200",
            status === "removed" && "line-through opacity-70",
          )}
        >
          {formatJson(value)}
        </pre>
      )}
      {status === "removed" && (
        <p className="mt-1 text-sm text-red-700 dark:text-red-400">Removed from the device when you save.</p>
      )}
    </li>
  );
}
