import type { IdLine } from "./parse-id-list";

const SHOWN = 50;

/** The lines that will be skipped, with the reason for each. */
export function IdListProblems({ id, problems }: { id: string; problems: IdLine[] }) {
  if (problems.length === 0) return null;
  return (
    <div
      id={id}
      className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950/40"
    >
      <p className="font-medium text-amber-900 dark:text-amber-200">
        {problems.length === 1
          ? "1 line will be skipped:"
          : `${problems.length.toLocaleString("en")} lines will be skipped:`}
      </p>
      <ul className="mt-1.5 flex flex-col gap-0.5 text-amber-900 dark:text-amber-100">
        {problems.slice(0, SHOWN).map((p) => (
          <li key={p.line}>
            Line {p.line}:{" "}
            <span className="font-mono break-all">{p.id.length > 60 ? `${p.id.slice(0, 60)}…` : p.id}</span> –{" "}
            {p.problem?.message}
          </li>
        ))}
      </ul>
      {problems.length > SHOWN && (
        <p className="mt-1 text-amber-900 dark:text-amber-200">…and {problems.length - SHOWN} more.</p>
      )}
    </div>
  );
}
