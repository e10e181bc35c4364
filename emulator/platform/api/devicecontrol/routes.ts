import type { PlatformContext } from "../../context.js";
import { readBody, readJsonObject } from "../../http/body.js";
import { forbidden } from "../../http/errors.js";
import { pageEnvelope, parsePaging } from "../../http/paging.js";
import type { Router } from "../../http/router.js";
import { bulkRegistration } from "./bulk.js";
import { readMultipartFile, requireAdmin, RESOURCE } from "./common.js";
import { requestJson, requestSelf } from "./serialize.js";
import { registrationService } from "./service.js";

/**
 * Device registration, device credentials and bulk registration (docs/platform-api.md §5.1–5.3; decisions in §0a and
 * docs/emulator-device-control.md). Operations have their own module (api/operations).
 */
export function registerDeviceControlApi(router: Router, ctx: PlatformContext): void {
  // Created now, not on first use: it listens to inventory creations for the groupId of delivered registrations.
  const svc = registrationService(ctx);
  const bulk = bulkRegistration(ctx, svc);
  const { tenant } = ctx.config;

  // GET /devicecontrol – API root with the URI templates of the operation collection (the vendor's
  // deviceControlApiResource); like the other roots, for every user but the bootstrap user.
  router.get("/devicecontrol", (rc) => {
    if (rc.principal.kind === "bootstrap") throw forbidden();
    const list = `${rc.baseUrl}/devicecontrol/operations`;
    return {
      status: 200,
      type: "deviceControlApi",
      body: {
        self: `${rc.baseUrl}/devicecontrol`,
        operations: { self: list, operations: [] },
        operationsByStatus: `${list}?status={status}`,
        operationsByAgentId: `${list}?agentId={agentId}`,
        operationsByAgentIdAndStatus: `${list}?agentId={agentId}&status={status}`,
        operationsByDeviceId: `${list}?deviceId={deviceId}`,
        operationsByDeviceIdAndStatus: `${list}?deviceId={deviceId}&status={status}`,
      },
    };
  });

  // GET /devicecontrol/newDeviceRequests – every request in creation order; no status filter (§0a).
  router.get("/devicecontrol/newDeviceRequests", (rc) => {
    requireAdmin(rc.principal);
    const paging = parsePaging(rc.query, RESOURCE);
    const { rows, total } = svc.page(paging);
    return {
      status: 200,
      type: "newDeviceRequestCollection",
      body: {
        ...pageEnvelope(rc.baseUrl, rc.path, rc.query, paging, total),
        newDeviceRequests: rows.map((r) => requestJson(rc.baseUrl, tenant, r)),
      },
    };
  });

  // POST /devicecontrol/newDeviceRequests – register a device id; the caller becomes the owner.
  router.post("/devicecontrol/newDeviceRequests", async (rc) => {
    requireAdmin(rc.principal);
    const body = await readJsonObject(rc.req, RESOURCE, ctx.config.bodyLimit);
    const row = svc.create(rc.principal, body);
    return {
      status: 201,
      type: "newDeviceRequest",
      headers: { location: requestSelf(rc.baseUrl, row.id) },
      body: requestJson(rc.baseUrl, tenant, row),
      onlyWithAccept: true,
    };
  });

  // POST /devicecontrol/newDeviceRequests/acceptAll – accepts every PENDING_ACCEPTANCE request (JS client call).
  router.post("/devicecontrol/newDeviceRequests/acceptAll", async (rc) => {
    requireAdmin(rc.principal);
    return { status: 200, body: await svc.acceptAll() };
  });

  // GET /devicecontrol/newDeviceRequests/limit – the emulator has no registration limit.
  router.get("/devicecontrol/newDeviceRequests/limit", (rc) => {
    requireAdmin(rc.principal);
    return { status: 200, body: { isReached: false } };
  });

  // GET /devicecontrol/newDeviceRequests/{id}
  router.get("/devicecontrol/newDeviceRequests/:id", (rc) => {
    requireAdmin(rc.principal);
    return {
      status: 200,
      type: "newDeviceRequest",
      body: requestJson(rc.baseUrl, tenant, svc.get(rc.params.id!)),
    };
  });

  // PUT /devicecontrol/newDeviceRequests/{id} – accept.
  router.put("/devicecontrol/newDeviceRequests/:id", async (rc) => {
    requireAdmin(rc.principal);
    const body = await readJsonObject(rc.req, RESOURCE, ctx.config.bodyLimit);
    const row = await svc.accept(rc.params.id!, body);
    return {
      status: 200,
      type: "newDeviceRequest",
      body: requestJson(rc.baseUrl, tenant, row),
      onlyWithAccept: true,
    };
  });

  // DELETE /devicecontrol/newDeviceRequests/{id}
  router.delete("/devicecontrol/newDeviceRequests/:id", (rc) => {
    requireAdmin(rc.principal);
    svc.delete(rc.params.id!);
    return { status: 204 };
  });

  // POST /devicecontrol/deviceCredentials – the device's poll (docs/startup-phase.md step 0).
  router.post("/devicecontrol/deviceCredentials", async (rc) => {
    // Only the bootstrap user asks for credentials; tenant users must not (docs/platform-api.md §1.1).
    if (rc.principal.kind !== "bootstrap") throw forbidden();
    const body = await readJsonObject(rc.req, RESOURCE, ctx.config.bodyLimit);
    const { id, username, password } = svc.deliverCredentials(body, rc.baseUrl);
    return {
      status: 200,
      type: "deviceCredentials",
      body: {
        id,
        self: `${rc.baseUrl}/devicecontrol/deviceCredentials/${encodeURIComponent(id)}`,
        tenantId: tenant,
        username,
        password,
      },
    };
  });

  // POST /devicecontrol/bulkNewDeviceRequests – a CSV file as multipart part `file`.
  router.post("/devicecontrol/bulkNewDeviceRequests", async (rc) => {
    requireAdmin(rc.principal);
    const raw = await readBody(rc.req, ctx.config.bodyLimit);
    const file = await readMultipartFile(rc.req.headers["content-type"], raw);
    return {
      status: 201,
      type: "bulkNewDeviceRequest",
      onlyWithAccept: true,
      body: await bulk.register(file, rc.principal, rc.baseUrl),
    };
  });
}
