import type { Principal } from "../auth/principal.js";
import type { Db } from "./db.js";

/**
 * Hierarchy look-ups shared by the API modules: who may see an object, which agent an operation is routed to.
 * Ids here are the decimal strings of the API; the tables store integers.
 */
export class Hierarchy {
  private readonly ownedByOrAncestorOwnedBy;
  private readonly nearestAgent;
  private readonly nameOf;
  private readonly existsStmt;

  constructor(db: Db) {
    // The object itself or any ancestor (over every reference kind) owned by the user.
    this.ownedByOrAncestorOwnedBy = db.prepare(`
      WITH RECURSIVE up(id, depth) AS (
        SELECT ?, 0
        UNION
        SELECT r.parent_id, up.depth + 1 FROM mo_refs r JOIN up ON r.child_id = up.id WHERE up.depth < 64
      )
      SELECT 1 FROM up JOIN managed_objects m ON m.id = up.id WHERE m.owner = ? LIMIT 1`);
    // The device itself when it is an agent, else the closest agent above it over childDevices links.
    this.nearestAgent = db.prepare(`
      WITH RECURSIVE up(id, depth) AS (
        SELECT ?, 0
        UNION
        SELECT r.parent_id, up.depth + 1 FROM mo_refs r JOIN up ON r.child_id = up.id
        WHERE r.kind = 'childDevices' AND up.depth < 64
      )
      SELECT up.id FROM up JOIN mo_fragments f ON f.mo_id = up.id AND f.fragment = 'com_cumulocity_model_Agent'
      ORDER BY up.depth LIMIT 1`);
    this.nameOf = db.prepare("SELECT name FROM managed_objects WHERE id = ?");
    this.existsStmt = db.prepare("SELECT 1 FROM managed_objects WHERE id = ?");
  }

  exists(id: string): boolean {
    return isId(id) && this.existsStmt.get(Number(id)) !== undefined;
  }

  /** Admins see everything; device users their own objects and everything below them; bootstrap nothing. */
  canAccess(principal: Principal, id: string): boolean {
    if (principal.kind === "admin") return true;
    if (principal.kind !== "device" || !isId(id)) return false;
    return this.ownedByOrAncestorOwnedBy.get(Number(id), principal.username) !== undefined;
  }

  /** The agent an operation for `deviceId` is routed to, or undefined when no agent is above it. */
  agentFor(deviceId: string): string | undefined {
    if (!isId(deviceId)) return undefined;
    const row = this.nearestAgent.get(Number(deviceId)) as { id: number } | undefined;
    return row ? String(row.id) : undefined;
  }

  deviceName(id: string): string | undefined {
    if (!isId(id)) return undefined;
    const row = this.nameOf.get(Number(id)) as { name: string | null } | undefined;
    return row?.name ?? undefined;
  }
}

/**
 * A WITH clause naming `acc(id)`: the objects a device user can access, the same rule as Hierarchy.canAccess as a
 * set (objects the user owns and everything below them over any reference). Binds one parameter: the user name.
 */
export const ACCESSIBLE_TO_USER = `WITH RECURSIVE acc(id) AS (
  SELECT id FROM managed_objects WHERE owner = ?
  UNION SELECT r.child_id FROM mo_refs r JOIN acc ON r.parent_id = acc.id)`;

/** Platform ids are decimal digit strings; anything else (paths, letters, huge numbers) is no id at all. */
export function isId(id: string): boolean {
  return /^[1-9]\d{0,15}$/.test(id);
}
