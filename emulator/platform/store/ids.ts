import type { Db } from "./db.js";

/** Next id of the tenant-wide sequence, as the decimal string the platform uses. Call inside a transaction. */
export function createIdAllocator(db: Db): () => string {
  const stmt = db.prepare("UPDATE id_sequence SET value = value + 1 WHERE name = 'global' RETURNING value");
  return () => String((stmt.get() as { value: number }).value);
}
