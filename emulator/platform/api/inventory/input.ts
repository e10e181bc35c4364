import { invalidData } from "../../http/errors.js";
import { isPlainObject } from "../../http/body.js";
import { assertFieldName, assertStorable } from "../../http/limits.js";
import { MAINTAINED } from "../../presence/rules.js";

/**
 * Reading a managed object body (POST and PUT). Read-only fields are dropped silently, as the platform does; wrong
 * types and unusable fragment names are 422 inventory/Invalid Data before anything is written.
 */

/**
 * Server-maintained fields a client may send back but never sets (docs/platform-api.md §4.4, §4.10); the availability
 * and connection fragments are computed by the platform (docs/emulator-presence.md).
 */
export const READ_ONLY = new Set([
  "id",
  "self",
  "creationTime",
  "lastUpdated",
  "childDevices",
  "childAssets",
  "childAdditions",
  "deviceParents",
  "assetParents",
  "additionParents",
  "c8y_LatestMeasurements",
  "c8y_PreviousMeasurements",
  ...MAINTAINED,
]);

export interface ExternalIdInput {
  type: string;
  externalId: string;
}

export interface MoInput {
  /** undefined: not in the body; null: remove (PUT) or absent (POST). */
  name?: string | null;
  type?: string | null;
  owner?: string;
  /** Top-level custom fragments in body order; a null value removes the fragment (PUT). */
  fragments: Map<string, unknown>;
  externalIds: ExternalIdInput[];
}

const bad = (message: string) => invalidData("inventory", message);

function optionalString(body: Record<string, unknown>, key: string): string | null | undefined {
  if (!Object.hasOwn(body, key)) return undefined;
  const v = body[key];
  if (v === null || typeof v === "string") return v;
  throw bad(`'${key}' must be a string`);
}

export function parseExternalIds(value: unknown): ExternalIdInput[] {
  if (!Array.isArray(value)) throw bad("'externalIds' must be an array of {type, externalId}");
  const seen = new Set<string>();
  return value.map((item, i) => {
    if (!isPlainObject(item)) throw bad(`externalIds[${i}] must be an object`);
    const { type, externalId } = item;
    if (typeof type !== "string" || type === "" || typeof externalId !== "string" || externalId === "")
      throw bad(`externalIds[${i}] needs non-empty string 'type' and 'externalId'`);
    const key = `${type}\u0000${externalId}`;
    if (seen.has(key)) throw bad(`externalIds[${i}] repeats ID [type=${type}, value=${externalId}]`);
    seen.add(key);
    return { type, externalId };
  });
}

/**
 * Validates a managed object body; `mode` decides whether null means "remove" (update) or "absent" (create).
 * `owner` is writable on update only: the vendor's create schema (managedObjectCreate) has no owner, so a new object
 * always belongs to the user who creates it and an `owner` in a POST body is ignored like the read-only fields.
 */
export function parseMoInput(body: unknown, mode: "create" | "update"): MoInput {
  if (!isPlainObject(body)) throw bad("A managed object must be a JSON object");
  const input: MoInput = { fragments: new Map(), externalIds: [] };
  input.name = optionalString(body, "name");
  input.type = optionalString(body, "type");
  if (mode === "update" && Object.hasOwn(body, "owner")) {
    const owner = body.owner;
    if (typeof owner !== "string" || owner.trim() === "") throw bad("'owner' must be a non-empty string");
    input.owner = owner;
  }
  for (const [key, value] of Object.entries(body)) {
    if (key === "name" || key === "type" || key === "owner" || READ_ONLY.has(key)) continue;
    if (key === "externalIds") {
      // Binding identities is part of creating an object only; on update the field is read-only.
      if (mode === "create") input.externalIds = parseExternalIds(value);
      continue;
    }
    // '.' and a leading '$' are reserved by the query language (a path separator, operators).
    if (key.includes(".") || key.startsWith("$"))
      throw bad(`Invalid fragment name '${key.slice(0, 64)}': it must not contain '.' or start with '$'`);
    assertFieldName(key, "inventory");
    assertStorable(value, "inventory", `Fragment '${key.slice(0, 64)}'`);
    if (mode === "create" && value === null) continue;
    input.fragments.set(key, value);
  }
  if (mode === "create" && input.name === null) input.name = undefined;
  if (mode === "create" && input.type === null) input.type = undefined;
  return input;
}

/** True when an update body carries nothing to change: `{}` or `{"id": …}` is an availability heartbeat. */
export function isHeartbeat(input: MoInput): boolean {
  return (
    input.name === undefined &&
    input.type === undefined &&
    input.owner === undefined &&
    input.fragments.size === 0
  );
}

/**
 * The body of an availability heartbeat as the vendor defines it: `{}` or `{"id": …}` and nothing else
 * (docs/platform-api.md §4.10). A body of other read-only fields also changes nothing, but is no heartbeat.
 */
export function isHeartbeatBody(body: unknown): boolean {
  return isPlainObject(body) && Object.keys(body).every((key) => key === "id");
}

/** Fragments after an update: changed keys replaced whole, null removes, untouched keys stay in place. */
export function mergeFragments(
  current: Record<string, unknown>,
  changes: Map<string, unknown>,
): { merged: Record<string, unknown>; added: string[]; removed: string[] } {
  const map = new Map(Object.entries(current));
  const added: string[] = [];
  const removed: string[] = [];
  for (const [key, value] of changes) {
    if (value === null) {
      if (map.delete(key)) removed.push(key);
      continue;
    }
    if (!map.has(key)) added.push(key);
    map.set(key, value);
  }
  return { merged: Object.fromEntries(map), added, removed };
}
