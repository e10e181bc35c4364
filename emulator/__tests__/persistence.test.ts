import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { basic, startTestPlatform } from "../../tests/support/platform.js";

const dataDir = mkdtempSync(join(tmpdir(), "emu-persist-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const json = { "content-type": "application/json", accept: "application/json" };
// Response bodies as the tests read them: loosely typed JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

describe("persistence across a restart on the same data directory", () => {
  it("keeps objects, identities, references, requests, operations, users and tokens", async () => {
    const first = await startTestPlatform({ dataDir });
    const post = async (path: string, body: unknown, auth?: string) => {
      const res = await first.request(path, {
        method: "POST",
        headers: json,
        body: JSON.stringify(body),
        auth,
      });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
      return res.status === 204 ? undefined : ((await res.json()) as Record<string, unknown>);
    };

    // A device registered and accepted through docs/startup-phase.md step 0, so its device user exists.
    await post("/devicecontrol/newDeviceRequests", { id: "persist-1" });
    expect(
      (
        await first.request("/devicecontrol/deviceCredentials", {
          method: "POST",
          headers: json,
          body: '{"id":"persist-1"}',
          auth: first.bootstrap,
        })
      ).status,
    ).toBe(404);
    const accepted = await first.request("/devicecontrol/newDeviceRequests/persist-1", {
      method: "PUT",
      headers: json,
      body: JSON.stringify({ status: "ACCEPTED" }),
    });
    expect(accepted.status).toBe(200);
    const creds = (await post("/devicecontrol/deviceCredentials", { id: "persist-1" }, first.bootstrap)) as {
      tenantId: string;
      username: string;
      password: string;
    };
    const deviceAuth = basic(`${creds.tenantId}/${creds.username}`, creds.password);

    // The device creates itself (steps 2–3) and a child; the operator queues an operation; one request waits.
    const agent = (await post(
      "/inventory/managedObjects",
      { name: "Agent", c8y_IsDevice: {}, com_cumulocity_model_Agent: {} },
      deviceAuth,
    ))!;
    await post(
      `/identity/globalIds/${agent.id as string}/externalIds`,
      { type: "c8y_Serial", externalId: "persist-1" },
      deviceAuth,
    );
    const child = (await post("/inventory/managedObjects", { name: "Child", c8y_IsDevice: {} }, deviceAuth))!;
    await post(
      `/inventory/managedObjects/${agent.id as string}/childDevices`,
      { managedObject: { id: child.id } },
      deviceAuth,
    );
    const op = (await post("/devicecontrol/operations", { deviceId: child.id, c8y_Restart: {} }))!;
    await post("/devicecontrol/newDeviceRequests", { id: "persist-2" });

    // A bearer token issued before the restart, and one revoked before it.
    const tokenOf = async () => {
      const res = await first.formLogin("/tenant/oauth/token");
      return `Bearer ${((await res.json()) as { access_token: string }).access_token}`;
    };
    const live = await tokenOf();
    const revoked = await tokenOf();
    expect((await first.request("/user/logout", { method: "POST", auth: revoked })).status).toBe(200);
    await first.close();

    const second = await startTestPlatform({ dataDir });
    try {
      const get = async (path: string, auth?: string) => {
        const res = await second.request(path, { headers: { accept: "application/json" }, auth });
        return { status: res.status, body: (await res.json()) as Body };
      };
      const mo = await get(`/inventory/managedObjects/${agent.id as string}`, deviceAuth);
      expect(mo.status).toBe(200);
      expect(mo.body.name).toBe("Agent");
      expect(mo.body.owner).toBe(creds.username);
      expect(
        mo.body.childDevices.references.map((r: { managedObject: { id: string } }) => r.managedObject.id),
      ).toEqual([child.id]);
      const ext = await get("/identity/externalIds/c8y_Serial/persist-1", deviceAuth);
      expect(ext.body.managedObject.id).toBe(agent.id);
      const ops = await get(
        `/devicecontrol/operations?agentId=${agent.id as string}&status=PENDING`,
        deviceAuth,
      );
      expect(ops.body.operations.map((o: { id: string }) => o.id)).toEqual([op.id]);
      const req = await get("/devicecontrol/newDeviceRequests/persist-2");
      expect(req.body.status).toBe("WAITING_FOR_CONNECTION");
      expect((await get("/user/currentUser", live)).status).toBe(200);
      expect((await get("/user/currentUser", revoked)).status).toBe(401);
      // Ids keep counting from where they were: nothing is reused.
      const next = await second.request("/inventory/managedObjects", {
        method: "POST",
        headers: json,
        body: JSON.stringify({ name: "After restart" }),
      });
      expect(Number(((await next.json()) as { id: string }).id)).toBeGreaterThan(Number(op.id));
    } finally {
      await second.close();
    }
  });
});
