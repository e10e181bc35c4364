// Seeding a data directory directly through the emulator's stores, before its process starts: for benchmarks whose
// data would take far longer to create over HTTP than the thing they measure.
import { createIdAllocator } from "../emulator/platform/store/ids.js";
import { migrate, openDb, type Db } from "../emulator/platform/store/db.js";
import { migrations } from "../emulator/platform/store/schema.js";
import { inventoryStore } from "../emulator/platform/api/inventory/store.js";
import { operationsStore } from "../emulator/platform/api/operations/store.js";

export interface Seeder {
  db: Db;
  nextId: () => number;
  /** A managed object with these fragments (their names indexed as the emulator does); returns its id. */
  managedObject(name: string, type: string, fragments: Record<string, unknown>, at: string): number;
  /** An agent device (its own operations are routed to it); returns its id. */
  agent(name: string, at: string): number;
  /** A PENDING operation for the device; returns its id. */
  operation(deviceId: number, at: string): number;
  close(): void;
}

/** Opens (and migrates) the database of a data directory as the emulator would. */
export function openSeeder(dataDir: string): Seeder {
  const db = openDb(dataDir);
  migrate(db, migrations);
  const allocate = createIdAllocator(db);
  const nextId = () => Number(allocate());
  const inventory = inventoryStore(db);
  const operations = operationsStore(db);
  const managedObject: Seeder["managedObject"] = (name, type, fragments, at) => {
    const id = nextId();
    inventory.insert(
      {
        id,
        type,
        name,
        owner: "admin",
        creation_time: at,
        last_updated: at,
        fragments: JSON.stringify(fragments),
      },
      Object.keys(fragments),
    );
    return id;
  };
  return {
    db,
    nextId,
    managedObject,
    agent: (name, at) =>
      managedObject(name, "c8y_Linux", { c8y_IsDevice: {}, com_cumulocity_model_Agent: {} }, at),
    operation(deviceId, at) {
      const id = nextId();
      operations.insert({
        id,
        deviceId,
        agentId: deviceId,
        creationTime: at,
        fragments: JSON.stringify({ description: "Restart", c8y_Restart: {} }),
        delivery: JSON.stringify({ status: "PENDING", time: at, log: [] }),
        bulkOperationId: null,
      });
      return id;
    },
    close: () => db.close(),
  };
}
