import { clsx } from "clsx";
import { TriangleAlert } from "lucide-react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { formatPath, type ChangeKind, type FragmentChange, type JsonChange } from "@/lib/fragments/diff";
import { FRAGMENT_INFO } from "@/lib/fragments/known";
import { formatJson } from "@/lib/fragments/json-text";

const KIND: Record<ChangeKind, { label: string; tone: BadgeTone; sign: string; line: string }> = {
  added: {
    label: "Added",
    tone: "success",
    sign: "+",
    line: "bg-emerald-50 text-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-100",
  },
  removed: {
    label: "Removed",
    tone: "danger",
    sign: "−",
    line: "bg-red-50 text-red-900 dark:bg-red-950/60 dark:text-red-100",
  },
  changed: {
    label: "Changed",
    tone: "warning",
    sign: "~",
    line: "bg-amber-50 text-amber-950 dark:bg-amber-950/60 dark:text-amber-100",
  },
};

/** Top-level keys that are fields of the object rather than fragments. */
const FIELD_LABELS: Record<string, string> = { name: "Name", type: "Type" };

function Value({ value }: { value: unknown }) {
  const text = formatJson(value);
  if (text.length <= 80 && !text.includes("\n")) return <code className="font-mono break-all">{text}</code>;
  return (
    <pre
      tabIndex={0}
      className="mt-1 max-h-48 overflow-auto rounded bg-white/60 p-2 font-mono text-xs whitespace-pre dark:bg-slate-900/60"
    >
      {text}
    </pre>
  );
}

function ChangeLine({ change }: { change: JsonChange }) {
  const k = KIND[change.kind];
  const where = formatPath(change.path);
  // Spaces are explicit so the text reads the same to screen readers, in copies and in tests.
  return (
    <li className={clsx("rounded px-2 py-1 text-sm", k.line)}>
      <span aria-hidden="true" className="mr-2 inline-block w-3 font-mono font-bold">
        {k.sign}
      </span>
      <span className="sr-only">{`${k.label}: `}</span>
      {where && <code className="font-mono font-semibold">{where}</code>}
      {where && " "}
      {change.kind === "changed" ? (
        <>
          <Value value={change.before} /> <span aria-hidden="true">→</span>
          <span className="sr-only">{" becomes"}</span> <Value value={change.after} />
        </>
      ) : (
        <Value value={change.kind === "added" ? change.after : change.before} />
      )}
    </li>
  );
}

/** One fragment's change: what it was, what it becomes, marked added / removed / changed (not by colour alone). */
export function FragmentChangeView({ change, note }: { change: FragmentChange; note?: string }) {
  const k = KIND[change.kind];
  const info = FRAGMENT_INFO[change.name];
  const field = FIELD_LABELS[change.name];
  const lines: JsonChange[] =
    change.kind === "changed"
      ? change.changes
      : [{ path: [], kind: change.kind, before: change.before, after: change.after }];
  return (
    <li className="rounded-md border border-slate-200 p-3 dark:border-slate-700" data-fragment={change.name}>
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <code className="font-mono text-sm font-semibold text-slate-900 dark:text-slate-100">
          {field ?? change.name}
        </code>
        {info && !field && <span className="text-sm text-slate-600 dark:text-slate-400">{info.title}</span>}
        <Badge tone={k.tone}>{k.label}</Badge>
        {note && <Badge tone="danger">{note}</Badge>}
      </div>
      <ul className="flex flex-col gap-1">
        {lines.map((c, i) => (
          <ChangeLine key={i} change={c} />
        ))}
      </ul>
      {info?.warning && change.kind !== "added" && (
        <p className="mt-2 flex items-start gap-1.5 text-sm text-amber-800 dark:text-amber-300">
          <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
          {info.warning}
        </p>
      )}
    </li>
  );
}

/** A list of fragment changes; `notes` flags some of them (e.g. "you change this too"). */
export function FragmentDiff({
  changes,
  notes = {},
  label,
}: {
  changes: readonly FragmentChange[];
  notes?: Record<string, string>;
  label: string;
}) {
  if (changes.length === 0)
    return <p className="text-sm text-slate-600 dark:text-slate-400">No differences.</p>;
  return (
    <ul aria-label={label} className="flex flex-col gap-3">
      {changes.map((c) => (
        <FragmentChangeView key={c.name} change={c} note={notes[c.name]} />
      ))}
    </ul>
  );
}
