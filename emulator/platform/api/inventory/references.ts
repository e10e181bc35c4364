import type { Principal } from "../../auth/principal.js";
import type { PlatformContext } from "../../context.js";
import { isPlainObject, readJson } from "../../http/body.js";
import { duplicate, forbidden, invalidData } from "../../http/errors.js";
import { vendorToken } from "../../http/media.js";
import { pageEnvelope, parsePaging } from "../../http/paging.js";
import type { RequestContext, Router } from "../../http/router.js";
import { isId } from "../../store/hierarchy.js";
import { parseMoInput } from "./input.js";
import { buildListSql, renderOptions, selectPage } from "./list.js";
import { moSelf, renderMany } from "./serialize.js";
import { inventoryService, moNotFound } from "./service.js";
import { CHILD_KINDS, CHILD_OF, PARENT_KINDS, type ChildKind, type MoRow } from "./store.js";

/**
 * Reference collections (docs/platform-api.md §4.8): childDevices, childAssets and childAdditions can be listed, added
 * to (one id, a list, or a new object created inline) and removed from. The parent collections are their inverse;
 * they are read-only and exist as GET resources for the `self` links embedded in every object.
 */

const notAChild = (child: string, parent: string) =>
  invalidData("inventory", `managedObject ${child} is not a child of ${parent}`);

