import type { PlatformContext } from "../../context.js";
import { readJsonObject } from "../../http/body.js";
import { forbidden } from "../../http/errors.js";
import { pageEnvelope, parseBool, parsePaging } from "../../http/paging.js";
import type { Router } from "../../http/router.js";
import { actorOf } from "../audit/service.js";
import { RESOURCE } from "../devicecontrol/common.js";
import { parseFilter } from "./input.js";
import { operationJson } from "./serialize.js";
import { operationsService } from "./service.js";

/** Operations for devices (docs/platform-api.md §5.4; decisions in docs/emulator-device-control.md). */
export function registerOperationsApi(router: Router, ctx: PlatformContext): void {
  const svc = operationsService(ctx);

  // GET /devicecontrol/operations – FIFO by id (newest first with revert), filtered, paged.
  router.get("/devicecontrol/operations", (rc) => {
    svc.requireUser(rc.principal);
    const paging = parsePaging(rc.query, RESOURCE);
    const revert = parseBool(rc.query, "revert", RESOURCE);
    const filter = parseFilter(rc.query, rc.principal);
    const withExternalIds = (rc.query.get("agentId") ?? "") !== "";
    const { operations, total } = svc.list(filter, paging, revert, withExternalIds, rc.baseUrl);
    return {
      status: 200,
      type: "operationCollection",
      body: { ...pageEnvelope(rc.baseUrl, rc.path, rc.query, paging, total), operations },
    };
  });

  // POST /devicecontrol/operations
  router.post("/devicecontrol/operations", async (rc) => {
    svc.requireUser(rc.principal);
    const body = await readJsonObject(rc.req, RESOURCE, ctx.config.bodyLimit);
    const json = operationJson(rc.baseUrl, svc.create(rc.principal, actorOf(rc), body, rc.baseUrl));
    return {
      status: 201,
      type: "operation",
      headers: { location: json.self as string },
      body: json,
      onlyWithAccept: true,
    };
  });

  // GET /devicecontrol/operations/{id}
  router.get("/devicecontrol/operations/:id", (rc) => {
    svc.requireUser(rc.principal);
    const row = svc.get(rc.principal, rc.params.id!);
    return { status: 200, type: "operation", body: operationJson(rc.baseUrl, row) };
  });

  // PUT /devicecontrol/operations/{id}
  router.put("/devicecontrol/operations/:id", async (rc) => {
    svc.requireUser(rc.principal);
    const body = await readJsonObject(rc.req, RESOURCE, ctx.config.bodyLimit);
    const row = svc.update(rc.principal, actorOf(rc), rc.params.id!, body, rc.baseUrl);
    return { status: 200, type: "operation", body: operationJson(rc.baseUrl, row), onlyWithAccept: true };
  });

  // DELETE /devicecontrol/operations – by filter, admins only.
  router.delete("/devicecontrol/operations", (rc) => {
    if (rc.principal.kind !== "admin") throw forbidden();
    svc.deleteWhere(actorOf(rc), parseFilter(rc.query, rc.principal));
    return { status: 204 };
  });
}
