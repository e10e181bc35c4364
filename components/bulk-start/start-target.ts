import { BffError } from "@/lib/queries/api-client";
import type { BulkTarget } from "@/lib/schemas/bulk-create";
import type { TreeNodeDto } from "@/lib/schemas/device-tree";
import { describeError } from "@/components/ui/error-state";

/** Where the operator started from: chosen devices, a group, search results, or the operations page (pick a group). */
export type StartTarget =
  | { kind: "devices"; deviceIds: string[]; label: string }
  | { kind: "group"; groupId: string; label: string }
  | { kind: "query"; query: string; label: string }
  | { kind: "pick-group" };

/** The BFF's target; null until a group has been picked. */
export function bulkTargetOf(start: StartTarget, picked: TreeNodeDto | null): BulkTarget | null {
  switch (start.kind) {
    case "devices":
      return { deviceIds: start.deviceIds };
    case "group":
      return { groupId: start.groupId };
    case "query":
      return { query: start.query };
    case "pick-group":
      return picked ? { groupId: picked.id } : null;
  }
}

/** Which role check applies: a selection or a search also creates the hidden group. */
export const blockerKindOf = (start: StartTarget) =>
  start.kind === "devices" || start.kind === "query" ? "selection" : "group";

const PLACES = new Set(["target", "operation", "startDate", "creationRamp", "note"]);

/**
 * An error of the create call, by the place the dialog shows it: the BFF names the field (`fields`, also for a
 * platform refusal); operation form paths and anything else go to the general message.
 */
export function bulkErrorsOf(error: unknown): Record<string, string> {
  if (error instanceof BffError && error.fields) {
    const out: Record<string, string> = {};
    for (const [path, message] of Object.entries(error.fields)) {
      const top = path.split(".")[0] ?? "";
      out[PLACES.has(top) ? top : "(body)"] ??= message;
    }
    if (Object.keys(out).length > 0) return out;
  }
  return { "(body)": describeError(error).message };
}
