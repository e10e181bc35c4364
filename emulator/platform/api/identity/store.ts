import type { Statement } from "better-sqlite3";
import type { Db } from "../../store/db.js";

/** A row of external_ids: one (type, value) pair bound to a managed object. */
export interface ExternalIdRow {
  type: string;
  external_id: string;
  mo_id: number;
}

/**
 * The only writer of external_ids (REST identity calls, inventory creation with `externalIds`, device registration).
 * Rows disappear with their object (foreign key) and feed the inventory text index through triggers.
 */
export class ExternalIdStore {
  private readonly s: Record<string, Statement>;

  constructor(db: Db) {
    this.s = {
      find: db.prepare(
        "SELECT type, external_id, mo_id FROM external_ids WHERE type = ? AND external_id = ?",
      ),
      listFor: db.prepare(
        "SELECT type, external_id, mo_id FROM external_ids WHERE mo_id = ? ORDER BY seq, type, external_id",
      ),
      insert: db.prepare(
        "INSERT INTO external_ids (type, external_id, mo_id, seq) VALUES (@type, @externalId, @moId, " +
          "(SELECT COALESCE(MAX(seq), 0) + 1 FROM external_ids WHERE mo_id = @moId))",
      ),
      remove: db.prepare("DELETE FROM external_ids WHERE type = ? AND external_id = ?"),
    };
  }

  find(type: string, externalId: string): ExternalIdRow | undefined {
    return this.s.find!.get(type, externalId) as ExternalIdRow | undefined;
  }

  /** Every binding of one object, oldest first. */
  listFor(moId: number): ExternalIdRow[] {
    return this.s.listFor!.all(moId) as ExternalIdRow[];
  }

  insert(type: string, externalId: string, moId: number): void {
    this.s.insert!.run({ type, externalId, moId });
  }

  remove(type: string, externalId: string): boolean {
    return this.s.remove!.run(type, externalId).changes > 0;
  }
}

const stores = new WeakMap<Db, ExternalIdStore>();

/** One store (one set of prepared statements) per database, shared by every module that touches identities. */
export function externalIdStore(db: Db): ExternalIdStore {
  let s = stores.get(db);
  if (!s) stores.set(db, (s = new ExternalIdStore(db)));
  return s;
}
