import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export type Db = Database.Database;

/**
 * Prepares each distinct SQL text once: list filters compose a handful of statements (which filters are present),
 * and preparing them per request would cost more than running them.
 */
export function statementCache(db: Db): (sql: string) => Database.Statement<unknown[], unknown> {
  const statements = new Map<string, Database.Statement<unknown[], unknown>>();
  return (sql) => {
    let s = statements.get(sql);
    if (!s) statements.set(sql, (s = db.prepare<unknown[], unknown>(sql)));
    return s;
  };
}

/** A schema change: applied once, in order, inside one transaction. */
export interface Migration {
  id: string;
  up: string | ((db: Db) => void);
}

/**
 * Opens the platform database. `dir` undefined means in-memory (tests that need no persistence).
 * WAL + synchronous=NORMAL: an acknowledged write survives a process crash (the WAL is on disk before COMMIT returns).
 * Exclusive locking, set before WAL is first used: the emulator is the database's only user, and without it every
 * read statement takes shared-memory locks (about 4 µs each, docs/emulator-performance.md). It also keeps a second
 * emulator off a data directory that is in use.
 */
export function openDb(dir: string | undefined): Db {
  let db: Db;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    db = new Database(join(dir, "platform.sqlite"));
    db.pragma("locking_mode = EXCLUSIVE");
    db.pragma("journal_mode = WAL");
    // Checkpoint every 10,000 WAL pages (40 MB) instead of 1,000: a status change with its audit record dirties about
    // ten pages, and checkpointing ten times as often cost more than the records themselves (bench/audit-overhead.ts,
    // docs/emulator-bulk-operations.md). Durability is the same: a committed transaction is in the WAL either way.
    db.pragma("wal_autocheckpoint = 10000");
  } else {
    db = new Database(":memory:");
  }
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
  return db;
}

/** Applies the migrations not yet recorded; each in its own transaction, so a failure leaves no half schema. */
export function migrate(db: Db, migrations: readonly Migration[]): void {
  const applied = new Set(
    (db.prepare("SELECT id FROM schema_migrations").all() as { id: string }[]).map((r) => r.id),
  );
  const record = db.prepare("INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)");
  for (const m of migrations) {
    if (applied.has(m.id)) continue;
    db.transaction(() => {
      if (typeof m.up === "string") db.exec(m.up);
      else m.up(db);
      record.run(m.id, new Date().toISOString());
    })();
  }
}
