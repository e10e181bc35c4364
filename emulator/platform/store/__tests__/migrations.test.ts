import { describe, expect, it } from "vitest";
import { migrate, openDb } from "../db.js";
import { migrations } from "../schema.js";

describe("migration 0006 (operation delivery)", () => {
  it("gives operations stored before it the creation state of delivery, dropping a delivery fragment", () => {
    const db = openDb(undefined);
    try {
      const index = migrations.findIndex((m) => m.id === "0006-operation-delivery");
      migrate(db, migrations.slice(0, index));
      db.prepare(
        "INSERT INTO managed_objects (id, owner, creation_time, last_updated) VALUES (1, 'admin', 'x', 'x')",
      ).run();
      db.prepare(
        "INSERT INTO operations (id, device_id, status, creation_time, fragments) " +
          "VALUES (2, 1, 'EXECUTING', '2024-01-02T03:04:05.000Z', ?)",
      ).run(JSON.stringify({ c8y_Restart: {}, delivery: { status: "forged" } }));
      migrate(db, migrations);
      const row = db.prepare("SELECT delivery, fragments FROM operations WHERE id = 2").get() as {
        delivery: string;
        fragments: string;
      };
      expect(JSON.parse(row.delivery)).toEqual({
        status: "PENDING",
        time: "2024-01-02T03:04:05.000Z",
        log: [],
      });
      expect(JSON.parse(row.fragments)).toEqual({ c8y_Restart: {} });
    } finally {
      db.close();
    }
  });
});
