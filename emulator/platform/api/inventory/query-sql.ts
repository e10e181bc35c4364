import { isId } from "../../store/hierarchy.js";
import type { CompareOp, Expr, Literal, OrderKey } from "./query-language.js";
import { QuerySyntaxError } from "./query-language.js";

/**
 * Compiles the query language to SQLite over `managed_objects m` (columns for id/name/type/owner/timestamps,
 * json_extract on `m.fragments` for everything else). Values always travel as bound parameters.
 */

/** Named parameters (`@p0`, `@p1`…): a compiled fragment may repeat a parameter without caring about order. */
export class Params {
  readonly values: Record<string, unknown> = {};
  private n = 0;

  add(value: unknown): string {
    const name = `p${this.n++}`;
    this.values[name] = value;
    return `@${name}`;
  }
}

type Column = { sql: string; kind: "id" | "text" | "date" };

const COLUMNS: Record<string, Column> = {
  id: { sql: "m.id", kind: "id" },
  name: { sql: "m.name", kind: "text" },
  type: { sql: "m.type", kind: "text" },
  owner: { sql: "m.owner", kind: "text" },
  creationTime: { sql: "m.creation_time", kind: "date" },
  "creationTime.date": { sql: "m.creation_time", kind: "date" },
  lastUpdated: { sql: "m.last_updated", kind: "date" },
  "lastUpdated.date": { sql: "m.last_updated", kind: "date" },
};

const SQL_OPS: Record<Exclude<CompareOp, "ne">, string> = { eq: "=", gt: ">", ge: ">=", lt: "<", le: "<=" };

/**
 * The fragments as SQLite's JSON functions may read them: a document nested 1000 levels deep (stored before the
 * nesting limit) would make the whole query fail, so it reads as NULL and matches no JSON condition instead.
 */
export const READABLE_FRAGMENTS = "IIF(json_valid(m.fragments), m.fragments, NULL)";

/** `$."a"."b"`: every segment quoted so that keys with '-', '@' or ':' stay single keys. */
export function jsonPath(segments: readonly string[]): string {
  return "$" + segments.map((s) => `."${s}"`).join("");
}

/** A `*` wildcard string as a LIKE pattern (ESCAPE '\'); LIKE is case-insensitive for ASCII, as the platform is. */
function likePattern(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, "%");
}

/**
 * A LIKE pattern the stored JSON text must match for an eq on a string to hold: the string appears there as
 * `"value"`. Scanning text is several times cheaper than parsing JSON, so rare values are found fast. Only for
 * literals whose characters JSON.stringify writes unchanged (no quote, backslash or control character).
 */
