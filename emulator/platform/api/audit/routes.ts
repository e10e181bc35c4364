import type { PlatformContext } from "../../context.js";
import { readJsonObject } from "../../http/body.js";
import { forbidden } from "../../http/errors.js";
import { pageEnvelope, parseBool, parsePaging } from "../../http/paging.js";
import type { Router } from "../../http/router.js";
import { parseAuditFilter, readAuditRecord, RESOURCE } from "./input.js";
import { auditRecordJson } from "./serialize.js";
import { actorOf, auditService } from "./service.js";

/**
 * Audit API (docs/platform-fleet.md §2; decisions in docs/emulator-audit.md). There is no PUT or DELETE: the router
 * answers them with 405, as the platform does since 10.6.6.
 */
export function registerAuditApi(router: Router, ctx: PlatformContext): void {
  const svc = auditService(ctx);
  const requireReader = (kind: string) => {
    if (kind === "bootstrap") throw forbidden();
  };

  // GET /audit – API root with the URI templates of the record collection.
  router.get("/audit", (rc) => {
    requireReader(rc.principal.kind);
    const list = `${rc.baseUrl}/audit/auditRecords`;
    return {
      status: 200,
      type: "auditApi",
      body: {
        self: `${rc.baseUrl}/audit`,
        auditRecords: { self: list, auditRecords: [] },
        auditRecordsForType: `${list}?type={type}`,
        auditRecordsForUser: `${list}?user={user}`,
        auditRecordsForApplication: `${list}?application={application}`,
        auditRecordsForUserAndType: `${list}?user={user}&type={type}`,
        auditRecordsForUserAndApplication: `${list}?user={user}&application={application}`,
        auditRecordsForTypeAndApplication: `${list}?type={type}&application={application}`,
        auditRecordsForTypeAndUserAndApplication: `${list}?type={type}&user={user}&application={application}`,
      },
    };
  });

  // GET /audit/auditRecords – oldest first by time (newest first with revert), filtered, paged.
  router.get("/audit/auditRecords", (rc) => {
    requireReader(rc.principal.kind);
    const paging = parsePaging(rc.query, RESOURCE);
    const revert = parseBool(rc.query, "revert", RESOURCE);
    const { rows, total } = svc.list(parseAuditFilter(rc.query, rc.principal), paging, revert);
    return {
      status: 200,
      type: "auditRecordCollection",
      body: {
        ...pageEnvelope(rc.baseUrl, rc.path, rc.query, paging, total),
        auditRecords: rows.map((r) => auditRecordJson(rc.baseUrl, r)),
      },
    };
  });

  // POST /audit/auditRecords – only with the audit admin role, which of our users only the admin has.
  router.post("/audit/auditRecords", async (rc) => {
    if (rc.principal.kind !== "admin") throw forbidden();
    const input = readAuditRecord(await readJsonObject(rc.req, RESOURCE, ctx.config.bodyLimit));
    const json = auditRecordJson(rc.baseUrl, svc.create(actorOf(rc), input));
    return {
      status: 201,
      type: "auditRecord",
      headers: { location: json.self as string },
      body: json,
      onlyWithAccept: true,
    };
  });

  // GET /audit/auditRecords/{id}
  router.get("/audit/auditRecords/:id", (rc) => {
    requireReader(rc.principal.kind);
    return {
      status: 200,
      type: "auditRecord",
      body: auditRecordJson(rc.baseUrl, svc.get(rc.principal, rc.params.id!)),
    };
  });
}
