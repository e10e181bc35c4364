import type { Principal } from "../../auth/principal.js";
import { invalidData } from "../../http/errors.js";
import { parseBool, type Paging } from "../../http/paging.js";
import type { RequestContext } from "../../http/router.js";
import { isId } from "../../store/hierarchy.js";
import { parseQuery, QuerySyntaxError, type Expr, type OrderKey } from "./query-language.js";
import { Params, QueryCompiler } from "./query-sql.js";
import type { RenderOptions } from "./serialize.js";
import type { InventoryService } from "./service.js";
import type { MoRow } from "./store.js";

/**
 * Turns the filter parameters of GET /inventory/managedObjects (and /count, and the query of reference lists)
 * into a WHERE clause over `managed_objects m` (docs/platform-api.md §4.2). Every value is a bound parameter.
 */

export interface ListSql {
  /** The FROM clause; `m` is always managed_objects. */
  from: string;
  /** Conditions joined with AND; empty means every object. */
  where: string[];
  orderBy: string;
  /** Whether the query asked for an order ($orderby); otherwise the caller's natural order applies. */
  ordered: boolean;
  params: Params;
}

export const INVALID_QUERY = "Find by filter query failed : Query could not be understood.";

export const invalidQuery = () => invalidData("inventory", INVALID_QUERY);

/**
 * The objects a device user sees: the ones it owns and everything below them (any kind of reference), the same
 * rule as Hierarchy.canAccess but as a set, so lists filter in one query.
 */
function visibleTo(params: Params, principal: Principal): string {
  return (
    `(WITH RECURSIVE vis(id) AS (SELECT id FROM managed_objects WHERE owner = ${params.add(principal.username)} ` +
    `UNION SELECT r.child_id FROM mo_refs r JOIN vis ON r.parent_id = vis.id) SELECT id FROM vis)`
  );
}

/**
 * `text`: tokens split on whitespace and / - . (docs/platform-api.md §4.2), each matching any indexed token that starts
 * with it, any token sufficing; a "quoted phrase" must match as a phrase. Returns an FTS5 MATCH expression, or
 * undefined when the text holds no searchable token.
 */
