import type { Principal } from "../../auth/principal.js";
import type { PlatformContext } from "../../context.js";
import { isPlainObject, readJson } from "../../http/body.js";
import { forbidden, missingFields, notFound, PlatformError } from "../../http/errors.js";
import type { Router } from "../../http/router.js";
import { renderExternalId } from "./serialize.js";
import { externalIdNotFound, externalIdTaken, validateExternalId } from "./service.js";
import { externalIdStore } from "./store.js";

/**
 * Identity API (docs/platform-api.md §3): external ids (type + value, unique per tenant) bound to managed objects.
 * Rows live in external_ids, written only through ExternalIdStore.
 */

const MAX_SEARCH = 1000;

/** Identity calls are for tenant users and device users; the bootstrap user may do none of them. */
function requireUser(p: Principal): void {
  if (p.kind === "bootstrap") throw forbidden();
}

export function registerIdentityApi(router: Router, ctx: PlatformContext): void {
  const store = externalIdStore(ctx.db);
  const resource = "identity";

  /** The object behind a global id, checked for existence and for the caller's access. */
  const globalId = (p: Principal, id: string): number => {
    if (!ctx.hierarchy.exists(id)) throw notFound(resource, "Global ID not found");
    if (!ctx.hierarchy.canAccess(p, id)) throw forbidden();
    return Number(id);
  };

  // GET /identity – API root with the URI templates.
  router.get("/identity", (rc) => {
    requireUser(rc.principal);
    return {
      status: 200,
      type: "identityApi",
      body: {
        self: `${rc.baseUrl}/identity`,
        externalId: `${rc.baseUrl}/identity/externalIds/{type}/{externalId}`,
        externalIdsOfGlobalId: `${rc.baseUrl}/identity/globalIds/{globalId}/externalIds`,
      },
    };
  });

  // POST /identity/search – resolve many external ids at once; unknown ones are simply absent from the answer.
  router.post("/identity/search", async (rc) => {
    requireUser(rc.principal);
    const body = await readJson(rc.req, resource, ctx.config.bodyLimit);
    const list = isPlainObject(body) ? body.externalIds : undefined;
    if (!Array.isArray(list))
      throw new PlatformError(
        400,
        "identity/Bad Request",
        "Body must be {externalIds: [{type, externalId}]}",
      );
    if (list.length > MAX_SEARCH)
      throw new PlatformError(422, "identity/Invalid Data", `At most ${MAX_SEARCH} external ids per search`);
    const found: Record<string, unknown>[] = [];
    const seen = new Set<string>();
    for (const [i, item] of list.entries()) {
      if (!isPlainObject(item) || typeof item.type !== "string" || typeof item.externalId !== "string")
        throw new PlatformError(
          400,
          "identity/Bad Request",
          `externalIds[${i}] needs string type and externalId`,
        );
      const row = store.find(item.type, item.externalId);
      if (!row || !ctx.hierarchy.canAccess(rc.principal, String(row.mo_id))) continue;
      const key = `${row.type}\u0000${row.external_id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push(renderExternalId(rc.baseUrl, row));
    }
    return {
      status: 200,
      type: "externalIdCollection",
      body: { self: `${rc.baseUrl}/identity/search`, externalIds: found },
    };
  });

  // GET /identity/externalIds/{type}/{externalId} – resolve one external id (the device's startup check).
  router.get("/identity/externalIds/:type/:externalId", (rc) => {
    requireUser(rc.principal);
    const { type, externalId } = rc.params as { type: string; externalId: string };
    const row = store.find(type, externalId);
    if (!row) throw externalIdNotFound(type, externalId);
    if (!ctx.hierarchy.canAccess(rc.principal, String(row.mo_id))) throw forbidden();
    return { status: 200, type: "externalId", body: renderExternalId(rc.baseUrl, row) };
  });

  // DELETE /identity/externalIds/{type}/{externalId} – unbind; the object itself stays.
  router.delete("/identity/externalIds/:type/:externalId", (rc) => {
    requireUser(rc.principal);
    const { type, externalId } = rc.params as { type: string; externalId: string };
    const row = store.find(type, externalId);
    if (!row) throw externalIdNotFound(type, externalId);
    if (!ctx.hierarchy.canAccess(rc.principal, String(row.mo_id))) throw forbidden();
    store.remove(type, externalId);
    return { status: 204 };
  });

  // GET /identity/globalIds/{id}/externalIds – every external id of one object, oldest binding first.
  router.get("/identity/globalIds/:id/externalIds", (rc) => {
    requireUser(rc.principal);
    const id = globalId(rc.principal, rc.params.id!);
    return {
      status: 200,
      type: "externalIdCollection",
      body: {
        self: `${rc.baseUrl}/identity/globalIds/${id}/externalIds`,
        externalIds: store.listFor(id).map((r) => renderExternalId(rc.baseUrl, r)),
      },
    };
  });

  // POST /identity/globalIds/{id}/externalIds – bind. The same pair again on the same object is idempotent (201).
  router.post("/identity/globalIds/:id/externalIds", async (rc) => {
    requireUser(rc.principal);
    const id = globalId(rc.principal, rc.params.id!);
    const body = await readJson(rc.req, resource, ctx.config.bodyLimit);
    if (!isPlainObject(body))
      throw new PlatformError(422, "identity/Invalid Data", "Body must be a JSON object {type, externalId}");
    const missing = (["type", "externalId"] as const).filter(
      (k) => body[k] === undefined || body[k] === null,
    );
    if (missing.length > 0) throw missingFields(...missing);
    const { type, externalId } = body;
    if (typeof type !== "string" || typeof externalId !== "string" || type === "" || externalId === "")
      throw new PlatformError(
        422,
        "identity/Invalid Data",
        "'type' and 'externalId' must be non-empty strings",
      );
    validateExternalId(type, externalId);
    const row = ctx.db.transaction(() => {
      const existing = store.find(type, externalId);
      if (existing && existing.mo_id !== id) throw externalIdTaken(type, externalId);
      if (!existing) store.insert(type, externalId, id);
      return { type, external_id: externalId, mo_id: id };
    })();
    const body201 = renderExternalId(rc.baseUrl, row);
    return {
      status: 201,
      type: "externalId",
      headers: { location: body201.self as string },
      body: body201,
      onlyWithAccept: true,
    };
  });
}
