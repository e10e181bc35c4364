import type { MemberResult } from "@/lib/schemas/device-tree";

const OUTCOME: Record<NonNullable<MemberResult["outcome"]>, string> = {
  added: "added",
  moved: "moved",
  already_member: "was a member already",
};

/** What an add or move did, object by object; failures are listed with the platform's reason. */
export function MemberResults({ results, names }: { results: MemberResult[]; names: Map<string, string> }) {
  const failed = results.filter((r) => !r.ok);
  return (
    <div role="status" className="text-sm">
      <p className="font-medium text-slate-900 dark:text-slate-100">
        {results.length - failed.length} of {results.length} done
        {failed.length > 0 ? `, ${failed.length} failed` : ""}.
      </p>
      <ul className="mt-1 max-h-40 overflow-auto text-slate-700 dark:text-slate-300">
        {results.map((r) => (
          <li key={r.id} className={r.ok ? undefined : "text-red-700 dark:text-red-400"}>
            {names.get(r.id) ?? r.id}: {r.ok ? OUTCOME[r.outcome ?? "added"] : r.error}
          </li>
        ))}
      </ul>
    </div>
  );
}
