import type { Principal } from "../../auth/principal.js";
import type { PlatformContext } from "../../context.js";
import { isPlainObject, readJson } from "../../http/body.js";
import { invalidData } from "../../http/errors.js";
import { vendorToken } from "../../http/media.js";
import { pageEnvelope, parseBool, parsePaging } from "../../http/paging.js";
import type { RequestContext, Router } from "../../http/router.js";
import { actorOf } from "../audit/service.js";
import { isHeartbeat, isHeartbeatBody, parseMoInput, type MoInput } from "./input.js";
import { buildListSql, invalidQuery, renderOptions, selectPage, type ListSql } from "./list.js";
import { registerReferenceRoutes } from "./references.js";
import { renderMany, renderOneJson, type Json } from "./serialize.js";
import { inventoryService, requireUser, type InventoryService } from "./service.js";

/** Bulk create and bulk update take at most this many objects (docs/platform-api.md §4.5). */
export const MAX_BULK = 50;

function countAll(svc: InventoryService, sql: ListSql): number {
  const whereSql = sql.where.length > 0 ? ` WHERE ${sql.where.join(" AND ")}` : "";
  try {
    return (
      svc.ctx.db.prepare(`SELECT count(*) AS n FROM ${sql.from}${whereSql}`).get(sql.params.values) as {
        n: number;
      }
    ).n;
  } catch (e) {
    if (e instanceof Error && e.name === "SqliteError") throw invalidQuery();
    throw e;
  }
}

/** A body is a bulk create when sent as managedObjectCollection, or as plain JSON holding only `managedObjects`. */
function bulkItems(rc: RequestContext, body: unknown): unknown[] | undefined {
  const token = vendorToken(rc.req.headers["content-type"]);
  const onlyList =
    isPlainObject(body) && Object.keys(body).length === 1 && Array.isArray(body.managedObjects);
  if (token === "managedobjectcollection" || (token === undefined && onlyList)) {
    if (!isPlainObject(body) || !Array.isArray(body.managedObjects))
      throw invalidData("inventory", "A managedObjectCollection body must be {managedObjects: [...]}");
    const items = body.managedObjects as unknown[];
    if (items.length === 0) throw invalidData("inventory", "managedObjects must not be empty");
    if (items.length > MAX_BULK)
      throw invalidData("inventory", `At most ${MAX_BULK} managed objects per request`);
    return items;
  }
  return undefined;
}

