import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { DELETE as removeMember } from "@/app/api/groups/[id]/members/[childId]/route";
import { POST as addMembers } from "@/app/api/groups/[id]/members/route";
import { GET as listGroups, POST as createGroup } from "@/app/api/groups/route";
import { type TestPlatform } from "../../../tests/support/platform.js";
import { call, createObject, startSignedIn } from "./support.js";

let p: TestPlatform;
let cookie: string;

const create = (body: Record<string, unknown>) => createObject(p, body);

/** Ids in the object's child assets, as the platform holds them. */
async function assetsOf(id: string): Promise<string[]> {
  const res = await p.request(`/inventory/managedObjects/${id}/childAssets?pageSize=100`);
  const page = (await res.json()) as { references: { managedObject: { id: string } }[] };
  return page.references.map((r) => r.managedObject.id);
}

const device = (name: string) => ({ name, c8y_IsDevice: {} });
const newGroup = (body: unknown) => call(createGroup, "/api/groups", { body, cookie });
const add = (groupId: string, body: unknown) =>
  call(addMembers, `/api/groups/${groupId}/members`, { body, cookie, params: { id: groupId } });
const remove = (groupId: string, childId: string) =>
  call(removeMember, `/api/groups/${groupId}/members/${childId}`, {
    method: "DELETE",
    cookie,
    params: { id: groupId, childId },
  });

beforeAll(async () => {
  ({ p, cookie } = await startSignedIn(login));
});
afterAll(() => p.close());

describe("POST /api/groups", () => {
  it("creates a root group and a subgroup linked below it", async () => {
    const root = await newGroup({ name: "  Site Berlin " });
    expect(root.status).toBe(201);
    expect(root.json).toMatchObject({ name: "Site Berlin", kind: "group", type: "c8y_DeviceGroup" });
    const sub = await newGroup({ name: "Floor 2", parentId: root.json.id });
    expect(sub.status).toBe(201);
    expect(sub.json).toMatchObject({ name: "Floor 2", kind: "group", type: "c8y_DeviceSubGroup" });
    expect(await assetsOf(root.json.id)).toEqual([sub.json.id]);
  });

  it("refuses a parent that is not a group (422) or does not exist (404), creating nothing", async () => {
    const lonely = await create(device("Not a group"));
    const before = await (await p.request("/inventory/managedObjects/count")).text();
    const a = await newGroup({ name: "Orphan", parentId: lonely });
    expect(a.status).toBe(422);
    expect(a.json.error.fields).toEqual({ parentId: "Not a group" });
    const b = await newGroup({ name: "Orphan", parentId: "99999999" });
    expect(b.status).toBe(404);
    expect(b.json.error.code).toBe("not_found");
    expect(await (await p.request("/inventory/managedObjects/count")).text()).toBe(before);
  });

  it.each([
    ["no name", {}, "name"],
    ["a blank name", { name: "   " }, "name"],
    ["a bad parent id", { name: "x", parentId: "../1" }, "parentId"],
  ])("answers 422 for %s", async (_n, body, field) => {
    const a = await newGroup(body);
    expect(a.status).toBe(422);
    expect(a.json.error.fields).toHaveProperty(field);
  });

  it("answers 400 for a body that is not JSON, and 403 without the console header", async () => {
    const a = await call(createGroup, "/api/groups", { body: "{name:", cookie });
    expect(a.status).toBe(400);
    expect(a.json.error.code).toBe("bad_json");
    const b = await call(createGroup, "/api/groups", { body: { name: "x" }, cookie, csrf: false });
    expect(b.status).toBe(403);
  });
});

describe("GET /api/groups", () => {
  it("lists groups and subgroups by a part of the name, sorted by name", async () => {
    const a = await call(listGroups, "/api/groups?search=flo", { cookie });
    expect(a.status).toBe(200);
    expect(a.json.items.map((g: { name: string }) => g.name)).toEqual(["Floor 2"]);
    const all = await call(listGroups, "/api/groups?pageSize=1", { cookie });
    expect(all.json.items).toHaveLength(1);
    expect(all.json.hasMore).toBe(true);
  });
});

