import { generatePassword } from "../../auth/passwords.js";
import type { Principal } from "../../auth/principal.js";
import { isoTime, type PlatformContext } from "../../context.js";
import { invalidData } from "../../http/errors.js";
import { assertFieldName, MAX_NESTING } from "../../http/limits.js";
import { deviceIdProblem, deviceUserName, RESOURCE } from "./common.js";
import { CsvError, parseCsv, type CsvRecord } from "./csv.js";
import { publishInventoryChanges, type InventoryChanges } from "./registration-inventory.js";
import type { RegistrationService } from "./service.js";

/** Shortest device password a bulk file may set (our stand-in for the tenant password policy). */
export const MIN_PASSWORD_LENGTH = 8;

const KNOWN_COLUMNS = [
  "ID",
  "CREDENTIALS",
  "AUTH_TYPE",
  "TENANT",
  "TYPE",
  "NAME",
  "ICCID",
  "IDTYPE",
  "PATH",
  "SHELL",
  "ENROLLMENT_OTP",
] as const;
type KnownColumn = (typeof KNOWN_COLUMNS)[number];

/** Top-level names a custom column may not set: the object's own fields and the device marker. */
const RESERVED_PROPERTIES = new Set([
  "id",
  "self",
  "owner",
  "name",
  "type",
  "creationTime",
  "lastUpdated",
  "childDevices",
  "childAssets",
  "childAdditions",
  "deviceParents",
  "assetParents",
  "additionParents",
  "externalIds",
  "c8y_IsDevice",
]);

/** The SHELL column adds this operation to c8y_SupportedOperations. */
const SHELL_OPERATION = "c8y_Command";

interface Columns {
  known: Map<KnownColumn, number>;
  /** external-<type> columns: extra identities of the device. */
  externalIds: { type: string; index: number }[];
  /** Custom property columns, dotted names split into a path. */
  custom: { path: string[]; index: number }[];
}

interface Failure {
  deviceId: string;
  bulkNewDeviceStatus: "FAILED";
  failureReason: string;
  line: string;
  lineNumber: number;
}

type RowPlan =
  | { kind: "request"; id: string; path: string[] | undefined; record: CsvRecord }
  | {
      kind: "device";
      id: string;
      idType: string;
      /** undefined: AUTH_TYPE=CERTIFICATES, no password is set. */
      password: string | undefined;
      name: string | undefined;
      type: string | undefined;
      fragments: Record<string, unknown>;
      path: string[] | undefined;
      externalIds: [type: string, value: string][];
      record: CsvRecord;
    };

class RowError extends Error {}

/** The answer to a bulk registration (docs/platform-api.md §5.3). */
export interface BulkResult {
  numberOfAll: number;
  numberOfCreated: number;
  numberOfFailed: number;
  numberOfSuccessful: number;
  credentialUpdatedList: { deviceId: string; bulkNewDeviceStatus: "CREDENTIAL_UPDATED" }[];
  failedCreationList: Omit<Failure, "lineNumber">[];
}

/**
 * POST /devicecontrol/bulkNewDeviceRequests (docs/platform-api.md §5.3): a CSV file. Files with only ID (and PATH) columns
 * create ordinary registration requests; any other file creates devices with known credentials directly. A bad row
 * fails alone; a file that cannot be read as such a CSV is 422.
 */
