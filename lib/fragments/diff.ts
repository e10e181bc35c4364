/**
 * A small structural JSON diff for the fragment editor's "what will change" view. Objects are compared key by
 * key (key order does not matter, as for the platform), arrays item by item along their longest common
 * subsequence, so an item inserted at the top of a list shows as one addition rather than every item changing.
 */

export type JsonPath = readonly (string | number)[];
export type ChangeKind = "added" | "removed" | "changed";

/** One difference inside a value. Array indices name the item in `before` (removed) or `after` (added, changed). */
export interface JsonChange {
  path: JsonPath;
  kind: ChangeKind;
  before?: unknown;
  after?: unknown;
}

/** What happens to one top-level fragment, with the differences inside it. */
export interface FragmentChange {
  name: string;
  kind: ChangeKind;
  before?: unknown;
  after?: unknown;
  changes: JsonChange[];
}

/** Above this many item pairs an array is compared index by index instead (keeps the diff cheap). */
const LCS_LIMIT = 250_000;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Deep equality of JSON values; object key order is ignored. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** The differences between two JSON values; empty when they are equal. */
export function diffJson(before: unknown, after: unknown, path: JsonPath = []): JsonChange[] {
  if (jsonEqual(before, after)) return [];
  if (isPlainObject(before) && isPlainObject(after)) return diffObjects(before, after, path);
  if (Array.isArray(before) && Array.isArray(after)) return diffArrays(before, after, path);
  return [{ path, kind: "changed", before, after }];
}

function diffObjects(before: Record<string, unknown>, after: Record<string, unknown>, path: JsonPath) {
  const out: JsonChange[] = [];
  for (const key of Object.keys(before)) {
    if (!Object.hasOwn(after, key)) out.push({ path: [...path, key], kind: "removed", before: before[key] });
    else out.push(...diffJson(before[key], after[key], [...path, key]));
  }
  for (const key of Object.keys(after))
    if (!Object.hasOwn(before, key)) out.push({ path: [...path, key], kind: "added", after: after[key] });
  return out;
}

type Step = { op: "keep"; a: number; b: number } | { op: "remove"; a: number } | { op: "add"; b: number };

/** Edit script along the longest common subsequence (equal items are kept). */
function lcsSteps(a: readonly unknown[], b: readonly unknown[]): Step[] {
  const n = a.length;
  const m = b.length;
  // lengths[i][j]: LCS length of a[i..] and b[j..], flattened.
  const lengths = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => lengths[i * (m + 1) + j]!;
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lengths[i * (m + 1) + j] = jsonEqual(a[i], b[j])
        ? at(i + 1, j + 1) + 1
        : Math.max(at(i + 1, j), at(i, j + 1));
  const steps: Step[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (jsonEqual(a[i], b[j])) steps.push({ op: "keep", a: i++, b: j++ });
    else if (at(i + 1, j) >= at(i, j + 1)) steps.push({ op: "remove", a: i++ });
    else steps.push({ op: "add", b: j++ });
  }
  while (i < n) steps.push({ op: "remove", a: i++ });
  while (j < m) steps.push({ op: "add", b: j++ });
  return steps;
}

function diffArrays(before: readonly unknown[], after: readonly unknown[], path: JsonPath): JsonChange[] {
  if (before.length * after.length > LCS_LIMIT) return diffArraysByIndex(before, after, path);
  const out: JsonChange[] = [];
  const steps = lcsSteps(before, after);
  let k = 0;
  while (k < steps.length) {
    // A run of removals followed by a run of additions at the same place: pair them up as changes, so an edited
    // item shows what changed inside it rather than "removed" plus "added".
    const removed: number[] = [];
    const added: number[] = [];
    while (k < steps.length && steps[k]!.op === "remove") removed.push((steps[k++] as { a: number }).a);
    while (k < steps.length && steps[k]!.op === "add") added.push((steps[k++] as { b: number }).b);
    if (removed.length === 0 && added.length === 0) {
      k++;
      continue;
    }
    const pairs = Math.min(removed.length, added.length);
    for (let p = 0; p < pairs; p++)
      out.push(...diffJson(before[removed[p]!], after[added[p]!], [...path, added[p]!]));
    for (const a of removed.slice(pairs))
      out.push({ path: [...path, a], kind: "removed", before: before[a] });
    for (const b of added.slice(pairs)) out.push({ path: [...path, b], kind: "added", after: after[b] });
  }
  return out;
}

function diffArraysByIndex(before: readonly unknown[], after: readonly unknown[], path: JsonPath) {
  const out: JsonChange[] = [];
  const common = Math.min(before.length, after.length);
  for (let i = 0; i < common; i++) out.push(...diffJson(before[i], after[i], [...path, i]));
  for (let i = common; i < before.length; i++)
    out.push({ path: [...path, i], kind: "removed", before: before[i] });
  for (let i = common; i < after.length; i++)
    out.push({ path: [...path, i], kind: "added", after: after[i] });
  return out;
}

/** Fragment by fragment: which were added, removed or changed, in the order of `before` then new ones. */
export function diffFragments(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): FragmentChange[] {
  const out: FragmentChange[] = [];
  for (const name of Object.keys(before)) {
    if (!Object.hasOwn(after, name)) {
      out.push({ name, kind: "removed", before: before[name], changes: [] });
      continue;
    }
    const changes = diffJson(before[name], after[name]);
    if (changes.length > 0)
      out.push({ name, kind: "changed", before: before[name], after: after[name], changes });
  }
  for (const name of Object.keys(after))
    if (!Object.hasOwn(before, name)) out.push({ name, kind: "added", after: after[name], changes: [] });
  return out;
}

/**
 * The object after applying update semantics (docs/platform-api.md §4.6): a present key replaces the old value whole,
 * `null` removes the key, everything else stays.
 */
export function applyChanges(
  base: Record<string, unknown>,
  changes: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

/**
 * Only the edits that change something: a draft equal to the base value, or the removal of a key the base does
 * not have, is dropped. This is exactly what an update sends, so untouched fragments are never rewritten.
 */
export function effectiveChanges(
  base: Record<string, unknown>,
  drafts: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(drafts)) {
    const present = Object.hasOwn(base, key);
    if (value === null ? present : !present || !jsonEqual(base[key], value)) out[key] = value;
  }
  return out;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `c8y_Hardware.model`, `c8y_SoftwareList[2].version`, `map["odd key"]`. */
export function formatPath(path: JsonPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (IDENTIFIER.test(part)) out += out === "" ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}
