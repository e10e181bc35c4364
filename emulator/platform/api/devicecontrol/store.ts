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

/** The only writer of device_requests: registration, credentials delivery and bulk registration. */
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

/**
 * device_group_assignments: the groupId of a delivered registration, remembered for the device user until it creates
 * its device (docs/emulator-device-control.md, "What happens with groupId").
 */
export class GroupAssignmentsStore {
  private readonly insertStmt;
  private readonly takeStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare<[string, number, string], unknown>(
      "INSERT INTO device_group_assignments (username, group_id, created_at) VALUES (?, ?, ?) " +
        "ON CONFLICT (username) DO UPDATE SET group_id = excluded.group_id, created_at = excluded.created_at",
    );
    this.takeStmt = db.prepare<[string], { group_id: number }>(
      "DELETE FROM device_group_assignments WHERE username = ? RETURNING group_id",
    );
  }

  remember(username: string, groupId: number, createdAt: string): void {
    this.insertStmt.run(username, groupId, createdAt);
  }

  /** Removes and returns the group remembered for the user, if any. */
  take(username: string): number | undefined {
    return this.takeStmt.get(username)?.group_id;
  }
}