/** The id of `{managedObject: {id}}` or `{managedObject: {self: ".../inventory/managedObjects/<id>"}}`. */
function referencedId(item: unknown, where: string): string {
  const mo = isPlainObject(item) ? item.managedObject : undefined;
  if (!isPlainObject(mo)) throw invalidData("inventory", `${where} must be {managedObject: {id}}`);
  let id: unknown = mo.id;
  if (id === undefined && typeof mo.self === "string") {
    const m = /\/inventory\/managedObjects\/([^/?#]+)\/?(?:[?#].*)?$/.exec(mo.self);
    id = m?.[1];
  }
  if (typeof id === "number" && Number.isSafeInteger(id)) id = String(id);
  if (typeof id !== "string" || !isId(id))
    throw invalidData("inventory", `${where} does not name a managed object id`);
  return id;
}

function referenceList(body: unknown, where: string): string[] {
  const refs = isPlainObject(body) ? body.references : undefined;
  if (!Array.isArray(refs) || refs.length === 0)
    throw invalidData("inventory", `${where} must be {references: [{managedObject: {id}}, …]}`);
  return refs.map((r, i) => referencedId(r, `references[${i}]`));
}

type PostVariant = "reference" | "references" | "object";

/** Which POST this is: by the vendor content type, or for plain JSON by the body's shape. */
function postVariant(rc: RequestContext, body: unknown): PostVariant {
  const token = vendorToken(rc.req.headers["content-type"]);
  if (token === "managedobjectreference") return "reference";
  if (token === "managedobjectreferencecollection") return "references";
  if (token === "managedobject") return "object";
  if (isPlainObject(body)) {
    const keys = Object.keys(body);
    if (keys.length === 1 && keys[0] === "references") return "references";
    if (keys.every((k) => k === "managedObject" || k === "self") && isPlainObject(body.managedObject))
      return "reference";
  }
  return "object";
}

export function registerReferenceRoutes(router: Router, ctx: PlatformContext): void {
  const svc = inventoryService(ctx);
  const { store } = svc;
  const base = "/inventory/managedObjects/:id";

  /** Links `children` below `parent`, refusing self links, cycles, duplicates and children the caller cannot see. */
  const linkInTx = (p: Principal, parent: MoRow, kind: ChildKind, children: string[]) => {
    for (const child of children) {
      if (Number(child) === parent.id)
        throw invalidData("inventory", `managedObject ${child} cannot be a child of itself`);
      svc.accessible(p, child);
      if (store.isLinked(parent.id, kind, Number(child)))
        throw duplicate("inventory", `managedObject ${child} is already in ${kind} of ${parent.id}`);
      if (store.reaches(Number(child), parent.id))
        throw invalidData("inventory", `Linking ${child} below ${parent.id} would create a cycle`);
      store.link(parent.id, kind, Number(child));
    }
  };

  const referenceJson = (
    rc: RequestContext,
    holder: number,
    coll: string,
    target: MoRow,
    opts = renderOptions(rc),
  ) => ({
    self: `${moSelf(rc.baseUrl, holder)}/${coll}/${target.id}`,
    managedObject: renderMany(store, [target], opts)[0],
  });

  /** GET of a reference collection (children or parents), paged, optionally filtered with `query`. */
  const listReferences = (
    rc: RequestContext,
    kind: ChildKind,
    direction: "children" | "parents",
    coll: string,
  ) => {
    const holder = svc.accessible(rc.principal, rc.params.id!);
    const paging = parsePaging(rc.query, "inventory");
    const opts = renderOptions(rc);
    const sql = buildListSql(rc.query, rc.principal, { referenceList: true });
    const [join, holderCol] =
      direction === "children" ? ["r.child_id", "r.parent_id"] : ["r.parent_id", "r.child_id"];
    const holderParam = sql.params.add(holder.id);
    const kindParam = sql.params.add(kind);
    if (!sql.ordered) sql.orderBy = direction === "children" ? "r.seq ASC" : "r.parent_id ASC";
    const { rows, total } = selectPage(
      svc,
      sql,
      paging,
      `mo_refs r JOIN managed_objects m ON m.id = ${join}`,
      [`${holderCol} = ${holderParam}`, `r.kind = ${kindParam}`],
    );
    const rendered = renderMany(store, rows, opts);
    const self = moSelf(rc.baseUrl, holder.id);
    return {
      status: 200,
      type: "managedObjectReferenceCollection" as const,
      body: {
        ...pageEnvelope(rc.baseUrl, rc.path, rc.query, paging, total),
        references: rows.map((row, i) => ({ self: `${self}/${coll}/${row.id}`, managedObject: rendered[i] })),
      },
    };
  };

  for (const kind of CHILD_KINDS) {
    // GET …/{id}/childX – the children, oldest link first.
    router.get(`${base}/${kind}`, (rc) => listReferences(rc, kind, "children", kind));

    // POST …/{id}/childX – link one, link many, or create a new object and link it.
    router.post(`${base}/${kind}`, async (rc) => {
      const parentId = rc.params.id!;
      svc.accessible(rc.principal, parentId);
      const body = await readJson(rc.req, "inventory", ctx.config.bodyLimit);
      const variant = postVariant(rc, body);
      const collSelf = `${moSelf(rc.baseUrl, parentId)}/${kind}`;

      if (variant === "object") {
        const input = parseMoInput(body, "create");
        const child = ctx.db.transaction(() => {
          const parent = svc.accessible(rc.principal, parentId);
          const row = svc.createInTx(rc.principal, input, ctx.now());
          store.link(parent.id, kind, row.id);
          return row;
        })();
        const [created] = svc.publishCreated([child], rc.baseUrl);
        svc.publishUpdated([Number(parentId)], rc.baseUrl);
        return {
          status: 201,
          type: "managedObject" as const,
          headers: { location: `${collSelf}/${child.id}` },
          body: created,
          onlyWithAccept: true,
        };
      }

      const ids =
        variant === "reference" ? [referencedId(body, "The body")] : referenceList(body, "The body");
      const parent = ctx.db.transaction(() => {
        const parent = svc.accessible(rc.principal, parentId);
        linkInTx(rc.principal, parent, kind, ids);
        return parent;
      })();
      svc.publishUpdated([parent.id, ...ids.map(Number)], rc.baseUrl);
      const children = store.getMany(ids.map(Number));
      const byId = new Map(children.map((c) => [c.id, c]));
      const refs = ids.map((id) => referenceJson(rc, parent.id, kind, byId.get(Number(id))!));
      if (variant === "reference")
        return {
          status: 201,
          type: "managedObjectReference" as const,
          headers: { location: refs[0]!.self },
          body: refs[0],
          onlyWithAccept: true,
        };
      return {
        status: 201,
        type: "managedObjectReferenceCollection" as const,
        headers: { location: collSelf },
        body: { self: collSelf, references: refs },
        onlyWithAccept: true,
      };
    });

    // DELETE …/{id}/childX – unlink the children listed in the body; all must be linked, or nothing changes.
    router.delete(`${base}/${kind}`, async (rc) => {
      const parentId = rc.params.id!;
      const parent = svc.accessible(rc.principal, parentId);
      const ids = referenceList(await readJson(rc.req, "inventory", ctx.config.bodyLimit), "The body");
      ctx.db.transaction(() => {
        for (const id of ids) if (!store.unlink(parent.id, kind, Number(id))) throw notAChild(id, parentId);
      })();
      svc.publishUpdated([parent.id, ...ids.map(Number)], rc.baseUrl);
      return { status: 204 };
    });

    // GET …/{id}/childX/{childId} – one reference; 422 when the object is not linked there.
    router.get(`${base}/${kind}/:childId`, (rc) => {
      const parent = svc.accessible(rc.principal, rc.params.id!);
      const childId = rc.params.childId!;
      if (!isId(childId) || !store.isLinked(parent.id, kind, Number(childId)))
        throw notAChild(childId, rc.params.id!);
      const child = store.get(Number(childId))!;
      return { status: 200, type: "managedObjectReference", body: referenceJson(rc, parent.id, kind, child) };
    });

    // DELETE …/{id}/childX/{childId} – unlink; the child object itself stays.
    router.delete(`${base}/${kind}/:childId`, (rc) => {
      const parentId = rc.params.id!;
      const childId = rc.params.childId!;
      const p = rc.principal;
      const parent = ctx.db.transaction(() => {
        // Allowed for whoever may change the parent, or for the owner of the child (docs/platform-api.md §4.8).
        const parentRow = store.get(isId(parentId) ? Number(parentId) : 0);
        if (p.kind === "bootstrap") throw forbidden();
        if (!parentRow) throw moNotFound(parentId);
        const childRow = isId(childId) ? store.get(Number(childId)) : undefined;
        const allowed =
          ctx.hierarchy.canAccess(p, parentId) || (p.kind === "device" && childRow?.owner === p.username);
        if (!allowed) throw forbidden();
        if (!isId(childId) || !store.unlink(parentRow.id, kind, Number(childId)))
          throw notAChild(childId, parentId);
        return parentRow;
      })();
      svc.publishUpdated([parent.id, Number(childId)], rc.baseUrl);
      return { status: 204 };
    });
  }

  for (const pkind of PARENT_KINDS) {
    const kind = CHILD_OF[pkind];
    // GET …/{id}/xParents – read-only inverse of the child collections.
    router.get(`${base}/${pkind}`, (rc) => listReferences(rc, kind, "parents", pkind));

    // GET …/{id}/xParents/{parentId}
    router.get(`${base}/${pkind}/:parentId`, (rc) => {
      const child = svc.accessible(rc.principal, rc.params.id!);
      const parentId = rc.params.parentId!;
      if (!isId(parentId) || !store.isLinked(Number(parentId), kind, child.id))
        throw invalidData("inventory", `managedObject ${parentId} is not a parent of ${child.id}`);
      const parent = store.get(Number(parentId))!;
      return {
        status: 200,
        type: "managedObjectReference",
        body: referenceJson(rc, child.id, pkind, parent),
      };
    });
  }
}
