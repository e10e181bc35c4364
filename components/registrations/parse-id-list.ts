import { deviceIdSchema, type RegistrationStatus } from "@/lib/schemas/registrations";
import { statusLabel } from "./status";

/**
 * Checks a pasted list of device ids (one per line) before anything is sent: every line gets a verdict, so
 * the form can show exactly which lines are skipped and why.
 */

export type IdLineProblem =
  | { kind: "invalid"; message: string }
  | { kind: "duplicate"; message: string; firstLine: number }
  | { kind: "known"; message: string; status: RegistrationStatus };

export interface IdLine {
  /** 1-based line in the text area. */
  line: number;
  id: string;
  problem?: IdLineProblem;
}

export interface IdListCheck {
  lines: IdLine[];
  /** Ids that can be registered, in the order pasted. */
  ready: string[];
  problems: IdLine[];
}

export function parseIdList(
  text: string,
  known: ReadonlyMap<string, RegistrationStatus> = new Map(),
): IdListCheck {
  const firstLineOf = new Map<string, number>();
  const lines: IdLine[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const id = raw.trim();
    if (id === "") return; // blank lines are layout, not entries
    const line = index + 1;
    lines.push({ line, id, problem: problemFor(id, line, firstLineOf, known) });
    if (!firstLineOf.has(id)) firstLineOf.set(id, line);
  });
  return {
    lines,
    ready: lines.filter((l) => !l.problem).map((l) => l.id),
    problems: lines.filter((l) => l.problem),
  };
}

function problemFor(
  id: string,
  line: number,
  firstLineOf: ReadonlyMap<string, number>,
  known: ReadonlyMap<string, RegistrationStatus>,
): IdLineProblem | undefined {
  const parsed = deviceIdSchema.safeParse(id);
  if (!parsed.success)
    return { kind: "invalid", message: parsed.error.issues[0]?.message ?? "Not a valid id" };
  const firstLine = firstLineOf.get(id);
  if (firstLine !== undefined && firstLine !== line) {
    return { kind: "duplicate", message: `Same id as line ${firstLine}`, firstLine };
  }
  const status = known.get(id);
  if (status) {
    return { kind: "known", message: `Already registered (${statusLabel(status).toLowerCase()})`, status };
  }
  return undefined;
}