describe("group membership", () => {
  let a: string;
  let b: string;
  let d1: string;
  let d2: string;
  beforeAll(async () => {
    a = (await newGroup({ name: "Group A" })).json.id;
    b = (await newGroup({ name: "Group B" })).json.id;
    d1 = await create(device("Member 1"));
    d2 = await create(device("Member 2"));
  });

  it("adds devices, reporting one already there as such", async () => {
    const first = await add(a, { ids: [d1] });
    expect(first.status).toBe(200);
    expect(first.json.results).toEqual([{ id: d1, ok: true, outcome: "added" }]);
    const again = await add(a, { ids: [d1, d2, d2] });
    expect(again.json.results).toEqual([
      { id: d1, ok: true, outcome: "already_member" },
      { id: d2, ok: true, outcome: "added" },
    ]);
    expect(await assetsOf(a)).toEqual([d1, d2]);
  });

  it("reports rows the platform refuses without blocking the others", async () => {
    const r = await add(b, { ids: ["99999999", b, d1] });
    expect(r.json.results).toEqual([
      { id: "99999999", ok: false, code: "not_found", error: expect.any(String) },
      { id: b, ok: false, code: "upstream_rejected", error: expect.stringContaining("itself") },
      { id: d1, ok: true, outcome: "added" },
    ]);
    expect(await remove(b, d1)).toMatchObject({ status: 204 });
  });

  it("moves a device from one group to another (references only)", async () => {
    const r = await add(b, { ids: [d2], fromGroupId: a });
    expect(r.json.results).toEqual([{ id: d2, ok: true, outcome: "moved" }]);
    expect(await assetsOf(a)).toEqual([d1]);
    expect(await assetsOf(b)).toEqual([d2]);
    const device = await (await p.request(`/inventory/managedObjects/${d2}`)).json();
    expect(device.name).toBe("Member 2");
  });

  it("moves an object that was not in the source group as a plain add", async () => {
    const d3 = await create(device("Member 3"));
    const r = await add(b, { ids: [d3], fromGroupId: a });
    expect(r.json.results).toEqual([{ id: d3, ok: true, outcome: "added" }]);
  });

  it("refuses a move within one group, a target or source that is no group, and bad ids", async () => {
    expect((await add(a, { ids: [d1], fromGroupId: a })).status).toBe(422);
    const notGroup = await add(d1, { ids: [d2] });
    expect(notGroup.status).toBe(422);
    expect(notGroup.json.error.fields).toEqual({ id: "Not a group" });
    const badSource = await add(b, { ids: [d1], fromGroupId: d2 });
    expect(badSource.json.error.fields).toEqual({ fromGroupId: "Not a group" });
    expect((await add("99999999", { ids: [d1] })).status).toBe(404);
    for (const body of [{ ids: [] }, { ids: ["x"] }, { ids: d1 }, {}]) {
      const r = await add(a, body);
      expect(r.status).toBe(422);
      expect(r.json.error.code).toBe("invalid_input");
    }
    expect(await assetsOf(b)).not.toContain(d1);
  });

  it("removes a member; removing it again is 404, and the device stays", async () => {
    expect((await remove(a, d1)).status).toBe(204);
    expect(await assetsOf(a)).toEqual([]);
    const again = await remove(a, d1);
    expect(again.status).toBe(404);
    expect(again.json.error.code).toBe("not_found");
    expect((await p.request(`/inventory/managedObjects/${d1}`)).status).toBe(200);
  });

  it("answers 422 for bad ids in the path and 401 without a session", async () => {
    const bad = await remove(a, "1.5");
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields).toHaveProperty("childId");
    const anon = await call(removeMember, `/api/groups/${a}/members/${d1}`, {
      method: "DELETE",
      params: { id: a, childId: d1 },
    });
    expect(anon.status).toBe(401);
  });
});
