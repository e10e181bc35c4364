// Checks platform responses against our contract, lib/server/upstream/platform.openapi.yaml (see docs/contract.md).
// Tests use it through TestPlatform.request so that every answer the emulator gives is held to the same document
// the BFF's types are generated from: drift on either side shows up as a failing test.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { parse } from "yaml";

export const CONTRACT_FILE = fileURLToPath(
  new URL("../../lib/server/upstream/platform.openapi.yaml", import.meta.url),
);

/** Bayeux endpoints speak their own protocol (docs/realtime.md), not the REST contract. */
const REALTIME_PREFIXES = [
  "/notification/realtime",
  "/notification/operations",
  "/cep/realtime",
  "/devicecontrol/notifications",
];

type Method = "get" | "put" | "post" | "delete" | "patch" | "head" | "options";

type Json = Record<string, unknown>;

interface MediaTypeObject {
  schema?: unknown;
}
interface HeaderObject {
  required?: boolean;
  $ref?: string;
}
interface ResponseObject {
  $ref?: string;
  description?: string;
  headers?: Record<string, HeaderObject>;
  content?: Record<string, MediaTypeObject>;
}
interface OperationObject {
  operationId?: string;
  responses?: Record<string, ResponseObject>;
}
type PathItem = Partial<Record<Method, OperationObject>>;
interface OpenApiDocument {
  paths: Record<string, PathItem>;
  components?: {
    schemas?: Record<string, unknown>;
    responses?: Record<string, ResponseObject>;
    headers?: Record<string, HeaderObject>;
  };
}

interface Template {
  template: string;
  segments: string[];
  item: PathItem;
}

export class ContractViolation extends Error {
  override name = "ContractViolation";
}

export interface ResponseUnderTest {
  method: string;
  /** Absolute URL or path with query. */
  url: string;
  status: number;
  /** The Content-Type header, or null/undefined when there was none. */
  contentType: string | null | undefined;
  /** Parsed JSON body; undefined when the body was empty. */
  body: unknown;
  /** Response headers, to check the ones the contract marks as required (e.g. Location on 201). */
  headers?: Headers;
}

