import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basic, startTestPlatform, TENANT, type TestPlatform } from "../../../../tests/support/platform.js";
import {
  childrenOf,
  recordEvents,
  createMo,
  deviceUser,
  errorOf,
  json,
  VENDOR,
} from "../devicecontrol/__tests__/fixtures.js";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(() => p.close());

const requestPath = (id: string) => `/devicecontrol/newDeviceRequests/${encodeURIComponent(id)}`;
const register = (body: Record<string, unknown>) =>
  p.request("/devicecontrol/newDeviceRequests", { method: "POST", ...json(body) });
const accept = (id: string) => p.request(requestPath(id), { method: "PUT", ...json({ status: "ACCEPTED" }) });
const statusOf = async (id: string) => {
  const res = await p.request(requestPath(id));
  return res.status === 404 ? "GONE" : ((await res.json()) as { status: string }).status;
};
/** The device's poll exactly as in the seed: vendor content type, no Accept header. */
const poll = (id: unknown, auth: string | null = p.bootstrap) =>
  p.request("/devicecontrol/deviceCredentials", {
    method: "POST",
    auth,
    headers: { "content-type": `${VENDOR}deviceCredentials+json;ver=0.9` },
    body: JSON.stringify({ id }),
  });

describe("startup phase step 0: the device's credentials poll", () => {
  it("walks unknown → WAITING → PENDING_ACCEPTANCE → ACCEPTED → delivered once", async () => {
    const id = "0000000017b769d5";
    // Not registered: 404, and polling creates nothing.
    const unknown = await poll(id);
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).error).toBe("devicecontrol/Not Found");
    expect(await statusOf(id)).toBe("GONE");

    expect((await register({ id })).status).toBe(201);
    expect(await statusOf(id)).toBe("WAITING_FOR_CONNECTION");

    // First poll: the device has connected; still 404 for the device.
    expect((await poll(id)).status).toBe(404);
    expect(await statusOf(id)).toBe("PENDING_ACCEPTANCE");
    expect((await poll(id)).status).toBe(404);
    expect(await statusOf(id)).toBe("PENDING_ACCEPTANCE");

    expect((await accept(id)).status).toBe(200);
    expect(await statusOf(id)).toBe("ACCEPTED");

    const delivered = await poll(id);
    expect(delivered.status).toBe(200);
    expect(delivered.headers.get("content-type")).toBe(
      `${VENDOR}deviceCredentials+json;charset=UTF-8;ver=0.9`,
    );
    const creds = await delivered.json();
    expect(creds).toEqual({
      id,
      self: `${p.url}/devicecontrol/deviceCredentials/${id}`,
      tenantId: TENANT,
      username: `device_${id}`,
      password: expect.stringMatching(/^.{16,}$/),
    });

    // The credentials work for the device's own calls (tenant/user form, as devices must log in).
    const me = await p.request("/user/currentUser", {
      auth: basic(`${creds.tenantId}/${creds.username}`, creds.password),
    });
    expect(me.status).toBe(200);
    expect((await me.json()).userName).toBe(`device_${id}`);

    // Delivered once: the request is gone and later polls are 404 like an unknown id.
    expect(await statusOf(id)).toBe("GONE");
    const later = await poll(id);
    expect(later.status).toBe(404);
    expect((await errorOf(later)).error).toBe("devicecontrol/Not Found");
  });

  it("hands the credentials to exactly one of several concurrent polls", async () => {
    const id = "concurrent-poller";
    await register({ id });
    await poll(id);
    await accept(id);
    const answers = await Promise.all(Array.from({ length: 6 }, () => poll(id)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 404, 404, 404, 404, 404]);
  });

  it("keeps answering 404 while BLOCKED, and the status stays BLOCKED", async () => {
    const id = "blocked-device";
    await register({ id });
    await p.request("/devicecontrol/deviceCredentials", {
      method: "POST",
      auth: p.bootstrap,
      ...json({ id, securityToken: "right" }),
    });
    for (let i = 0; i < 3; i++)
      await p.request(requestPath(id), {
        method: "PUT",
        ...json({ status: "ACCEPTED", securityToken: "wrong" }),
      });
    expect(await statusOf(id)).toBe("BLOCKED");
    for (let i = 0; i < 2; i++) {
      const res = await poll(id);
      expect(res.status).toBe(404);
      expect((await errorOf(res)).error).toBe("devicecontrol/Not Found");
      expect(await statusOf(id)).toBe("BLOCKED");
    }
    // The operator's reset: delete and register again; the device then gets through.
    expect((await p.request(requestPath(id), { method: "DELETE" })).status).toBe(204);
    await register({ id });
    await poll(id);
    await accept(id);
    expect((await poll(id)).status).toBe(200);
  });

  it("gives a device registered again new credentials and invalidates the old ones", async () => {
    const id = "re-registered";
    const cycle = async () => {
      await register({ id });
      await poll(id);
      await accept(id);
      return (await (await poll(id)).json()) as { username: string; password: string };
    };
    const first = await cycle();
    const second = await cycle();
    expect(second.password).not.toBe(first.password);
    const login = (c: { username: string; password: string }) =>
      p.request("/user/currentUser", { auth: basic(`${TENANT}/${c.username}`, c.password) });
    expect((await login(first)).status).toBe(401);
    expect((await login(second)).status).toBe(200);
  });

  it("puts an already existing device of the device user into the request's group at delivery", async () => {
    const id = "grouped-existing";
    const group = await createMo(p, {
      name: "Hall 7",
      type: "c8y_DeviceGroup",
      fragments: { c8y_IsDeviceGroup: {} },
    });
    const device = await createMo(p, { name: "existing", owner: `device_${id}` });
    const created = await register({ id, groupId: group });
    expect((await created.json()).groupId).toBe(group);
    await poll(id);
    await accept(id);
    expect(await childrenOf(p, group, "childAssets")).toEqual([]);
    const rec = recordEvents(p);
    try {
      expect((await poll(id)).status).toBe(200);
    } finally {
      rec.stop();
    }
    expect(await childrenOf(p, group, "childAssets")).toEqual([device]);
    expect(rec.events.map((e) => [e.api, e.action, e.id])).toEqual([
      ["managedobjects", "UPDATE", group],
      ["managedobjects", "UPDATE", device],
    ]);
  });

  it("puts the device the device user creates itself (docs/startup-phase.md steps 1–3) into the request's group", async () => {
    const id = "grouped-new";
    const group = await createMo(p, {
      name: "Hall 8",
      type: "c8y_DeviceGroup",
      fragments: { c8y_IsDeviceGroup: {} },
    });
    await register({ id, groupId: group });
    await poll(id);
    await accept(id);
    const creds = (await (await poll(id)).json()) as { username: string; password: string };
    const auth = basic(`${TENANT}/${creds.username}`, creds.password);
    // Something that is not a device does not take the group membership away.
    const addition = await p.request("/inventory/managedObjects", {
      method: "POST",
      auth,
      ...json({ name: "software list", c8y_SoftwareList: [] }),
    });
    expect(addition.status).toBe(201);
    const rec = recordEvents(p);
    let deviceId: string;
    try {
      const created = await p.request("/inventory/managedObjects", {
        method: "POST",
        auth,
        ...json({ name: "RaspPi", c8y_IsDevice: {}, com_cumulocity_model_Agent: {} }),
      });
      expect(created.status).toBe(201);
      deviceId = ((await created.json()) as { id: string }).id;
    } finally {
      rec.stop();
    }
    expect(await childrenOf(p, group, "childAssets")).toEqual([deviceId]);
    // The creation is announced first, then the two objects whose references changed.
    expect(rec.events.map((e) => [e.action, e.id])).toEqual([
      ["CREATE", deviceId],
      ["UPDATE", group],
      ["UPDATE", deviceId],
    ]);
    const seen = await p.request(`/inventory/managedObjects/${deviceId}`, { auth });
    const parents = (
      (await seen.json()) as { assetParents: { references: { managedObject: { id: string } }[] } }
    ).assetParents.references;
    expect(parents.map((r) => r.managedObject.id)).toEqual([group]);
    // Only the first device joins: a child device the agent creates later stays out of the group.
    const child = await p.request("/inventory/managedObjects", {
      method: "POST",
      auth,
      ...json({ name: "sensor", c8y_IsDevice: {} }),
    });
    expect(child.status).toBe(201);
    expect(await childrenOf(p, group, "childAssets")).toEqual([deviceId]);
  });
});