export function bulkRegistration(ctx: PlatformContext, registration: RegistrationService) {
  const { requests, inventory } = registration;
  const { tenant } = ctx.config;

  async function register(file: Buffer, principal: Principal, baseUrl: string): Promise<BulkResult> {
    let csv;
    try {
      csv = parseCsv(decodeText(file));
    } catch (e) {
      if (e instanceof CsvError) throw invalidData(RESOURCE, e.message);
      throw e;
    }
    const columns = readColumns(csv.header);
    const simple = csv.header.every((h) => ["ID", "PATH"].includes(h.toUpperCase()));
    if (!simple) checkFullFormat(columns);
    if (csv.records.length === 0) throw invalidData(RESOURCE, "The file has no device rows");

    const failures: Failure[] = [];
    const fail = (record: CsvRecord, deviceId: string, reason: string) =>
      failures.push({
        deviceId,
        bulkNewDeviceStatus: "FAILED",
        failureReason: reason,
        line: record.text,
        lineNumber: record.lineNumber,
      });
    const seen = new Set<string>();
    const plans: RowPlan[] = [];
    for (const record of csv.records) {
      const id = (cell(record, columns, "ID") ?? "").trim();
      try {
        if (record.fields.length !== csv.header.length)
          throw new RowError(
            `Line ${record.lineNumber} has ${record.fields.length} values but the header has ${csv.header.length}`,
          );
        const problem = deviceIdProblem(id);
        if (problem) throw new RowError(`Invalid ID: ${problem}`);
        if (seen.has(id)) throw new RowError(`ID ${id} appears more than once in the file`);
        seen.add(id);
        plans.push(simple ? planRequest(record, columns, id) : planDevice(record, columns, id));
      } catch (e) {
        if (!(e instanceof RowError)) throw e;
        fail(record, id, e.message);
      }
    }

    // Hash outside the transaction (scrypt is slow and asynchronous); CERTIFICATES devices get an unusable secret.
    const hashes = await Promise.all(
      plans.map((p) =>
        p.kind === "device"
          ? p.password
            ? ctx.users.hash(p.password)
            : ctx.users.hash(generatePassword(), "generated")
          : Promise.resolve(""),
      ),
    );

    const credentialUpdated: { deviceId: string; bulkNewDeviceStatus: "CREDENTIAL_UPDATED" }[] = [];
    const changes: InventoryChanges = { created: [], updated: [] };
    let numberOfCreated = 0;
    ctx.db.transaction(() => {
      plans.forEach((plan, i) => {
        try {
          // Each row in its own savepoint: a failing row leaves nothing behind, the others stay.
          const outcome = ctx.db.transaction(() =>
            plan.kind === "request"
              ? createRequest(plan, principal.username)
              : createDevice(plan, hashes[i]!, principal.username),
          )();
          if (outcome.status === "CREATED") numberOfCreated++;
          else credentialUpdated.push({ deviceId: plan.id, bulkNewDeviceStatus: "CREDENTIAL_UPDATED" });
          changes.created.push(...outcome.changes.created);
          changes.updated.push(...outcome.changes.updated);
        } catch (e) {
          // A constraint the checks above did not foresee still fails only its row (its savepoint is rolled back).
          if (e instanceof RowError || isConstraintError(e)) fail(plan.record, plan.id, (e as Error).message);
          else throw e;
        }
      });
    })();
    publishInventoryChanges(ctx, changes, baseUrl);

    // Plan-time failures were collected first; report all of them in file order.
    failures.sort((a, b) => a.lineNumber - b.lineNumber);
    return {
      numberOfAll: csv.records.length,
      numberOfCreated,
      numberOfFailed: failures.length,
      numberOfSuccessful: numberOfCreated + credentialUpdated.length,
      credentialUpdatedList: credentialUpdated,
      failedCreationList: failures.map(({ lineNumber: _, ...f }) => f),
    };
  }

  /** Simple format: an ordinary WAITING_FOR_CONNECTION request, put into the PATH group once delivered. */
  function createRequest(plan: Extract<RowPlan, { kind: "request" }>, owner: string) {
    if (requests.get.get(plan.id))
      throw new RowError(`A new device request with ID ${plan.id} already exists`);
    const groups = plan.path ? inventory.ensureGroupPath(plan.path, owner) : undefined;
    requests.insert.run(
      plan.id,
      "WAITING_FOR_CONNECTION",
      owner,
      isoTime(ctx.now()),
      groups?.leafId ?? null,
      null,
      "{}",
    );
    return { status: "CREATED" as const, changes: groups?.changes ?? noChanges() };
  }

  /** Full format: device object, identities and device user at once; an existing device gets new credentials. */
  function createDevice(plan: Extract<RowPlan, { kind: "device" }>, passwordHash: string, caller: string) {
    const username = deviceUserName(plan.id);
    const existing = inventory.externalIdOwner(plan.idType, plan.id);
    if (existing !== undefined) {
      if (plan.password !== undefined) ctx.users.upsertHashed(tenant, username, passwordHash, "device");
      return { status: "CREDENTIAL_UPDATED" as const, changes: noChanges() };
    }
    if (requests.get.get(plan.id))
      throw new RowError(`A new device request with ID ${plan.id} exists; delete it or accept it instead`);
    const owned = inventory.deviceOwnedBy(username);
    if (owned !== undefined) throw new RowError(`User ${username} already owns device ${owned}`);
    for (const [type, value] of plan.externalIds) {
      const other = inventory.externalIdOwner(type, value);
      if (other !== undefined)
        throw new RowError(`External id ${type}/${value} is already bound to managed object ${other}`);
    }
    const groups = plan.path ? inventory.ensureGroupPath(plan.path, caller) : undefined;
    const device = inventory.createObject({
      name: plan.name,
      type: plan.type,
      owner: username,
      fragments: plan.fragments,
    });
    inventory.bindExternalId(plan.idType, plan.id, device);
    for (const [type, value] of plan.externalIds) inventory.bindExternalId(type, value, device);
    if (groups) inventory.link(groups.leafId, "childAssets", device);
    ctx.users.upsertHashed(tenant, username, passwordHash, "device");
    const changes = groups?.changes ?? noChanges();
    changes.created.push(device);
    if (groups && !groups.leafIsNew) changes.updated.push(groups.leafId);
    return { status: "CREATED" as const, changes };
  }

  return { register };
}

