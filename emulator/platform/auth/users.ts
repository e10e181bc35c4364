import { hash } from "node:crypto";
import type { Db } from "../store/db.js";
import { hashPassword, verifyPassword, type HashCost } from "./passwords.js";
import type { Principal } from "./principal.js";

export const BOOTSTRAP_TENANT = "management";
export const BOOTSTRAP_USER = "devicebootstrap";
export const ADMIN_USER = "admin";

interface UserRow {
  tenant: string;
  username: string;
  password_hash: string;
  kind: Principal["kind"];
}

interface CacheEntry {
  principal: Omit<Principal, "via" | "tokenId">;
  expiresAt: number;
}

const CACHE_TTL_MS = 5 * 60_000;

/** The cache key of a credential: its SHA-256 (one-shot, no hash object), so the cache never holds a password. */
const cacheKey = (tenant: string, username: string, password: string) =>
  hash("sha256", `${tenant}\u0000${username}\u0000${password}`, "base64");
const CACHE_MAX = 10_000;

/**
 * Users and Basic verification. A verified (user, password) pair is cached by its SHA-256 so that a device polling
 * every second does not cost a scrypt per request; deleting or re-creating a user drops its entries.
 */
export class UserStore {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly byUser = new Map<string, Set<string>>();
  private readonly getStmt;
  private readonly insertStmt;
  private readonly deleteStmt;

  constructor(
    private readonly db: Db,
    readonly tenant: string,
    private readonly now: () => number,
  ) {
    this.getStmt = db.prepare(
      "SELECT tenant, username, password_hash, kind FROM users WHERE tenant = ? AND username = ?",
    );
    this.insertStmt = db.prepare(
      "INSERT INTO users (tenant, username, password_hash, kind, created_at) VALUES (?, ?, ?, ?, ?) " +
        "ON CONFLICT (tenant, username) DO UPDATE SET password_hash = excluded.password_hash, kind = excluded.kind",
    );
    this.deleteStmt = db.prepare("DELETE FROM users WHERE tenant = ? AND username = ?");
  }

  /** Hashing is slow: hash first, then write in the caller's transaction with `upsertHashed`. */
  hash(password: string, cost: HashCost = "interactive"): Promise<string> {
    return hashPassword(password, cost);
  }

  upsertHashed(tenant: string, username: string, passwordHash: string, kind: Principal["kind"]): void {
    this.insertStmt.run(tenant, username, passwordHash, kind, new Date(this.now()).toISOString());
    this.forget(tenant, username);
  }

  async upsert(
    tenant: string,
    username: string,
    password: string,
    kind: Principal["kind"],
    cost: HashCost = "interactive",
  ): Promise<void> {
    this.upsertHashed(tenant, username, await hashPassword(password, cost), kind);
  }

  exists(tenant: string, username: string): boolean {
    return this.getStmt.get(tenant, username) !== undefined;
  }

  find(tenant: string, username: string): Omit<Principal, "via" | "tokenId"> | undefined {
    const row = this.getStmt.get(tenant, username) as UserRow | undefined;
    return row ? { tenant: row.tenant, username: row.username, kind: row.kind } : undefined;
  }

  delete(tenant: string, username: string): boolean {
    const changed = this.deleteStmt.run(tenant, username).changes > 0;
    this.forget(tenant, username);
    return changed;
  }

  /** Verifies Basic credentials; `tenant` undefined means the platform's own tenant (bare `user:password`). */
  async verify(
    tenant: string | undefined,
    username: string,
    password: string,
  ): Promise<Omit<Principal, "via" | "tokenId"> | undefined> {
    return this.verifyCachedOrLater(tenant, username, password);
  }

  /**
   * The same, answered synchronously when the pair was verified recently (every request of a polling device or a
   * console); a promise only when scrypt must run.
   */
  verifyCachedOrLater(
    tenant: string | undefined,
    username: string,
    password: string,
  ): Omit<Principal, "via" | "tokenId"> | Promise<Omit<Principal, "via" | "tokenId"> | undefined> {
    const t = tenant ?? this.tenant;
    const key = cacheKey(t, username, password);
    return this.cached(key) ?? this.verifySlowly(key, t, username, password);
  }

  private cached(key: string): Omit<Principal, "via" | "tokenId"> | undefined {
    const hit = this.cache.get(key);
    return hit && hit.expiresAt > this.now() ? hit.principal : undefined;
  }

  private async verifySlowly(
    key: string,
    t: string,
    username: string,
    password: string,
  ): Promise<Omit<Principal, "via" | "tokenId"> | undefined> {
    const now = this.now();
    const row = this.getStmt.get(t, username) as UserRow | undefined;
    if (!row || !(await verifyPassword(password, row.password_hash))) return undefined;
    const principal = { tenant: row.tenant, username: row.username, kind: row.kind };
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(key, { principal, expiresAt: now + CACHE_TTL_MS });
    const userKey = `${t}/${username}`;
    let keys = this.byUser.get(userKey);
    if (!keys) this.byUser.set(userKey, (keys = new Set()));
    keys.add(key);
    return principal;
  }

  private forget(tenant: string, username: string): void {
    const userKey = `${tenant}/${username}`;
    for (const key of this.byUser.get(userKey) ?? []) this.cache.delete(key);
    this.byUser.delete(userKey);
  }
}