/** The loaded contract: path templates, compiled schemas (cached per response and media type). */
class Contract {
  private readonly doc: OpenApiDocument;
  private readonly templates: Template[];
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(file: string) {
    this.doc = parse(readFileSync(file, "utf8"), { maxAliasCount: -1 }) as OpenApiDocument;
    this.templates = Object.entries(this.doc.paths).map(([template, item]) => ({
      template,
      segments: template.split("/").filter(Boolean),
      item,
    }));
    // Literal segments beat parameters, as in the emulator's router: /managedObjects/count before /{id}.
    this.templates.sort((a, b) => compareSpecificity(a.segments, b.segments));
    this.ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, allowUnionTypes: true });
    addFormats(this.ajv);
    // One schema document holding every component schema; response schemas refer into it.
    this.ajv.addSchema({
      $id: "contract:components",
      $defs: rewriteRefs(this.doc.components?.schemas ?? {}),
    });
  }

  /** The templates whose shape matches the path, most specific first. */
  matchPath(pathname: string): Template[] {
    const segments: string[] = [];
    for (const raw of pathname.split("/")) {
      if (raw === "") continue;
      try {
        segments.push(decodeURIComponent(raw));
      } catch {
        segments.push(raw);
      }
    }
    return this.templates.filter(
      (t) =>
        t.segments.length === segments.length && t.segments.every((s, i) => isParam(s) || s === segments[i]),
    );
  }

  resolveResponse(response: ResponseObject): ResponseObject {
    const ref = response.$ref;
    if (!ref) return response;
    const name = ref.replace(/^#\/components\/responses\//, "");
    const target = this.doc.components?.responses?.[name];
    if (!target) throw new Error(`Contract: unresolved response reference ${ref}`);
    return target;
  }

  resolveHeader(header: HeaderObject): HeaderObject {
    if (!header.$ref) return header;
    const name = header.$ref.replace(/^#\/components\/headers\//, "");
    const target = this.doc.components?.headers?.[name];
    if (!target) throw new Error(`Contract: unresolved header reference ${header.$ref}`);
    return target;
  }

  errorSchemaValidator(): ValidateFunction {
    return this.validator("generic-error", { $ref: "#/components/schemas/Error" });
  }

  validator(key: string, schema: unknown): ValidateFunction {
    let fn = this.compiled.get(key);
    if (!fn) {
      fn = this.ajv.compile(rewriteRefs(schema) as object);
      this.compiled.set(key, fn);
    }
    return fn;
  }
}

let loaded: Contract | undefined;
function contract(): Contract {
  loaded ??= new Contract(CONTRACT_FILE);
  return loaded;
}

/** True for paths the REST contract does not govern (the Bayeux endpoints). */
export function isContractExempt(pathname: string): boolean {
  return REALTIME_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

/**
 * Throws a ContractViolation unless the response is what the contract documents for this method, path and
 * status: the status must be listed, a JSON body must match the schema of its media type, and a response
 * documented without content must have no body. Two platform-wide answers need no listing: 404 for a path the
 * contract does not know and 405 for a method a known path does not offer, and 400 for a path whose percent-encoding
 * is malformed; all must carry the error body.
 */
export function validateResponse(r: ResponseUnderTest): void {
  const c = contract();
  const method = r.method.toUpperCase();
  const { pathname } = new URL(r.url, "http://platform.invalid");
  const where = `${method} ${r.url} → ${r.status}`;
  if (isContractExempt(pathname)) return;
  if (r.status === 400 && hasMalformedEncoding(pathname)) {
    // Rejected before any route is chosen, whatever the path.
    checkBody(where, "the platform error body", c.errorSchemaValidator(), r.body, r.contentType);
    return;
  }

  const candidates = c.matchPath(pathname);
  const lower = method.toLowerCase() as Method;
  const found = candidates.find((t) => t.item[lower] !== undefined);
  if (!found) {
    const generic = candidates.length === 0 ? 404 : 405;
    if (r.status === generic) {
      checkBody(where, "the platform error body", c.errorSchemaValidator(), r.body, r.contentType);
      return;
    }
    throw new ContractViolation(
      candidates.length === 0
        ? `${where}: the path is not in the contract (${CONTRACT_FILE})`
        : `${where}: the contract has no ${method} for ${candidates.map((t) => t.template).join(", ")}`,
    );
  }
  const operation = found.item[lower]!;
  const opName = `${operation.operationId ?? method} (${method} ${found.template})`;
  const declared =
    operation.responses?.[String(r.status)] ?? operation.responses?.[`${String(r.status)[0]}XX`];
  if (!declared) {
    const listed = Object.keys(operation.responses ?? {}).join(", ");
    throw new ContractViolation(
      `${where}: status ${r.status} is not documented for ${opName} (documented: ${listed})`,
    );
  }
  const response = c.resolveResponse(declared);

  if (r.headers) {
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      if (c.resolveHeader(header).required && !r.headers.has(name))
        throw new ContractViolation(`${where}: ${opName} requires the response header ${name}`);
    }
  }

  const hasBody = r.body !== undefined;
  const content = response.content;
  if (!content || Object.keys(content).length === 0) {
    if (hasBody)
      throw new ContractViolation(
        `${where}: ${opName} documents no body for ${r.status}, got ${preview(r.body)}`,
      );
    return;
  }
  // POST/PUT answer without a body when the request had no Accept header (docs/platform-api.md §2.2).
  if (!hasBody) return;
  const essence = mediaEssence(r.contentType);
  if (!isJsonMedia(essence)) return;
  const entry = Object.entries(content).find(([type]) => type.toLowerCase() === essence);
  if (!entry)
    throw new ContractViolation(
      `${where}: content type ${r.contentType ?? "(none)"} is not documented for ${opName} ${r.status} ` +
        `(documented: ${Object.keys(content).join(", ")})`,
    );
  const [type, media] = entry;
  if (media.schema === undefined) return;
  const key = `${found.template} ${method} ${r.status} ${type}`;
  checkBody(where, `${opName} ${r.status} ${type}`, c.validator(key, media.schema), r.body, r.contentType);
}

/** validateResponse for a fetch Response; reads a clone, so the caller can still consume the body. */
export async function validateFetchResponse(method: string, url: string, res: Response): Promise<void> {
  // Decided before reading: a long-poll's body would keep us waiting.
  if (isContractExempt(new URL(url, "http://platform.invalid").pathname)) return;
  const text = method.toUpperCase() === "HEAD" ? "" : await res.clone().text();
  const contentType = res.headers.get("content-type");
  let body: unknown;
  if (text !== "") {
    if (!isJsonMedia(mediaEssence(contentType))) {
      // Not JSON: only the status is held to the contract.
      validateResponse({
        method,
        url,
        status: res.status,
        contentType,
        body: undefined,
        headers: res.headers,
      });
      return;
    }
    try {
      body = JSON.parse(text);
    } catch {
      throw new ContractViolation(
        `${method} ${url} → ${res.status}: body labelled ${contentType} is not JSON: ${text.slice(0, 200)}`,
      );
    }
  }
  validateResponse({ method, url, status: res.status, contentType, body, headers: res.headers });
}

function checkBody(
  where: string,
  what: string,
  validate: ValidateFunction,
  body: unknown,
  contentType: string | null | undefined,
) {
  if (body === undefined) {
    throw new ContractViolation(`${where}: ${what} expects a body, got none`);
  }
  if (contentType !== undefined && contentType !== null && !isJsonMedia(mediaEssence(contentType))) return;
  if (validate(body)) return;
  const errors = formatErrors(validate.errors ?? [], body);
  throw new ContractViolation(`${where}: body does not match ${what}:\n${errors}\nbody: ${preview(body)}`);
}

/** Ajv's errors as lines "at /path: message (value)"; anyOf noise is reduced to its branches' own errors. */
function formatErrors(errors: ErrorObject[], body: unknown): string {
  const lines = new Set<string>();
  for (const e of errors) {
    if (e.keyword === "anyOf" || e.keyword === "oneOf") continue;
    const value = valueAt(body, e.instancePath);
    const extra =
      e.keyword === "additionalProperties"
        ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'`
        : "";
    lines.add(
      `  at ${e.instancePath || "(root)"}: ${e.message ?? e.keyword}${extra} (got ${preview(value, 80)})`,
    );
    if (lines.size >= 12) break;
  }
  if (errors.some((e) => e.keyword === "anyOf"))
    lines.add("  (the body matched none of the alternatives; errors of each are listed above)");
  return [...lines].join("\n");
}

function valueAt(root: unknown, pointer: string): unknown {
  if (!pointer) return root;
  let v: unknown = root;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function preview(v: unknown, max = 400): string {
  const s = v === undefined ? "undefined" : JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function mediaEssence(contentType: string | null | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

function isJsonMedia(essence: string): boolean {
  return essence === "application/json" || /^application\/[^;]*\+json$/.test(essence);
}

function hasMalformedEncoding(pathname: string): boolean {
  return pathname.split("/").some((segment) => {
    try {
      decodeURIComponent(segment);
      return false;
    } catch {
      return true;
    }
  });
}

function isParam(segment: string): boolean {
  return segment.startsWith("{") && segment.endsWith("}");
}

function compareSpecificity(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const pa = isParam(a[i]!);
    const pb = isParam(b[i]!);
    if (pa !== pb) return pa ? 1 : -1;
  }
  return 0;
}

/** Points "#/components/schemas/X" at the shared schema document registered with Ajv. */
function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    out[k] =
      k === "$ref" && typeof v === "string"
        ? v.replace(/^#\/components\/schemas\//, "contract:components#/$defs/")
        : rewriteRefs(v);
  }
  return out;
}