const noChanges = (): InventoryChanges => ({ created: [], updated: [] });

function isConstraintError(e: unknown): boolean {
  return e instanceof Error && "code" in e && String(e.code).startsWith("SQLITE_CONSTRAINT");
}

/** UTF-8, or ANSI (Windows-1252 ≈ Latin-1) when the bytes are not valid UTF-8 (docs/platform-api.md §5.3). */
function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return bytes.toString("latin1");
  }
}

function readColumns(header: string[]): Columns {
  const cols: Columns = { known: new Map(), externalIds: [], custom: [] };
  const seen = new Set<string>();
  header.forEach((name, index) => {
    if (name === "") throw invalidData(RESOURCE, `Column ${index + 1} of the header has no name`);
    const upper = name.toUpperCase();
    const known = (KNOWN_COLUMNS as readonly string[]).includes(upper) ? (upper as KnownColumn) : undefined;
    const key = known ?? (upper.startsWith("EXTERNAL-") ? upper : name);
    if (seen.has(key)) throw invalidData(RESOURCE, `Column ${name} appears more than once in the header`);
    seen.add(key);
    if (known) cols.known.set(known, index);
    else if (upper.startsWith("EXTERNAL-")) {
      const type = name.slice("external-".length).trim();
      if (type === "") throw invalidData(RESOURCE, `Column ${name} names no external id type`);
      cols.externalIds.push({ type, index });
    } else {
      const path = name.split(".");
      if (path.some((s) => s.trim() === ""))
        throw invalidData(RESOURCE, `Column ${name} is not a valid property name`);
      // Every dot is a level of the stored fragment; the same limits hold as for any other write.
      if (path.length > MAX_NESTING)
        throw invalidData(RESOURCE, `Column ${name.slice(0, 64)}… nests more than ${MAX_NESTING} levels`);
      for (const segment of path) assertFieldName(segment, RESOURCE);
      if (path[0]!.startsWith("$"))
        throw invalidData(RESOURCE, `Column ${name} is not a valid property name: it starts with '$'`);
      if (RESERVED_PROPERTIES.has(path[0]!))
        throw invalidData(RESOURCE, `Column ${name} would overwrite the platform's own field ${path[0]}`);
      cols.custom.push({ path, index });
    }
  });
  if (!cols.known.has("ID")) throw invalidData(RESOURCE, "The header has no ID column");
  return cols;
}

