import type { Db } from "../../store/db.js";
import type { RequestStatus } from "./common.js";

/** A row of device_requests (schema 0002 plus the columns of 0003-devicecontrol). */
export interface RequestRow {
  id: string;
  seq: number;
  status: RequestStatus;
  owner: string;
  creation_time: string;
  group_id: string | null;
  type: string | null;
  /** The token the device sent with its first credentials poll; the accepting PUT must repeat it. */
  security_token: string | null;
  custom_properties: string;
  /** Generated password between acceptance and delivery; the row is deleted on delivery. */
  pending_password: string | null;
  token_failures: number;
}

/** Prepared statements over device_requests, shared by the registration, credentials and bulk modules. */
export class RequestsStore {
  readonly get;
  readonly insert;
  readonly remove;
  readonly setStatus;
  readonly accept;
  readonly countTokenFailure;
  readonly page;
  readonly count;
  readonly pendingAcceptance;

  constructor(db: Db) {
    this.get = db.prepare<[string], RequestRow>("SELECT * FROM device_requests WHERE id = ?");
    this.insert = db.prepare<[string, string, string, string, string | null, string | null, string], unknown>(
      "INSERT INTO device_requests (id, seq, status, owner, creation_time, group_id, type, custom_properties) " +
        "VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM device_requests), ?, ?, ?, ?, ?, ?)",
    );
    this.remove = db.prepare<[string], unknown>("DELETE FROM device_requests WHERE id = ?");
    this.setStatus = db.prepare<[RequestStatus, string | null, string], unknown>(
      "UPDATE device_requests SET status = ?, security_token = COALESCE(security_token, ?) WHERE id = ?",
    );
    this.accept = db.prepare<[string, string], unknown>(
      "UPDATE device_requests SET status = 'ACCEPTED', pending_password = ? WHERE id = ?",
    );
    this.countTokenFailure = db.prepare<[number, string], unknown>(
      "UPDATE device_requests SET token_failures = token_failures + 1, " +
        "status = CASE WHEN token_failures + 1 >= ? THEN 'BLOCKED' ELSE status END WHERE id = ?",
    );
    this.page = db.prepare<[number, number], RequestRow>(
      "SELECT * FROM device_requests ORDER BY seq LIMIT ? OFFSET ?",
    );
    this.count = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM device_requests");
    this.pendingAcceptance = db.prepare<[], RequestRow>(
      "SELECT * FROM device_requests WHERE status = 'PENDING_ACCEPTANCE' ORDER BY seq",
    );
  }
}

export function requestSelf(baseUrl: string, id: string): string {
  return `${baseUrl}/devicecontrol/newDeviceRequests/${encodeURIComponent(id)}`;
}

/** The newDeviceRequest representation; securityToken is write-only and never shown. */
export function requestJson(baseUrl: string, tenant: string, row: RequestRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: row.id,
    status: row.status,
    self: requestSelf(baseUrl, row.id),
    owner: row.owner,
    tenantId: tenant,
    creationTime: row.creation_time,
    customProperties: JSON.parse(row.custom_properties) as unknown,
  };
  if (row.group_id !== null) out.groupId = row.group_id;
  if (row.type !== null) out.type = row.type;
  return out;
}
