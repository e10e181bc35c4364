import type { Authenticator } from "./auth/authenticate.js";
import type { TokenSigner } from "./auth/tokens.js";
import type { UserStore } from "./auth/users.js";
import type { PlatformEvents } from "./events.js";
import type { Db } from "./store/db.js";
import type { Hierarchy } from "./store/hierarchy.js";
import type { Scheduler } from "./scheduler.js";

export interface PlatformConfig {
  tenant: string;
  /** Lifetime of OAuth tokens (POST /tenant/oauth/token and the cookie login). */
  tokenLifetimeSeconds: number;
  /** Largest accepted request body, bytes. */
  bodyLimit: number;
  /**
   * Whether the platform writes its own audit records. Always true, except for the benchmark that measures what
   * writing them costs (bench/audit-overhead.ts).
   */
  auditRecords: boolean;
}

/** What every API module gets: storage, identity of callers, the clock and the change feed. */
export interface PlatformContext {
  readonly db: Db;
  readonly config: PlatformConfig;
  readonly users: UserStore;
  readonly auth: Authenticator;
  readonly tokens: TokenSigner;
  readonly events: PlatformEvents;
  readonly hierarchy: Hierarchy;
  /** Next id of the tenant-wide sequence; call inside the transaction that uses it. */
  readonly nextId: () => string;
  /** Milliseconds since the epoch; tests may inject a clock. */
  readonly now: () => number;
  /** Timed work (goes with `now`: tests inject both). */
  readonly scheduler: Scheduler;
}

/** Platform timestamps: UTC with milliseconds. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
