import { invalidData } from "./errors.js";

/**
 * Limits every JSON write is held to, whichever API it goes to. A value the platform stores (a fragment, custom
 * properties, a bulk row) may nest at most MAX_NESTING levels: SQLite's JSON functions refuse documents nested 1000
 * levels deep, and one such document would make every query that parses it fail. The whole body may nest a few
 * levels more for the wrappers around stored values (`{managedObjects: [{fragment}]}`); anything deeper is refused
 * while reading the body, before any module sees it.
 */
export const MAX_NESTING = 100;
export const MAX_BODY_NESTING = MAX_NESTING + 4;
/** Longest name of a stored top-level field (fragment, custom property). */
export const MAX_NAME_LENGTH = 512;

/** Why a JSON value cannot be stored, or undefined. Iterative, so a hostile body cannot overflow the stack. */
export function jsonProblem(value: unknown, maxDepth: number): string | undefined {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v === "number" && !Number.isFinite(v)) return "holds a number out of range";
    if (typeof v !== "object" || v === null) continue;
    if (depth > maxDepth) return `is nested more than ${maxDepth} levels deep`;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return undefined;
}

/** Refuses a value to be stored (422 `<resource>/Invalid Data`) when it nests too deeply or holds ±Infinity. */
export function assertStorable(value: unknown, resource: string, what: string, maxDepth = MAX_NESTING): void {
  const problem = jsonProblem(value, maxDepth);
  if (problem) throw invalidData(resource, `${what} ${problem}`);
}

/**
 * Refuses names no stored top-level field may have: empty or blank, too long, or with control characters (422).
 * Modules add their own rules on top (the inventory refuses '.' and '$', which its query language reserves).
 */
export function assertFieldName(name: string, resource: string): void {
  if (name.trim() === "") throw invalidData(resource, "Fragment names must not be empty");
  if (name.length > MAX_NAME_LENGTH)
    throw invalidData(
      resource,
      `Fragment name '${name.slice(0, 64)}…' is longer than ${MAX_NAME_LENGTH} characters`,
    );
  if (/[\u0000-\u001f\u007f]/.test(name))
    throw invalidData(
      resource,
      `Fragment name ${JSON.stringify(name.slice(0, 64))} contains control characters`,
    );
}

/**
 * A stored document grows through updates that add fragments one by one, each request alone within the body limit.
 * It may not outgrow what one request could carry (`limit`, the body limit), so it can always be sent back whole.
 */
export function assertDocumentSize(json: string, limit: number, resource: string): void {
  if (json.length > limit)
    throw invalidData(resource, `The document would grow beyond ${limit} bytes; remove fragments first`);
}