/** File-level rules of the full format (docs/platform-api.md §5.3). */
function checkFullFormat(cols: Columns): void {
  if (!cols.known.has("CREDENTIALS") && !cols.known.has("AUTH_TYPE"))
    throw invalidData(RESOURCE, "The header has no CREDENTIALS column");
  const needsTypeAndName = (["ICCID", "IDTYPE", "PATH", "SHELL"] as const).filter((c) => cols.known.has(c));
  if (needsTypeAndName.length > 0 && (!cols.known.has("TYPE") || !cols.known.has("NAME")))
    throw invalidData(RESOURCE, `Columns ${needsTypeAndName.join(", ")} require the columns TYPE and NAME`);
  // Two columns writing the same place ("a" and "a.b", or ICCID and c8y_Mobile) cannot both be honoured.
  const paths = cols.custom.map((c) => c.path);
  if (cols.known.has("ICCID")) paths.push(["c8y_Mobile", "iccid"]);
  if (cols.known.has("SHELL")) paths.push(["c8y_SupportedOperations"]);
  for (let i = 0; i < paths.length; i++)
    for (let j = 0; j < paths.length; j++) {
      const a = paths[i]!;
      const b = paths[j]!;
      if (i !== j && a.length <= b.length && a.every((s, k) => s === b[k]))
        throw invalidData(RESOURCE, `Columns ${a.join(".")} and ${b.join(".")} write the same property`);
    }
}

function cell(record: CsvRecord, cols: Columns, name: KnownColumn): string | undefined {
  const index = cols.known.get(name);
  return index === undefined ? undefined : record.fields[index];
}

function readPath(record: CsvRecord, cols: Columns): string[] | undefined {
  const raw = (cell(record, cols, "PATH") ?? "").trim();
  if (raw === "") return undefined;
  const segments = raw.split("/").map((s) => s.trim());
  if (segments.some((s) => s === "")) throw new RowError(`Invalid PATH '${raw}': a group name is empty`);
  return segments;
}

function planRequest(record: CsvRecord, cols: Columns, id: string): RowPlan {
  return { kind: "request", id, path: readPath(record, cols), record };
}

function planDevice(record: CsvRecord, cols: Columns, id: string): RowPlan {
  const authType = (cell(record, cols, "AUTH_TYPE") ?? "").trim().toUpperCase() || "BASIC";
  if (authType !== "BASIC" && authType !== "CERTIFICATES")
    throw new RowError(`Invalid AUTH_TYPE '${authType}': expected BASIC or CERTIFICATES`);
  let password: string | undefined;
  if (authType === "BASIC") {
    password = cell(record, cols, "CREDENTIALS") ?? "";
    if (password === "") throw new RowError("CREDENTIALS is required unless AUTH_TYPE is CERTIFICATES");
    if (password.length < MIN_PASSWORD_LENGTH)
      throw new RowError(`The password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const fragments: Record<string, unknown> = { c8y_IsDevice: {} };
  // Values stay strings; dotted column names make nested objects; empty cells set nothing (§5.3).
  for (const { path, index } of cols.custom) {
    const value = record.fields[index] ?? "";
    if (value !== "") setPath(fragments, path, value);
  }
  const iccid = (cell(record, cols, "ICCID") ?? "").trim();
  if (iccid !== "") setPath(fragments, ["c8y_Mobile", "iccid"], iccid);
  const shell = (cell(record, cols, "SHELL") ?? "").trim().toLowerCase();
  if (shell === "1" || shell === "true") fragments.c8y_SupportedOperations = [SHELL_OPERATION];
  else if (shell !== "" && shell !== "0" && shell !== "false")
    throw new RowError(`Invalid SHELL '${shell}': expected 1 or 0`);
  const idType = (cell(record, cols, "IDTYPE") ?? "").trim() || "c8y_Serial";
  const externalIds: [string, string][] = [];
  for (const { type, index } of cols.externalIds) {
    const value = (record.fields[index] ?? "").trim();
    if (value === "" || (type === idType && value === id)) continue; // the main identity once is enough
    externalIds.push([type, value]);
  }
  const name = (cell(record, cols, "NAME") ?? "").trim();
  const type = (cell(record, cols, "TYPE") ?? "").trim();
  return {
    kind: "device",
    id,
    idType,
    password,
    name: name || undefined,
    type: type || undefined,
    fragments,
    path: readPath(record, cols),
    externalIds,
    record,
  };
}

/** Sets a nested value through own properties only, so a "__proto__" column name can never reach a prototype. */
function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  const define = (obj: Record<string, unknown>, key: string, v: unknown) =>
    Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next: unknown = Object.hasOwn(node, key) ? node[key] : undefined;
    if (typeof next === "object" && next !== null && !Array.isArray(next))
      node = next as Record<string, unknown>;
    else {
      const child: Record<string, unknown> = {};
      define(node, key, child);
      node = child;
    }
  }
  define(node, path[path.length - 1]!, value);
}