export function ftsQuery(text: string): string | undefined {
  const parts: string[] = [];
  const searchable = (s: string) => /[\p{L}\p{N}_:@#$%&+=!?,;~^()[\]{}<>|\\]/u.test(s);
  const rest = text.replace(/"([^"]*)"/g, (_m, phrase: string) => {
    if (searchable(phrase)) parts.push(`"${phrase}"`);
    return " ";
  });
  for (const raw of rest.split(/[\s/.\-"*]+/)) {
    if (raw === "" || !searchable(raw)) continue;
    parts.push(`"${raw}"*`);
  }
  return parts.length > 0 ? parts.join(" OR ") : undefined;
}

/**
 * `ids=1,2` and repeated `ids=` keys. An empty `ids=` filters nothing; entries that are no ids can match nothing
 * and are dropped (a list of only such entries finds nothing).
 */
function idList(query: URLSearchParams): number[] | undefined {
  const entries = query
    .getAll("ids")
    .flatMap((v) => v.split(","))
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (entries.length === 0) return undefined;
  return entries.filter(isId).map(Number);
}

export interface ListOptions {
  /** Reference lists accept `query` only; the object list takes every filter. */
  referenceList?: boolean;
}

export function buildListSql(
  query: URLSearchParams,
  principal: Principal,
  options: ListOptions = {},
): ListSql {
  const params = new Params();
  const compiler = new QueryCompiler(params);
  const where: string[] = [];
  let orderBy: OrderKey[] = [];
  const fragments: string[] = [];
  let fts: string | undefined;

  const addQuery = (text: string | null, implicitDevice: boolean) => {
    if (text === null) return;
    let parsed;
    try {
      parsed = parseQuery(text);
    } catch (e) {
      if (e instanceof QuerySyntaxError) throw invalidQuery();
      throw e;
    }
    if (implicitDevice) fragments.push("c8y_IsDevice");
    if (parsed.filter) where.push(compileOrInvalid(compiler, parsed.filter));
    if (parsed.orderBy.length > 0 && orderBy.length === 0) orderBy = parsed.orderBy;
  };

  const queryText = query.get("query");
  addQuery(queryText, false);
  if (!options.referenceList) {
    const qText = query.get("q");
    addQuery(qText, true);

    // `type` is ignored when a query is present; the type then belongs into $filter (docs/platform-api.md §4.2).
    const type = query.get("type");
    if (type !== null && type !== "" && queryText === null && qText === null)
      where.push(`m.type = ${params.add(type)}`);

    const fragmentType = query.get("fragmentType");
    if (fragmentType !== null && fragmentType !== "") fragments.unshift(fragmentType);

    const owner = query.get("owner");
    if (owner !== null && owner !== "") where.push(`m.owner = ${params.add(owner)}`);

    const ids = idList(query);
    if (ids !== undefined)
      where.push(`m.id IN (SELECT value FROM json_each(${params.add(JSON.stringify(ids))}))`);

    const text = query.get("text");
    if (text !== null) fts = ftsQuery(text);

    for (const [param, kind] of [
      ["childDeviceId", "childDevices"],
      ["childAssetId", "childAssets"],
      ["childAdditionId", "childAdditions"],
    ] as const) {
      const child = query.get(param);
      if (child === null || child === "") continue;
      where.push(
        isId(child)
          ? `m.id IN (SELECT parent_id FROM mo_refs WHERE child_id = ${params.add(Number(child))} AND kind = '${kind}')`
          : "0",
      );
    }

    if (parseBool(query, "onlyRoots", "inventory")) {
      // A root has no parent, or (for a device user) no parent it can see.
      const visibleParent =
        principal.kind === "admin" ? "" : ` AND r.parent_id IN ${visibleTo(params, principal)}`;
      where.push(`NOT EXISTS (SELECT 1 FROM mo_refs r WHERE r.child_id = m.id${visibleParent})`);
    }
  }
  if (principal.kind !== "admin") where.push(`m.id IN ${visibleTo(params, principal)}`);

  // In id order, the text index or the fragment index drives the scan: both yield ids in ascending order, so a
  // page stops after pageSize matches however rare or common the term is. SQLite does not see that ordering
  // through a join on m.id, hence ORDER BY on the driver's own key.
  let from = "managed_objects m";
  let order = compiler.orderBy(orderBy);
  const driven = orderBy.length === 0;
  if (fts !== undefined) {
    const p = params.add(fts);
    if (driven) {
      from = "mo_text JOIN managed_objects m ON m.id = mo_text.rowid";
      where.unshift(`mo_text MATCH ${p}`);
      order = "mo_text.rowid ASC";
    } else where.push(`m.id IN (SELECT rowid FROM mo_text WHERE mo_text MATCH ${p})`);
  }
  fragments.forEach((fragment, i) => {
    const p = params.add(fragment);
    if (i === 0 && driven && fts === undefined) {
      from = "mo_fragments d JOIN managed_objects m ON m.id = d.mo_id";
      where.unshift(`d.fragment = ${p}`);
      order = "d.mo_id ASC";
    } else where.push(`EXISTS (SELECT 1 FROM mo_fragments f WHERE f.fragment = ${p} AND f.mo_id = m.id)`);
  });
  return { from, where, orderBy: order, ordered: !driven, params };
}

function compileOrInvalid(compiler: QueryCompiler, expr: Expr): string {
  try {
    return compiler.filter(expr);
  } catch (e) {
    if (e instanceof QuerySyntaxError) throw invalidQuery();
    throw e;
  }
}

export function renderOptions(rc: RequestContext): RenderOptions {
  const q = rc.query;
  // withChildren defaults to true: the platform's behaviour while core.inventory.without.children is off.
  const withChildren = q.get("withChildren") === null ? true : parseBool(q, "withChildren", "inventory");
  return {
    baseUrl: rc.baseUrl,
    withChildren,
    withChildrenCount: parseBool(q, "withChildrenCount", "inventory"),
    skipChildrenNames: parseBool(q, "skipChildrenNames", "inventory"),
    withParents: parseBool(q, "withParents", "inventory"),
  };
}

/** Runs a compiled list query. A query the compiler accepted but SQLite rejects is still the client's bad query. */
export function selectPage(
  svc: InventoryService,
  sql: ListSql,
  paging: Paging,
  from = sql.from,
  extraWhere: string[] = [],
): { rows: MoRow[]; total: number | undefined } {
  const where = [...extraWhere, ...sql.where];
  const whereSql = where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "";
  const values = { ...sql.params.values, limit: paging.pageSize, offset: paging.offset };
  try {
    const rows = svc.ctx.db
      .prepare(`SELECT m.* FROM ${from}${whereSql} ORDER BY ${sql.orderBy} LIMIT @limit OFFSET @offset`)
      .all(values) as MoRow[];
    let total: number | undefined;
    if (paging.withTotalPages || paging.withTotalElements)
      total = (
        svc.ctx.db.prepare(`SELECT count(*) AS n FROM ${from}${whereSql}`).get(sql.params.values) as {
          n: number;
        }
      ).n;
    return { rows, total };
  } catch (e) {
    if (e instanceof Error && e.name === "SqliteError") throw invalidQuery();
    throw e;
  }
}
