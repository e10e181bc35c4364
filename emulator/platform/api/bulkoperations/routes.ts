import type { PlatformContext } from "../../context.js";
import { readJsonObject } from "../../http/body.js";
import { pageEnvelope, parsePaging } from "../../http/paging.js";
import type { Router } from "../../http/router.js";
import { actorOf } from "../audit/service.js";
import { requireAdmin, RESOURCE } from "../devicecontrol/common.js";
import { parseFilter, readCreate, readUpdate } from "./input.js";
import { bulkOperationJson } from "./serialize.js";
import { bulkOperationsService } from "./service.js";

/**
 * Bulk operations (docs/platform-fleet.md §1; decisions in docs/emulator-bulk-operations.md). Admins only: device and
 * bootstrap users have no bulk operation role.
 */
export function registerBulkOperationsApi(router: Router, ctx: PlatformContext): void {
  const svc = bulkOperationsService(ctx);

  // GET /devicecontrol/bulkoperations – in id order, filtered, paged; CANCELED ones only with withDeleted.
  router.get("/devicecontrol/bulkoperations", (rc) => {
    requireAdmin(rc.principal);
    const paging = parsePaging(rc.query, RESOURCE);
    const { rows, total } = svc.list(parseFilter(rc.query), paging);
    return {
      status: 200,
      type: "bulkOperationCollection",
      body: {
        ...pageEnvelope(rc.baseUrl, rc.path, rc.query, paging, total),
        bulkOperations: rows.map((r) => bulkOperationJson(rc.baseUrl, r)),
      },
    };
  });

  // POST /devicecontrol/bulkoperations
  router.post("/devicecontrol/bulkoperations", async (rc) => {
    requireAdmin(rc.principal);
    const input = readCreate(await readJsonObject(rc.req, RESOURCE, ctx.config.bodyLimit));
    const json = bulkOperationJson(rc.baseUrl, svc.create(actorOf(rc), input, rc.baseUrl));
    return {
      status: 201,
      type: "bulkOperation",
      headers: { location: json.self as string },
      body: json,
      onlyWithAccept: true,
    };
  });

  // GET /devicecontrol/bulkoperations/{id}
  router.get("/devicecontrol/bulkoperations/:id", (rc) => {
    requireAdmin(rc.principal);
    return {
      status: 200,
      type: "bulkOperation",
      body: bulkOperationJson(rc.baseUrl, svc.get(rc.params.id!)),
    };
  });

  // PUT /devicecontrol/bulkoperations/{id} – the answer is the bulk operation that now stands for it (a new one
  // when the PUT rescheduled a started one; Location then names it).
  router.put("/devicecontrol/bulkoperations/:id", async (rc) => {
    requireAdmin(rc.principal);
    const change = readUpdate(await readJsonObject(rc.req, RESOURCE, ctx.config.bodyLimit));
    const json = bulkOperationJson(rc.baseUrl, svc.update(actorOf(rc), rc.params.id!, change, rc.baseUrl));
    const headers: Record<string, string> = json.id !== rc.params.id ? { location: json.self as string } : {};
    return {
      status: 200,
      type: "bulkOperation",
      headers,
      body: json,
      onlyWithAccept: true,
    };
  });

  // DELETE /devicecontrol/bulkoperations/{id} – cancels it (SCHEDULED or still creating only).
  router.delete("/devicecontrol/bulkoperations/:id", (rc) => {
    requireAdmin(rc.principal);
    svc.cancel(actorOf(rc), rc.params.id!);
    return { status: 204 };
  });
}
