import { clsx } from "clsx";

/** Says which keys a form leaves alone, so the operator knows they are kept (and where to edit them). */
export function OtherKeysNote({ keys, className }: { keys: readonly string[]; className?: string }) {
  if (keys.length === 0) return null;
  return (
    <p className={clsx("text-sm text-slate-600 dark:text-slate-400", className)}>
      Also holds{" "}
      {keys.map((k, i) => (
        <span key={k}>
          {i > 0 && ", "}
          <code className="font-mono text-xs">{k}</code>
        </span>
      ))}
      , kept as {keys.length === 1 ? "it is" : "they are"}. Switch to JSON to change{" "}
      {keys.length === 1 ? "it" : "them"}.
    </p>
  );
}