export function registerInventoryApi(router: Router, ctx: PlatformContext): void {
  const svc = inventoryService(ctx);
  const { store } = svc;

  /** Creates objects in one transaction and announces them after the commit; returns them rendered. */
  const createAll = (p: Principal, inputs: MoInput[], baseUrl: string): Json[] => {
    const rows = ctx.db.transaction(() => inputs.map((input) => svc.createInTx(p, input, ctx.now())))();
    return svc.publishCreated(rows, baseUrl);
  };

  // GET /inventory – API root with the URI templates of the object collection.
  router.get("/inventory", (rc) => {
    requireUser(rc.principal);
    const list = `${rc.baseUrl}/inventory/managedObjects`;
    return {
      status: 200,
      type: "inventoryApi",
      body: {
        self: `${rc.baseUrl}/inventory`,
        // The vendor's inventoryApiResource names the (always empty) embedded list `references`.
        managedObjects: { self: list, references: [] },
        managedObjectsForType: `${list}?type={type}`,
        managedObjectsForFragmentType: `${list}?fragmentType={fragmentType}`,
        managedObjectsForListOfIds: `${list}?ids={ids}`,
      },
    };
  });

  // GET /inventory/managedObjects/count – a bare number, same filters as the list (used by @c8y/client).
  router.get("/inventory/managedObjects/count", (rc) => {
    requireUser(rc.principal);
    const n = countAll(svc, buildListSql(rc.query, rc.principal));
    return { status: 200, raw: String(n), rawContentType: "application/json" };
  });

  // GET /inventory/managedObjects – the filtered, paged list; ascending id unless the query orders otherwise.
  router.get("/inventory/managedObjects", (rc) => {
    requireUser(rc.principal);
    const paging = parsePaging(rc.query, "inventory");
    const opts = renderOptions(rc);
    const sql = buildListSql(rc.query, rc.principal);
    const { rows, total } = selectPage(svc, sql, paging);
    return {
      status: 200,
      type: "managedObjectCollection",
      body: {
        ...pageEnvelope(rc.baseUrl, rc.path, rc.query, paging, total),
        managedObjects: renderMany(store, rows, opts),
      },
    };
  });

  // POST /inventory/managedObjects – one object, or up to 50 as managedObjectCollection (all or nothing).
  router.post("/inventory/managedObjects", async (rc) => {
    requireUser(rc.principal);
    const body = await readJson(rc.req, "inventory", ctx.config.bodyLimit);
    const items = bulkItems(rc, body);
    if (items) {
      const inputs = items.map((item) => parseMoInput(item, "create"));
      const created = createAll(rc.principal, inputs, rc.baseUrl);
      return {
        status: 201,
        type: "managedObjectCollection",
        body: { self: `${rc.baseUrl}/inventory/managedObjects`, managedObjects: created },
        onlyWithAccept: true,
      };
    }
    const [created] = createAll(rc.principal, [parseMoInput(body, "create")], rc.baseUrl);
    return {
      status: 201,
      type: "managedObject",
      headers: { location: created!.self as string },
      body: created,
      onlyWithAccept: true,
    };
  });

  // PUT /inventory/managedObjects – bulk update, every item names its id; one transaction.
  router.put("/inventory/managedObjects", async (rc) => {
    requireUser(rc.principal);
    const body = await readJson(rc.req, "inventory", ctx.config.bodyLimit);
    const items = isPlainObject(body) && Array.isArray(body.managedObjects) ? body.managedObjects : undefined;
    if (!items) throw invalidData("inventory", "A bulk update body must be {managedObjects: [...]}");
    if (items.length === 0 || items.length > MAX_BULK)
      throw invalidData("inventory", `Between 1 and ${MAX_BULK} managed objects per request`);
    const updates = items.map((item, i) => {
      const id = isPlainObject(item) ? item.id : undefined;
      if (typeof id !== "string" && typeof id !== "number")
        throw invalidData("inventory", `managedObjects[${i}] needs an id`);
      return { id: String(id), input: parseMoInput(item, "update") };
    });
    const rows = ctx.db.transaction(() =>
      updates.map(({ id, input }) => {
        const row = svc.accessible(rc.principal, id);
        return isHeartbeat(input) ? row : svc.updateInTx(rc.principal, row, input, ctx.now());
      }),
    )();
    svc.publishUpdated(
      rows.map((r) => r.id),
      rc.baseUrl,
    );
    return {
      status: 200,
      type: "managedObjectCollection",
      body: {
        self: `${rc.baseUrl}/inventory/managedObjects`,
        managedObjects: svc.render(store.getMany(rows.map((r) => r.id)), rc.baseUrl),
      },
      onlyWithAccept: true,
    };
  });

  // GET /inventory/managedObjects/{id}
  router.get("/inventory/managedObjects/:id", (rc) => {
    const opts = renderOptions(rc);
    const row = svc.accessible(rc.principal, rc.params.id!);
    return { status: 200, type: "managedObject", json: renderOneJson(store, row, opts) };
  });

  // PUT /inventory/managedObjects/{id} – fragment-wise replace; `{}` or `{id}` alone is a heartbeat.
  router.put("/inventory/managedObjects/:id", async (rc) => {
    const id = rc.params.id!;
    svc.accessible(rc.principal, id);
    const body = await readJson(rc.req, "inventory", ctx.config.bodyLimit);
    const input = parseMoInput(body, "update");
    if (isHeartbeat(input)) {
      // An availability heartbeat answers with the id only (docs/platform-api.md §2.2); it counts as a message from the
      // device unless an application sent it (§1.4: requests with an application key are not device traffic).
      if (isHeartbeatBody(body) && rc.req.headers["x-cumulocity-application-key"] === undefined)
        svc.heartbeat(Number(id), rc.baseUrl);
      return { status: 200, type: "managedObject", body: { id }, onlyWithAccept: true };
    }
    const row = ctx.db.transaction(() => {
      // Read again inside the transaction: the object may have changed or gone while the body was read.
      const current = svc.accessible(rc.principal, id);
      return svc.updateInTx(rc.principal, current, input, ctx.now());
    })();
    const [data] = svc.render([row], rc.baseUrl);
    ctx.events.publish({ api: "managedobjects", action: "UPDATE", id, data: data! });
    return { status: 200, type: "managedObject", body: data, onlyWithAccept: true };
  });

  // DELETE /inventory/managedObjects/{id} – with cascade / forceCascade / withDeviceUser (docs/platform-api.md §4.7).
  router.delete("/inventory/managedObjects/:id", (rc) => {
    const flags = {
      cascade: parseBool(rc.query, "cascade", "inventory"),
      forceCascade: parseBool(rc.query, "forceCascade", "inventory"),
      withDeviceUser: parseBool(rc.query, "withDeviceUser", "inventory"),
    };
    const id = rc.params.id!;
    const { deleted, neighbours, operations } = ctx.db.transaction(() => {
      const row = svc.accessible(rc.principal, id);
      const deleted = svc.deletionSet(row, flags);
      return { deleted, ...svc.deleteInTx(actorOf(rc), deleted, flags.withDeviceUser) };
    })();
    svc.publishOperationsDeleted(operations);
    svc.publishDeleted(deleted);
    svc.publishUpdated(neighbours, rc.baseUrl);
    return { status: 204 };
  });

  registerReferenceRoutes(router, ctx);
}