function textPrefilter(op: CompareOp, value: Literal): string | undefined {
  if (op !== "eq" || value.t !== "string" || /["\\\u0000-\u001f]/.test(value.v)) return undefined;
  if (value.v.replace(/\*/g, "").length < 2) return undefined; // nothing selective to look for
  return `%"${likePattern(value.v)}"%`;
}

const hasWildcard = (lit: Literal) => lit.t === "string" && lit.v.includes("*");

function normaliseDate(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new QuerySyntaxError(`not a date: ${value}`);
  return new Date(ms).toISOString();
}

export class QueryCompiler {
  private alias = 0;

  constructor(private readonly params: Params) {}

  filter(expr: Expr): string {
    switch (expr.kind) {
      case "and":
        return `(${this.filter(expr.left)} AND ${this.filter(expr.right)})`;
      case "or":
        return `(${this.filter(expr.left)} OR ${this.filter(expr.right)})`;
      case "not":
        // Leaves may be NULL (missing property); NULL counts as false, so NOT must see a definite 0.
        return `(NOT IFNULL(${this.filter(expr.expr)}, 0))`;
      case "fn":
        return this.fn(expr.name, expr.args);
      case "cmp":
        if (expr.op === "ne") return `(NOT IFNULL(${this.compare(expr.path, "eq", expr.value)}, 0))`;
        return this.compare(expr.path, expr.op, expr.value);
    }
  }

  orderBy(keys: readonly OrderKey[]): string {
    if (keys.length === 0) return "m.id ASC";
    const parts = keys.map((k) => {
      const dir = k.dir === "desc" ? "DESC" : "ASC";
      const col = COLUMNS[k.path.join(".")];
      if (col?.kind === "text" && k.path[0] === "name") return `m.name COLLATE NOCASE ${dir}`;
      if (col) return `${col.sql} ${dir}`;
      return `json_extract(${READABLE_FRAGMENTS}, ${this.params.add(jsonPath(k.path))}) ${dir}`;
    });
    // Ties keep a stable order (the id), in the direction of the last key so an index can be walked backwards.
    const lastDir = keys[keys.length - 1]!.dir === "desc" ? "DESC" : "ASC";
    if (!keys.some((k) => k.path.length === 1 && k.path[0] === "id")) parts.push(`m.id ${lastDir}`);
    return parts.join(", ");
  }

  private fn(name: string, args: string[]): string {
    switch (name) {
      case "has": {
        const path = args[0]!.split(".");
        if (path.some((s) => s === "")) throw new QuerySyntaxError("empty fragment name");
        if (path.length === 1)
          return `EXISTS (SELECT 1 FROM mo_fragments f WHERE f.fragment = ${this.params.add(path[0])} AND f.mo_id = m.id)`;
        return `(json_type(${READABLE_FRAGMENTS}, ${this.params.add(jsonPath(path))}) IS NOT NULL)`;
      }
      case "hasany":
        return `EXISTS (SELECT 1 FROM mo_fragments f WHERE f.mo_id = m.id AND f.fragment IN (SELECT value FROM json_each(${this.params.add(JSON.stringify(args))})))`;
      case "bygroupid":
        // Direct child assets of the groups; as an IN list it is read once from the parent index.
        return `m.id IN (SELECT r.child_id FROM mo_refs r WHERE r.kind = 'childAssets' AND r.parent_id IN (SELECT value FROM json_each(${this.idList(args)})))`;
      case "isinhierarchyof":
        return `m.id IN (WITH RECURSIVE h(id) AS (SELECT value FROM json_each(${this.idList(args)}) UNION SELECT r.child_id FROM mo_refs r JOIN h ON r.parent_id = h.id WHERE r.kind IN ('childAssets', 'childDevices')) SELECT id FROM h)`;
      default:
        throw new QuerySyntaxError(`unknown function ${name}`);
    }
  }

  private idList(args: string[]): string {
    if (args.length === 0 || args.some((a) => !isId(a))) throw new QuerySyntaxError("ids expected");
    return this.params.add(JSON.stringify(args.map(Number)));
  }

  private compare(path: string[], op: Exclude<CompareOp, "ne">, value: Literal): string {
    const col = COLUMNS[path.join(".")];
    if (col) return this.compareColumn(col, op, value);
    const json = this.compareJson(READABLE_FRAGMENTS, path, op, value, 0);
    const pre = textPrefilter(op, value);
    // The prefilter is implied by the comparison, so adding it changes no result (also under NOT), only speed.
    return pre === undefined ? json : `(m.fragments LIKE ${this.params.add(pre)} ESCAPE '\\' AND ${json})`;
  }

  private compareColumn(col: Column, op: Exclude<CompareOp, "ne">, value: Literal): string {
    if (value.t === "null") return op === "eq" ? `(${col.sql} IS NULL)` : "0";
    if (col.kind === "id") {
      const raw = value.t === "number" ? String(value.v) : value.t === "string" ? value.v : "";
      if (hasWildcard(value))
        return `(CAST(m.id AS TEXT) LIKE ${this.params.add(likePattern(raw))} ESCAPE '\\')`;
      if (!/^\d{1,16}$/.test(raw)) return "0";
      return `(m.id ${SQL_OPS[op]} ${this.params.add(Number(raw))})`;
    }
    if (value.t !== "string") return "0"; // these columns hold strings only
    if (hasWildcard(value)) {
      if (op !== "eq") return "0";
      const pattern = this.params.add(likePattern(value.v));
      // A pattern with a fixed start can use the NOCASE name index directly. One starting with '*' scans; the
      // narrow (column, id) index scans several times faster than the table, so scan that for the ids instead.
      if (value.v.startsWith("*") && col.kind === "text") {
        const column = col.sql.slice("m.".length);
        return `m.id IN (SELECT id FROM managed_objects WHERE ${column} LIKE ${pattern} ESCAPE '\\')`;
      }
      return `(${col.sql} LIKE ${pattern} ESCAPE '\\')`;
    }
    const v = col.kind === "date" ? normaliseDate(value.v) : value.v;
    if (col.sql === "m.name" && op === "eq") {
      // The NOCASE comparison lets SQLite use the name index; the plain one keeps eq case-sensitive.
      const p = this.params.add(v);
      return `(${col.sql} = ${p} COLLATE NOCASE AND ${col.sql} = ${p})`;
    }
    return `(${col.sql} ${SQL_OPS[op]} ${this.params.add(v)})`;
  }

  /**
   * A comparison on a JSON property. The platform compares array elements one by one ("eq on arrays matches any
   * element") and looks through arrays on the way ("a.b eq 'x'" matches objects inside an array `a`), so every
   * prefix of the path that is an array fans out with json_each.
   */
  private compareJson(
    src: string,
    path: string[],
    op: Exclude<CompareOp, "ne">,
    value: Literal,
    depth: number,
  ): string {
    const full = this.params.add(jsonPath(path));
    const e = `e${this.alias++}`;
    const direct =
      `(CASE json_type(${src}, ${full}) ` +
      `WHEN 'array' THEN EXISTS (SELECT 1 FROM json_each(${src}, ${full}) ${e} WHERE ${this.leaf(`${e}.value`, `${e}.type`, op, value)}) ` +
      `ELSE ${this.leaf(`json_extract(${src}, ${full})`, `json_type(${src}, ${full})`, op, value)} END)`;
    const alternatives = [direct];
    if (depth < 3) {
      for (let k = 1; k < path.length; k++) {
        const prefix = this.params.add(jsonPath(path.slice(0, k)));
        const a = `e${this.alias++}`;
        const inner = this.compareJson(`${a}.value`, path.slice(k), op, value, depth + 1);
        alternatives.push(
          `(json_type(${src}, ${prefix}) = 'array' AND EXISTS (SELECT 1 FROM json_each(${src}, ${prefix}) ${a} WHERE CASE WHEN ${a}.type = 'object' THEN ${inner} ELSE 0 END))`,
        );
      }
    }
    return alternatives.length === 1 ? direct : `(${alternatives.join(" OR ")})`;
  }

  /** One value (with its json type name) against a literal; typed, so a string never equals a number. */
  private leaf(v: string, t: string, op: Exclude<CompareOp, "ne">, value: Literal): string {
    switch (value.t) {
      case "null":
        return op === "eq" ? `(${t} IS NULL OR ${t} = 'null')` : "0";
      case "bool":
        return op === "eq" ? `(${t} = ${value.v ? "'true'" : "'false'"})` : "0";
      case "number":
        return `(${t} IN ('integer', 'real') AND ${v} ${SQL_OPS[op]} ${this.params.add(value.v)})`;
      case "string":
        if (hasWildcard(value)) {
          if (op !== "eq") return "0";
          return `(${t} = 'text' AND ${v} LIKE ${this.params.add(likePattern(value.v))} ESCAPE '\\')`;
        }
        return `(${t} = 'text' AND ${v} ${SQL_OPS[op]} ${this.params.add(value.v)})`;
    }
  }
}