describe("POST /devicecontrol/deviceCredentials: who may call it", () => {
  it("is for the bootstrap user only", async () => {
    await register({ id: "perm-device" });
    const device = await deviceUser(p, "device_perm-creds");
    for (const auth of [p.admin, device]) {
      const res = await poll("perm-device", auth);
      expect(res.status).toBe(403);
      expect((await errorOf(res)).error).toBe("security/Forbidden");
    }
    expect((await poll("perm-device", null)).status).toBe(401);
    expect((await poll("perm-device", basic("management/devicebootstrap", "wrong"))).status).toBe(401);
    // None of these counted as the device connecting.
    expect(await statusOf("perm-device")).toBe("WAITING_FOR_CONNECTION");
  });
});

describe("POST /devicecontrol/deviceCredentials: bad input", () => {
  it.each([
    ["no id", {}, 422, "undefined/validationError"],
    ["empty id", { id: "" }, 422, "undefined/validationError"],
    ["null id", { id: null }, 422, "undefined/validationError"],
    ["numeric id", { id: 42 }, 422, "devicecontrol/Invalid Data"],
    ["colon in id", { id: "a:b" }, 422, "devicecontrol/Invalid Data"],
    ["securityToken not a string", { id: "x1", securityToken: [] }, 422, "devicecontrol/Invalid Data"],
    ["array body", ["x1"], 422, "devicecontrol/Invalid Data"],
  ])("refuses %s", async (_name, body, status, error) => {
    const res = await p.request("/devicecontrol/deviceCredentials", {
      method: "POST",
      auth: p.bootstrap,
      ...json(body),
    });
    expect(res.status).toBe(status);
    const err = await errorOf(res);
    expect(err.error).toBe(error);
    if (error === "undefined/validationError")
      expect(err.message).toBe("Following mandatory fields should be included: id");
  });

  it("answers 400 for malformed JSON and 415 for form data", async () => {
    const bad = await p.request("/devicecontrol/deviceCredentials", {
      method: "POST",
      auth: p.bootstrap,
      headers: { "content-type": "application/json" },
      body: '{"id":',
    });
    expect(bad.status).toBe(400);
    await errorOf(bad);
    const form = await p.request("/devicecontrol/deviceCredentials", {
      method: "POST",
      auth: p.bootstrap,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "id=abc",
    });
    expect(form.status).toBe(415);
    await errorOf(form);
  });
});
