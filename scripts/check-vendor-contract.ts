// npx tsx scripts/check-vendor-contract.ts <vendor c8y-oas.yml>
//
// A one-off check of the emulator and of our contract (lib/server/upstream/platform.openapi.yaml) against the
// vendor's published OpenAPI definition, for the calls the console and the simulated devices make. The vendor's
// document is read from the path given (docs/platform-api.md §8 says where copies are); it is never stored in this
// repository (its licence is unclear, §8). The result is recorded in docs/contract.md, "Checked against the vendor".
//
// Two parts:
//  1. Dynamic: a real emulator (in memory, ephemeral port) is driven through the calls; every answer must use a
//     status the vendor lists, a media type it lists (application/json stands for the vendor type, §2.1), and its
//     body must match the vendor's schema for that media type.
//  2. Static: for the same operations, our contract's parameters, statuses, media types and response fields are
//     compared with the vendor's (parameter names, property types, required fields).
import { readFileSync } from "node:fs";
import Ajv from "ajv";
import type { ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { parse } from "yaml";
import { startPlatform } from "../emulator/platform/server.js";
import { CONTRACT_FILE } from "../tests/support/contract.js";

type Json = Record<string, unknown>;
type Method = "get" | "post" | "put" | "delete";
interface Operation {
  operationId?: string;
  parameters?: Json[];
  responses?: Record<string, Json>;
  requestBody?: Json;
}
interface Doc {
  paths: Record<string, Partial<Record<Method, Operation>> & { parameters?: Json[] }>;
  components: Record<string, Record<string, Json>>;
}

const vendorFile = process.argv[2];
if (!vendorFile) {
  console.error("usage: npx tsx scripts/check-vendor-contract.ts <path to the vendor's c8y-oas.yml>");
  process.exit(2);
}
const vendor = parse(readFileSync(vendorFile, "utf8"), { maxAliasCount: -1 }) as Doc;
const ours = parse(readFileSync(CONTRACT_FILE, "utf8"), { maxAliasCount: -1 }) as Doc;

/** The calls the console (lib/server/services, lib/server/realtime) and the simulated devices make. */
const USED: [Method, string][] = [
  ["get", "/tenant/loginOptions"],
  ["post", "/tenant/oauth/token"],
  ["get", "/tenant/currentTenant"],
  ["get", "/user/currentUser"],
  ["post", "/user/logout"],
  ["get", "/inventory/managedObjects"],
  ["post", "/inventory/managedObjects"],
  ["get", "/inventory/managedObjects/{id}"],
  ["put", "/inventory/managedObjects/{id}"],
  ["delete", "/inventory/managedObjects/{id}"],
  ["get", "/inventory/managedObjects/{id}/childDevices"],
  ["post", "/inventory/managedObjects/{id}/childDevices"],
  ["delete", "/inventory/managedObjects/{id}/childDevices/{childId}"],
  ["get", "/inventory/managedObjects/{id}/childAssets"],
  ["post", "/inventory/managedObjects/{id}/childAssets"],
  ["delete", "/inventory/managedObjects/{id}/childAssets/{childId}"],
  ["get", "/identity/externalIds/{type}/{externalId}"],
  ["delete", "/identity/externalIds/{type}/{externalId}"],
  ["get", "/identity/globalIds/{id}/externalIds"],
  ["post", "/identity/globalIds/{id}/externalIds"],
  ["get", "/devicecontrol/operations"],
  ["post", "/devicecontrol/operations"],
  ["get", "/devicecontrol/operations/{id}"],
  ["put", "/devicecontrol/operations/{id}"],
  ["get", "/devicecontrol/newDeviceRequests"],
  ["post", "/devicecontrol/newDeviceRequests"],
  ["get", "/devicecontrol/newDeviceRequests/{id}"],
  ["put", "/devicecontrol/newDeviceRequests/{id}"],
  ["delete", "/devicecontrol/newDeviceRequests/{id}"],
  ["post", "/devicecontrol/bulkNewDeviceRequests"],
  ["post", "/devicecontrol/deviceCredentials"],
  ["get", "/devicecontrol"],
  ["get", "/inventory"],
  ["get", "/identity"],
];

const segmentsOf = (path: string) => path.split("/").filter(Boolean);
const isParam = (s: string) => s.startsWith("{");

/** The template of `doc` for a concrete path or a template (parameters match anything), literals first. */
function templateFor(doc: Doc, path: string): string | undefined {
  const want = segmentsOf(path);
  const candidates = Object.keys(doc.paths).filter((t) => {
    const s = segmentsOf(t);
    // A parameter of the wanted template stands for any value, so only a parameter matches it.
    return (
      s.length === want.length &&
      s.every((seg, i) => (isParam(want[i]!) ? isParam(seg) : isParam(seg) || seg === want[i]))
    );
  });
  candidates.sort((a, b) => segmentsOf(a).filter(isParam).length - segmentsOf(b).filter(isParam).length);
  return candidates[0];
}

function deref(doc: Doc, node: unknown): Json {
  let n = node as Json;
  for (let i = 0; i < 10 && n && typeof n.$ref === "string"; i++) {
    const [, kind, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(n.$ref)!;
    n = doc.components[kind!]![name!]!;
  }
  return n;
}

/** Properties and required names of a schema, through $ref and allOf (anyOf/oneOf: their union). */
function flatten(doc: Doc, schema: unknown): { properties: Record<string, Json>; required: Set<string> } {
  const out = { properties: {} as Record<string, Json>, required: new Set<string>() };
  const s = deref(doc, schema);
  if (!s) return out;
  for (const part of [
    ...((s.allOf as unknown[]) ?? []),
    ...((s.anyOf as unknown[]) ?? []),
    ...((s.oneOf as unknown[]) ?? []),
  ]) {
    const f = flatten(doc, part);
    Object.assign(out.properties, f.properties);
    if (s.allOf) f.required.forEach((r) => out.required.add(r));
  }
  Object.assign(out.properties, (s.properties as Record<string, Json>) ?? {});
  for (const r of (s.required as string[]) ?? []) out.required.add(r);
  return out;
}

function typeOf(doc: Doc, schema: unknown): string {
  const s = deref(doc, schema);
  if (!s) return "?";
  if (typeof s.type === "string") return s.type;
  if (Array.isArray(s.type)) return (s.type as string[]).filter((t) => t !== "null").join("|");
  if (s.properties || s.additionalProperties) return "object";
  const parts = (s.anyOf ?? s.oneOf ?? s.allOf) as unknown[] | undefined;
  return parts ? [...new Set(parts.map((p) => typeOf(doc, p)))].join("|") : "any";
}

const findings: string[] = [];
const note = (path: string, what: string) => findings.push(`| ${path} | ${what} |`);

// ---- Static comparison -------------------------------------------------------------------------------------------

function parametersOf(doc: Doc, template: string, method: Method): Map<string, Json> {
  const item = doc.paths[template]!;
  const all = [...(item.parameters ?? []), ...(item[method]?.parameters ?? [])].map((p) => deref(doc, p));
  return new Map(all.map((p) => [`${String(p.in)}:${String(p.name)}`, p]));
}

function responsesOf(doc: Doc, op: Operation): Map<string, Record<string, Json>> {
  const out = new Map<string, Record<string, Json>>();
  for (const [status, r] of Object.entries(op.responses ?? {})) {
    const resolved = deref(doc, r);
    out.set(status, (resolved.content as Record<string, Json>) ?? {});
  }
  return out;
}

for (const [method, path] of USED) {
  const vt = templateFor(vendor, path);
  const ot = templateFor(ours, path);
  const where = `${method.toUpperCase()} ${path}`;
  if (!vt || !vendor.paths[vt]![method]) {
    note(where, "not in the vendor's definition");
    continue;
  }
  if (!ot || !ours.paths[ot]![method]) {
    note(where, "not in our contract");
    continue;
  }
  const vop = vendor.paths[vt]![method];
  const oop = ours.paths[ot]![method];
  // Query parameters we document must exist at the vendor (path parameter names are free).
  const vparams = parametersOf(vendor, vt, method);
  for (const [key, p] of parametersOf(ours, ot, method)) {
    if (p.in !== "query") continue;
    if (!vparams.has(key)) note(where, `query parameter \`${String(p.name)}\` is ours only`);
  }
  const vres = responsesOf(vendor, vop);
  const ores = responsesOf(ours, oop);
  const oursOnly = [...ores.keys()].filter((status) => !vres.has(status) && status !== "default");
  if (oursOnly.length > 0) note(where, `statuses ${oursOnly.join(", ")} are ours only`);
  for (const status of vres.keys())
    if (!ores.has(status) && status !== "default") note(where, `status ${status} is the vendor's only`);
  for (const [status, content] of ores) {
    const vcontent = vres.get(status);
    // Error answers: the vendor often documents no body at all; ours is always the error shape (§2.4).
    if (!vcontent || Number(status) >= 400) continue;
    if (Object.keys(vcontent).length === 0) {
      if (Object.keys(content).length > 0)
        note(where, `${status}: the vendor documents no body, ours documents one`);
      continue;
    }
    const vtypes = Object.keys(vcontent).map((t) => t.toLowerCase());
    for (const type of Object.keys(content)) {
      const t = type.toLowerCase();
      if (t !== "application/json" && !vtypes.includes(t))
        note(where, `${status}: media type ${type} is ours only`);
    }
    const vSchemaNode = Object.values(vcontent)[0]?.schema;
    const oSchemaNode = Object.entries(content).find(([t]) => t.toLowerCase() !== "application/json")?.[1]
      ?.schema;
    if (!vSchemaNode || !oSchemaNode) continue;
    compareSchemas(where, `${status}: `, oSchemaNode, vSchemaNode, 0);
  }
  // Request bodies: what the vendor requires must be required (so the BFF sends it), types must agree.
  const vbody = Object.values((deref(vendor, vop.requestBody)?.content as Record<string, Json>) ?? {})[0]
    ?.schema;
  const obody = Object.entries((deref(ours, oop.requestBody)?.content as Record<string, Json>) ?? {}).find(
    ([t]) => t.toLowerCase() !== "application/json",
  )?.[1]?.schema;
  if (vbody && obody) compareSchemas(where, "request: ", obody, vbody, 0);
}

/** Property types and required names, ours against the vendor's; nested objects two levels down. */
function compareSchemas(
  where: string,
  prefix: string,
  oursSchema: unknown,
  vendorSchema: unknown,
  depth: number,
) {
  const v = flatten(vendor, vendorSchema);
  const o = flatten(ours, oursSchema);
  for (const [name, schema] of Object.entries(o.properties)) {
    const vp = v.properties[name];
    if (!vp) continue;
    const ot = typeOf(ours, schema);
    const vt = typeOf(vendor, vp);
    if (ot !== vt && vt !== "any" && ot !== "any" && !(vt === "integer" && ot === "number"))
      note(where, `${prefix}\`${name}\` is ${ot} here, ${vt} at the vendor`);
    else if (ot === "object" && depth < 2) compareSchemas(where, `${prefix}${name}.`, schema, vp, depth + 1);
  }
  for (const name of Object.keys(v.properties))
    if (depth > 0 && !o.properties[name] && Object.keys(o.properties).length > 0)
      note(where, `${prefix}\`${name}\` is the vendor's only`);
  for (const name of v.required)
    if (!o.required.has(name)) note(where, `${prefix}\`${name}\` is required by the vendor, optional here`);
}

// ---- Dynamic comparison ------------------------------------------------------------------------------------------

// The vendor's own formats (phone…) are not checked; `logger: false` keeps them from flooding the output.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, logger: false });
addFormats(ajv);
const validators = new Map<unknown, ValidateFunction>();
function validatorFor(schema: unknown): ValidateFunction {
  let v = validators.get(schema);
  if (!v) validators.set(schema, (v = ajv.compile({ allOf: [schema], components: vendor.components })));
  return v;
}

const checked: string[] = [];
const platform = await startPlatform({
  adminPassword: "check-admin-1",
  bootstrapPassword: "check-boot-1",
  port: 0,
});
const basic = (u: string, pw: string) => `Basic ${Buffer.from(`${u}:${pw}`).toString("base64")}`;
const admin = basic("t1000/admin", "check-admin-1");
const bootstrap = basic("management/devicebootstrap", "check-boot-1");

async function call(
  method: string,
  path: string,
  options: { auth?: string | null; body?: unknown; type?: string; accept?: string; raw?: BodyInit } = {},
): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = { accept: options.accept ?? "application/json" };
  if (options.auth !== null) headers.authorization = options.auth ?? admin;
  let body: BodyInit | undefined = options.raw;
  if (options.body !== undefined) {
    headers["content-type"] = options.type ?? "application/json";
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  }
  const res = await fetch(`${platform.url}${path}`, { method, headers, body });
  const text = await res.text();
  const json = text === "" ? undefined : (JSON.parse(text) as Json);
  const templ = templateFor(vendor, new URL(path, platform.url).pathname);
  const where = `${method} ${path.split("?")[0]}`;
  const op = templ ? vendor.paths[templ]![method.toLowerCase() as Method] : undefined;
  if (!op) {
    note(where, `answered ${res.status}; the vendor has no such operation`);
    return { status: res.status, body: json ?? {} };
  }
  const response = op.responses?.[String(res.status)] ?? op.responses?.default;
  if (!response) {
    note(
      where,
      `answered ${res.status}, which the vendor does not list (${Object.keys(op.responses ?? {}).join(", ")})`,
    );
    return { status: res.status, body: json ?? {} };
  }
  const content = (deref(vendor, response).content as Record<string, Json> | undefined) ?? {};
  const type = (res.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (json !== undefined && Object.keys(content).length === 0) {
    if (res.status < 400) note(where, `${res.status}: answers with a body where the vendor documents none`);
  } else if (json !== undefined) {
    const entries = Object.entries(content);
    let media = entries.find(([t]) => t.toLowerCase() === type);
    if (!media && type === "application/json" && entries.length > 0) media = entries[0]; // §2.1
    if (!media)
      note(where, `${res.status}: media type ${type} is not listed (${Object.keys(content).join(", ")})`);
    else if (media[1].schema) {
      const validate = validatorFor(media[1].schema);
      if (!validate(json))
        for (const e of validate.errors ?? [])
          note(
            where,
            `${res.status}: body ${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`,
          );
    }
  }
  checked.push(`${where} → ${res.status}`);
  return { status: res.status, body: json ?? {} };
}

try {
  await call("GET", "/tenant/loginOptions", { auth: null });
  const token = await call("POST", "/tenant/oauth/token?tenant_id=t1000", {
    auth: null,
    type: "application/x-www-form-urlencoded",
    body: "grant_type=PASSWORD&username=admin&password=check-admin-1",
  });
  await call("GET", "/tenant/currentTenant");
  await call("GET", "/user/currentUser");
  await call("GET", "/user/currentUser", { accept: "application/vnd.com.nsn.cumulocity.user+json" });
  await call("GET", "/devicecontrol");
  await call("GET", "/inventory");
  await call("GET", "/identity");

  // Registration through to the device's credentials (docs/startup-phase.md steps 0–1).
  await call("POST", "/devicecontrol/newDeviceRequests", { body: { id: "vc-1" } });
  await call("POST", "/devicecontrol/newDeviceRequests", { body: { id: "vc-2" } });
  await call("GET", "/devicecontrol/newDeviceRequests?pageSize=100&withTotalPages=true");
  await call("GET", "/devicecontrol/newDeviceRequests/vc-1");
  await call("POST", "/devicecontrol/deviceCredentials", { auth: bootstrap, body: { id: "vc-1" } });
  await call("PUT", "/devicecontrol/newDeviceRequests/vc-1", { body: { status: "ACCEPTED" } });
  const creds = await call("POST", "/devicecontrol/deviceCredentials", {
    auth: bootstrap,
    body: { id: "vc-1" },
  });
  await call("DELETE", "/devicecontrol/newDeviceRequests/vc-2");
  await call("GET", "/devicecontrol/newDeviceRequests/vc-2");
  const device = basic(`t1000/${String(creds.body.username)}`, String(creds.body.password));

  // The device creates itself (steps 2–4).
  await call("GET", "/identity/externalIds/c8y_Serial/vc-1", { auth: device });
  const agent = await call("POST", "/inventory/managedObjects", {
    auth: device,
    body: {
      name: "vc-1",
      type: "c8y_Linux",
      c8y_IsDevice: {},
      com_cumulocity_model_Agent: {},
      c8y_SupportedOperations: ["c8y_Restart"],
    },
  });
  const agentId = String(agent.body.id);
  await call("POST", `/identity/globalIds/${agentId}/externalIds`, {
    auth: device,
    body: { type: "c8y_Serial", externalId: "vc-1" },
  });
  await call("GET", "/identity/externalIds/c8y_Serial/vc-1", { auth: device });
  await call("GET", `/identity/globalIds/${agentId}/externalIds`);
  await call("PUT", `/inventory/managedObjects/${agentId}`, {
    auth: device,
    body: { c8y_Firmware: { name: "fw", version: "1" } },
  });
  const child = await call("POST", `/inventory/managedObjects/${agentId}/childDevices`, {
    auth: device,
    body: { name: "child", c8y_IsDevice: {} },
    type: "application/vnd.com.nsn.cumulocity.managedObject+json",
  });
  const childId = String(child.body.id);
  await call("GET", `/inventory/managedObjects/${agentId}/childDevices?pageSize=100&withTotalPages=true`);
  await call(
    "GET",
    `/inventory/managedObjects/${agentId}?withParents=true&withChildren=true&withChildrenCount=true`,
  );
  await call("GET", "/inventory/managedObjects?fragmentType=c8y_IsDevice&pageSize=100&withTotalPages=true");
  await call(
    "GET",
    "/inventory/managedObjects?query=" + encodeURIComponent("$filter=(name eq 'vc*') $orderby=name"),
  );

  // Groups (console).
  const group = await call("POST", "/inventory/managedObjects", {
    body: { name: "North", type: "c8y_DeviceGroup", c8y_IsDeviceGroup: {} },
  });
  const groupId = String(group.body.id);
  await call("POST", `/inventory/managedObjects/${groupId}/childAssets`, {
    body: { managedObject: { id: agentId } },
    type: "application/vnd.com.nsn.cumulocity.managedObjectReference+json",
  });
  await call("GET", `/inventory/managedObjects/${groupId}/childAssets?pageSize=100`);
  await call("DELETE", `/inventory/managedObjects/${groupId}/childAssets/${agentId}`);

  // Operations (step 6 and the console).
  const op = await call("POST", "/devicecontrol/operations", {
    body: { deviceId: agentId, description: "Restart", c8y_Restart: {} },
  });
  const opId = String(op.body.id);
  await call("GET", `/devicecontrol/operations?agentId=${agentId}&status=PENDING&pageSize=100`, {
    auth: device,
  });
  await call(
    "GET",
    `/devicecontrol/operations?deviceId=${agentId}&pageSize=20&revert=true&withTotalPages=true`,
  );
  await call("GET", `/devicecontrol/operations/${opId}`);
  await call("PUT", `/devicecontrol/operations/${opId}`, { auth: device, body: { status: "EXECUTING" } });
  await call("PUT", `/devicecontrol/operations/${opId}`, {
    auth: device,
    body: { status: "FAILED", failureReason: "no" },
  });
  await call("PUT", `/devicecontrol/operations/${opId}`, { auth: device, body: { status: "PENDING" } });
  await call("GET", "/devicecontrol/operations/999999999");

  // Bulk registration (console).
  const form = new FormData();
  form.append("file", new Blob(["ID;PATH\nvc-bulk-1;North/East\n"]), "devices.csv");
  await call("POST", "/devicecontrol/bulkNewDeviceRequests", { raw: form });

  // Unbinding and deleting (console, devices).
  await call("DELETE", `/inventory/managedObjects/${agentId}/childDevices/${childId}`);
  await call("DELETE", "/identity/externalIds/c8y_Serial/vc-1");
  await call("GET", `/inventory/managedObjects/${childId}`, { auth: device });
  await call("DELETE", `/inventory/managedObjects/${childId}`);
  await call("GET", "/inventory/managedObjects/999999999");
  await call("PUT", "/inventory/managedObjects/999999999", { body: { name: "x" } });

  const bearer = `Bearer ${String(token.body.access_token)}`;
  await call("POST", "/user/logout", { auth: bearer });
} finally {
  await platform.close();
}

console.log(`Checked ${checked.length} emulator answers against ${vendorFile}.\n`);
console.log("| call | difference |\n| --- | --- |");
for (const f of [...new Set(findings)]) console.log(f);
if (findings.length === 0) console.log("| (none) | |");
