import { describe, expect, it } from "vitest";
import { openDb, migrate } from "../../store/db.js";
import { migrations } from "../../store/schema.js";
import { UserStore } from "../users.js";

function store() {
  const db = openDb(undefined);
  migrate(db, migrations);
  return { db, users: new UserStore(db, "t1", () => Date.now()) };
}

describe("UserStore", () => {
  it("stores scrypt hashes, never the password", async () => {
    const { db, users } = store();
    await users.upsert("t1", "alice", "correct horse", "admin");
    const row = db.prepare("SELECT password_hash FROM users WHERE username = 'alice'").get() as {
      password_hash: string;
    };
    expect(row.password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(row.password_hash).not.toContain("correct horse");
    expect(await users.verify("t1", "alice", "correct horse")).toMatchObject({
      username: "alice",
      kind: "admin",
    });
    expect(await users.verify("t1", "alice", "wrong")).toBeUndefined();
    expect(await users.verify(undefined, "alice", "correct horse")).toMatchObject({ tenant: "t1" });
    expect(await users.verify("t2", "alice", "correct horse")).toBeUndefined();
  });

  it("uses the lighter cost for generated device passwords", async () => {
    const { db, users } = store();
    await users.upsert("t1", "device_x", "generated", "device", "generated");
    const row = db.prepare("SELECT password_hash FROM users WHERE username = 'device_x'").get() as {
      password_hash: string;
    };
    expect(row.password_hash).toMatch(/^scrypt\$1024\$/);
    expect(await users.verify("t1", "device_x", "generated")).toMatchObject({ kind: "device" });
  });

  it("serves a verified credential from its cache and forgets it when the user goes", async () => {
    const { db, users } = store();
    await users.upsert("t1", "bob", "pw-1", "device");
    expect(await users.verify("t1", "bob", "pw-1")).toBeDefined();
    // With the row's hash replaced by garbage, only the cache can still answer.
    db.prepare("UPDATE users SET password_hash = 'scrypt$x' WHERE username = 'bob'").run();
    expect(await users.verify("t1", "bob", "pw-1")).toBeDefined();
    users.delete("t1", "bob");
    expect(await users.verify("t1", "bob", "pw-1")).toBeUndefined();
  });
});
