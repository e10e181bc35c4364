import { TriangleAlert } from "lucide-react";
import { RelativeTime } from "@/components/ui/relative-time";
import { FragmentDiff } from "@/components/fragments/fragment-diff";
import { applyChanges, diffFragments } from "@/lib/fragments/diff";
import type { DeviceDto } from "@/lib/schemas/device";
import { editableRecord } from "./use-device-drafts";

/**
 * Someone else changed the object after the operator loaded it: what they changed (flagging what the operator
 * changes too), and what saving now would do to their version. Nothing is decided here; the dialog offers the
 * choices.
 */
export function ConflictView({
  base,
  current,
  changes,
}: {
  base: DeviceDto;
  current: DeviceDto;
  /** The operator's changes against `current`. */
  changes: Record<string, unknown>;
}) {
  const now = editableRecord(current);
  const theirs = diffFragments(editableRecord(base), now);
  const mine = diffFragments(now, applyChanges(now, changes));
  const notes = Object.fromEntries(
    theirs.filter((c) => Object.hasOwn(changes, c.name)).map((c) => [c.name, "you change this too"]),
  );
  return (
    <div className="flex flex-col gap-5">
      <p className="flex items-start gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
        <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
        <span>
          The device was changed <RelativeTime iso={current.lastUpdated} /> by someone else (an agent, or
          another operator) after you loaded it. Your changes have not been saved.
        </span>
      </p>
      <section aria-labelledby="conflict-theirs">
        <h3 id="conflict-theirs" className="mb-2 text-sm font-semibold text-slate-900 dark:text-slate-100">
          Changed meanwhile
        </h3>
        {theirs.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Only its timestamp moved (for example a heartbeat or a change that was undone); no fragment
            differs.
          </p>
        ) : (
          <FragmentDiff label="Changes made by someone else" changes={theirs} notes={notes} />
        )}
      </section>
      <section aria-labelledby="conflict-mine">
        <h3 id="conflict-mine" className="mb-2 text-sm font-semibold text-slate-900 dark:text-slate-100">
          Saving your changes now would do this
        </h3>
        {mine.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Nothing: the device already holds everything you changed.
          </p>
        ) : (
          <FragmentDiff label="Your changes against the current version" changes={mine} />
        )}
      </section>
    </div>
  );
}
