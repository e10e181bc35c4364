import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform, type TestPlatform } from "../../../../tests/support/platform.js";

const VENDOR = "application/vnd.com.nsn.cumulocity.";
const JSON_HEADERS = { "content-type": "application/json", accept: "application/json" };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response JSON is inspected freely in tests
type Json = Record<string, any>;

let p: TestPlatform;
/** The data set, by name; ids ascend in creation order. */
const ids: Record<string, string> = {};

/** Creates an object; an `owner` is set by a PUT afterwards (a create always belongs to its creator). */
async function create(key: string, { owner, ...body }: Json): Promise<string> {
  const res = await p.request("/inventory/managedObjects", {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
  ids[key] = ((await res.json()) as Json).id as string;
  if (owner !== undefined) {
    const handedOver = await p.request(`/inventory/managedObjects/${ids[key]}`, {
      method: "PUT",
      headers: JSON_HEADERS,
      body: JSON.stringify({ owner }),
    });
    expect(handedOver.status).toBe(200);
  }
  return ids[key];
}

async function link(parent: string, kind: string, child: string) {
  const res = await p.request(`/inventory/managedObjects/${ids[parent]}/${kind}`, {
    method: "POST",
    headers: { "content-type": `${VENDOR}managedObjectReference+json` },
    body: JSON.stringify({ managedObject: { id: ids[child] } }),
  });
  expect(res.status).toBe(201);
}

beforeAll(async () => {
  p = await startTestPlatform();
  await create("pump1", {
    name: "Pump 1",
    type: "acme_Pump",
    c8y_IsDevice: {},
    c8y_Hardware: { serialNumber: "SN-001", model: "P" },
    c8y_SupportedOperations: ["c8y_Restart", "c8y_Command"],
    temp: 20,
    active: true,
    tags: ["north", "big"],
    sensors: [{ kind: "temp", unit: "C" }, { kind: "hum" }],
  });
  await create("pump2", {
    name: "pump 2",
    type: "acme_Pump",
    c8y_IsDevice: {},
    c8y_Hardware: { serialNumber: "SN-002", model: "Q" },
    temp: 25.5,
    active: false,
    // Monitored and silent so far: the platform computes c8y_Availability {status: "UNAVAILABLE"}.
    c8y_RequiredAvailability: { responseInterval: 10 },
  });
  await create("sensor", {
    name: "Sensor A",
    type: "acme_Sensor",
    owner: "device_s-01",
    c8y_IsDevice: {},
    temp: 30,
    externalIds: [{ type: "c8y_Serial", externalId: "raspi-0000000017b769d5" }],
  });
  await create("group", { name: "Group North", type: "c8y_DeviceGroup", c8y_IsDeviceGroup: {} });
  await create("sub", { name: "Sub", type: "c8y_DeviceSubGroup", c8y_IsDeviceGroup: {} });
  await create("thing", { label: "no name", quote: "O'Brien", pct: "50%_off" });
  await link("group", "childAssets", "pump1");
  await link("group", "childAssets", "pump2");
  await link("group", "childAssets", "sub");
  await link("sub", "childAssets", "sensor");
  await link("pump1", "childDevices", "sensor");
  await link("pump2", "childAdditions", "thing");
});
afterAll(() => p.close());

async function list(qs: string): Promise<Json> {
  const res = await p.request(`/inventory/managedObjects?${qs}`);
  expect(res.status, qs).toBe(200);
  return (await res.json()) as Json;
}

/** The keys of the objects a list returns, in order. */
async function keys(qs: string): Promise<string[]> {
  const body = await list(`pageSize=100&${qs}`);
  const byId = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
  return (body.managedObjects as Json[]).map((m) => byId[m.id as string] ?? `?${m.id}`);
}

const q = (query: string) => `query=${encodeURIComponent(query)}`;
const ALL = ["pump1", "pump2", "sensor", "group", "sub", "thing"];

describe("paging", () => {
  it("pages by 5 in ascending id order with the platform's envelope", async () => {
    const res = await p.request("/inventory/managedObjects");
    expect(res.headers.get("content-type")).toBe(
      `${VENDOR}managedObjectCollection+json;charset=UTF-8;ver=0.9`,
    );
    const body = await res.json();
    expect(body.statistics).toEqual({ currentPage: 1, pageSize: 5 });
    expect(body.self).toBe(`${p.url}/inventory/managedObjects?pageSize=5&currentPage=1`);
    expect(body.next).toBe(`${p.url}/inventory/managedObjects?pageSize=5&currentPage=2`);
    expect(body).not.toHaveProperty("prev");
    expect(body.managedObjects.map((m: Json) => m.id)).toEqual(ALL.slice(0, 5).map((k) => ids[k]));

    const page2 = await list("pageSize=5&currentPage=2&withTotalPages=true&withTotalElements=true");
    expect(page2.statistics).toEqual({ currentPage: 2, pageSize: 5, totalPages: 2, totalElements: 6 });
    expect(page2.prev).toBe(
      `${p.url}/inventory/managedObjects?pageSize=5&currentPage=1&withTotalPages=true&withTotalElements=true`,
    );
    expect(page2.managedObjects.map((m: Json) => m.id)).toEqual([ids.thing]);
  });

  it("echoes the filters in the links and keeps next on short pages", async () => {
    const body = await list("type=acme_Pump&pageSize=2&currentPage=3");
    expect(body.managedObjects).toEqual([]);
    expect(body.self).toBe(`${p.url}/inventory/managedObjects?type=acme_Pump&pageSize=2&currentPage=3`);
    expect(body.next).toBe(`${p.url}/inventory/managedObjects?type=acme_Pump&pageSize=2&currentPage=4`);
    expect(body.prev).toBe(`${p.url}/inventory/managedObjects?type=acme_Pump&pageSize=2&currentPage=2`);
  });

  it("trims page sizes above 2000", async () => {
    expect((await list("pageSize=100000")).statistics.pageSize).toBe(2000);
  });

  it.each(["pageSize=abc", "currentPage=-1", "withTotalPages=sure"])("refuses %s with 422", async (qs) => {
    const res = await p.request(`/inventory/managedObjects?${qs}`);
    expect(res.status).toBe(422);
    expect((await res.json()).error).toBe("inventory/Invalid Data");
  });
});

describe("filters", () => {
  it.each([
    ["type=acme_Pump", ["pump1", "pump2"]],
    ["type=nothing", []],
    ["fragmentType=c8y_IsDeviceGroup", ["group", "sub"]],
    ["fragmentType=c8y_IsDevice&type=acme_Sensor", ["sensor"]],
    ["owner=device_s-01", ["sensor"]],
    ["owner=admin&fragmentType=c8y_IsDevice", ["pump1", "pump2"]],
    ["onlyRoots=true", ["group"]],
    ["onlyRoots=true&fragmentType=c8y_IsDeviceGroup", ["group"]],
    ["onlyRoots=true&fragmentType=c8y_IsDevice", []],
  ])("%s", async (qs, expected) => {
    expect(await keys(qs)).toEqual(expected);
  });

  it("filters by ids given as a comma list or repeated keys, in id order", async () => {
    expect(await keys(`ids=${ids.sub},${ids.pump1}`)).toEqual(["pump1", "sub"]);
    expect(await keys(`ids=${ids.sub}&ids=${ids.pump2}`)).toEqual(["pump2", "sub"]);
    expect(await keys(`ids=${ids.sub},abc,,999999999`)).toEqual(["sub"]);
    expect(await keys("ids=abc")).toEqual([]);
    expect(await keys("ids=")).toEqual(ALL);
  });

  it("finds the parents of a child", async () => {
    expect(await keys(`childAssetId=${ids.pump1}`)).toEqual(["group"]);
    expect(await keys(`childAssetId=${ids.sensor}`)).toEqual(["sub"]);
    expect(await keys(`childDeviceId=${ids.sensor}`)).toEqual(["pump1"]);
    expect(await keys(`childAdditionId=${ids.thing}`)).toEqual(["pump2"]);
    expect(await keys(`childDeviceId=${ids.pump1}`)).toEqual([]);
    expect(await keys("childDeviceId=nope")).toEqual([]);
  });

  it("ignores type when a query is present, and q implies devices", async () => {
    expect(await keys(`type=acme_Sensor&${q("name eq 'Pump 1'")}`)).toEqual(["pump1"]);
    expect(await keys(`q=${encodeURIComponent("temp ge 20")}`)).toEqual(["pump1", "pump2", "sensor"]);
    expect(await keys(`q=${encodeURIComponent("$filter= $orderby=name")}`)).toEqual([
      "pump1",
      "pump2",
      "sensor",
    ]);
  });

  it("counts with the same filters as a bare number", async () => {
    const res = await p.request("/inventory/managedObjects/count?fragmentType=c8y_IsDevice");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("3");
    expect(await (await p.request("/inventory/managedObjects/count")).json()).toBe(6);
    expect(
      await (await p.request(`/inventory/managedObjects/count?${q("has(c8y_IsDeviceGroup)")}`)).json(),
    ).toBe(2);
    expect((await p.request(`/inventory/managedObjects/count?${q("name eq")}`)).status).toBe(422);
  });
});

describe("text search", () => {
  it.each([
    ["pump", ["pump1", "pump2"]],
    ["PUMP", ["pump1", "pump2"]],
    ["pu", ["pump1", "pump2"]],
    ["sens", ["sensor"]],
    ["acme_Sensor", ["sensor"]],
    ["device_s-01", ["sensor"]],
    ["raspi-0000000017b769d5", ["sensor"]],
    ["0000000017b769d5", ["sensor"]],
    ["north sub", ["group", "sub"]],
    ['"group north"', ["group"]],
    ['"north group"', []],
    ["c8y_DeviceSubGroup", ["sub"]],
    ["zzz", []],
  ])("text=%s", async (text, expected) => {
    expect(await keys(`text=${encodeURIComponent(text)}`)).toEqual(expected);
  });

  it("finds an object by its id", async () => {
    expect(await keys(`text=${ids.thing}`)).toContain("thing");
  });

  it.each(["", "   ", "---", "*", '"', "'"])(
    "ignores a text without searchable tokens (%j)",
    async (text) => {
      expect(await keys(`text=${encodeURIComponent(text)}`)).toEqual(ALL);
    },
  );

  it("follows renames and new external ids", async () => {
    const res = await p.request("/inventory/managedObjects", {
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({ name: "Renamable" }),
    });
    const { id } = await res.json();
    expect((await list("text=renamable")).managedObjects).toHaveLength(1);
    await p.request(`/inventory/managedObjects/${id}`, {
      method: "PUT",
      headers: JSON_HEADERS,
      body: JSON.stringify({ name: "Changed" }),
    });
    expect((await list("text=renamable")).managedObjects).toHaveLength(0);
    expect((await list("text=changed")).managedObjects).toHaveLength(1);
    await p.request(`/identity/globalIds/${id}/externalIds`, {
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({ type: "c8y_Serial", externalId: "late-bound-77" }),
    });
    expect((await list("text=late-bound-77")).managedObjects.map((m: Json) => m.id)).toEqual([id]);
    await p.request(`/inventory/managedObjects/${id}`, { method: "DELETE" });
    expect((await list("text=changed")).managedObjects).toHaveLength(0);
  });
});

describe("query language", () => {
  it.each([
    ["name eq 'Pump 1'", ["pump1"]],
    ["name eq 'pump 1'", []],
    ["name eq 'pump*'", ["pump1", "pump2"]],
    ["name eq '*A'", ["sensor"]],
    ["name eq '*'", ["pump1", "pump2", "sensor", "group", "sub"]],
    ["$filter=name eq 'Pump 1'", ["pump1"]],
    ["$filter=(name eq 'Pump 1')", ["pump1"]],
    ["name ne 'Pump 1'", ["pump2", "sensor", "group", "sub", "thing"]],
    ["name eq null", ["thing"]],
    ["name ne null", ["pump1", "pump2", "sensor", "group", "sub"]],
    ["type eq 'acme_Pump'", ["pump1", "pump2"]],
    ["owner eq 'device_s-01'", ["sensor"]],
    ["temp gt 20", ["pump2", "sensor"]],
    ["temp ge 20", ["pump1", "pump2", "sensor"]],
    ["temp lt 25.5d", ["pump1"]],
    ["temp le 25.5f", ["pump1", "pump2"]],
    ["temp eq 25.5d", ["pump2"]],
    ["temp eq 25.5", []],
    ["temp eq '20'", []],
    ["active eq true", ["pump1"]],
    ["active eq false", ["pump2"]],
    ["active ne true", ["pump2", "sensor", "group", "sub", "thing"]],
    ["c8y_Hardware.serialNumber eq 'SN-002'", ["pump2"]],
    ["c8y_Hardware.serialNumber eq 'sn-00*'", ["pump1", "pump2"]],
    ["c8y_Availability.status eq 'UNAVAILABLE'", ["pump2"]],
    ["c8y_SupportedOperations eq 'c8y_Command'", ["pump1"]],
    ["tags eq 'NOR*'", ["pump1"]],
    ["sensors.kind eq 'hum'", ["pump1"]],
    ["sensors.unit eq 'C'", ["pump1"]],
    ["sensors.unit eq null", ["pump1", "pump2", "sensor", "group", "sub", "thing"]],
    ["quote eq 'O''Brien'", ["thing"]],
    ["pct eq '50%_off'", ["thing"]],
    ["pct eq '50%*'", ["thing"]],
    ["pct eq '5_%*'", []],
    ["has(c8y_IsDeviceGroup)", ["group", "sub"]],
    ["has(c8y_Hardware.model)", ["pump1", "pump2"]],
    ["hasany(c8y_IsDeviceGroup, c8y_Availability)", ["pump2", "group", "sub"]],
    ["not has(c8y_IsDevice)", ["group", "sub", "thing"]],
    ["not(has(c8y_IsDevice))", ["group", "sub", "thing"]],
    ["(type eq 'acme_Pump' or type eq 'acme_Sensor') and temp ge 25", ["pump2", "sensor"]],
    ["type eq 'acme_Pump' or type eq 'acme_Sensor' and temp ge 25", ["pump1", "pump2", "sensor"]],
    ["NAME EQ 'x' OR type EQ 'c8y_DeviceGroup'", ["group"]],
    ["creationTime.date gt '2000-01-01T00:00:00.000Z'", ALL],
    ["creationTime lt '2000-01-01'", []],
    ["lastUpdated.date ge '2000-01-01T00:00:00Z'", ALL],
  ])("%s", async (query, expected) => {
    expect(await keys(q(query))).toEqual(expected);
  });

  it("supports functions over the hierarchy and ids", async () => {
    expect(await keys(q(`bygroupid(${ids.group})`))).toEqual(["pump1", "pump2", "sub"]);
    expect(await keys(q(`bygroupid(${ids.group}, ${ids.sub})`))).toEqual(["pump1", "pump2", "sensor", "sub"]);
    expect(await keys(q(`isinhierarchyof(${ids.group})`))).toEqual([
      "pump1",
      "pump2",
      "sensor",
      "group",
      "sub",
    ]);
    expect(await keys(q(`id eq '${ids.sub}'`))).toEqual(["sub"]);
    expect(await keys(q(`id eq ${ids.sub}`))).toEqual(["sub"]);
    expect(await keys(q(`id gt ${ids.sub}`))).toEqual(["thing"]);
  });

  it.each([
    // Names sort case-insensitively; objects without the property come first ascending, last descending.
    ["$orderby=name", ["thing", "group", "pump1", "pump2", "sensor", "sub"]],
    ["$orderby=name desc", ["sub", "sensor", "pump2", "pump1", "group", "thing"]],
    ["$filter=has(temp) $orderby=temp desc", ["sensor", "pump2", "pump1"]],
    ["$orderby=type asc, name desc", ["thing", "pump2", "pump1", "sensor", "group", "sub"]],
    ["$orderby=id desc", ["thing", "sub", "group", "sensor", "pump2", "pump1"]],
    ["$filter=type eq 'acme_Pump' $orderby=c8y_Hardware.model desc", ["pump2", "pump1"]],
    ["$orderby=name $filter=temp ge 25", ["pump2", "sensor"]],
    ["name eq '*u*' $orderby=", ["pump1", "pump2", "group", "sub"]],
  ])("orders with %s", async (query, expected) => {
    expect(await keys(q(query))).toEqual(expected);
  });

  it.each([
    "name eq",
    "name eq 'x",
    "name like 'x'",
    "name eq 'x' and",
    "(name eq 'x'",
    "name eq 'x')",
    "foo(bar)",
    "has()",
    "has(a, b)",
    "bygroupid(abc)",
    "isinhierarchyof()",
    "$filter=name eq 'x' $filter=type eq 'y'",
    "$top=5",
    "name eq x",
    "name eq 'a' type eq 'b'",
    "'x' eq name",
    "eq 'x'",
    "name eq 1.5.6",
    'name eq "x"',
    "name eq 'x'; DROP TABLE managed_objects",
    "creationTime gt 'not a date'",
    "a..b eq 1",
    ".a eq 1",
    "a.b.c.d.e.f.g.h.i eq 1",
    "$orderby=name sideways",
    "$orderby=name,",
    "not",
    "()",
    `${"(".repeat(100)}name eq 'x'${")".repeat(100)}`,
    `${"not ".repeat(100)}name eq 'x'`,
    "x".repeat(9000),
    "name eq '\u0000'x",
    "temp eq 1e999d",
  ])("refuses %j with 422 inventory/Invalid Data", async (query) => {
    const res = await p.request(`/inventory/managedObjects?${q(query)}`);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error: "inventory/Invalid Data",
      message: "Find by filter query failed : Query could not be understood.",
    });
  });

  it("accepts an empty query and an empty filter", async () => {
    expect(await keys("query=")).toEqual(ALL);
    expect(await keys(q("$filter="))).toEqual(ALL);
  });
});

describe("embedded references", () => {
  it("embeds children with names by default, and parents always", async () => {
    const group = (await list(`ids=${ids.group}`)).managedObjects[0];
    expect(group.childAssets.references.map((r: Json) => r.managedObject)).toEqual([
      { id: ids.pump1, name: "Pump 1", self: `${p.url}/inventory/managedObjects/${ids.pump1}` },
      { id: ids.pump2, name: "pump 2", self: `${p.url}/inventory/managedObjects/${ids.pump2}` },
      { id: ids.sub, name: "Sub", self: `${p.url}/inventory/managedObjects/${ids.sub}` },
    ]);
    expect(group.childAssets.references[0].self).toBe(
      `${p.url}/inventory/managedObjects/${ids.group}/childAssets/${ids.pump1}`,
    );
    expect(group.childAssets).not.toHaveProperty("count");
    const pump1 = (await list(`ids=${ids.pump1}`)).managedObjects[0];
    expect(pump1.assetParents.references).toEqual([
      {
        self: `${p.url}/inventory/managedObjects/${ids.pump1}/assetParents/${ids.group}`,
        managedObject: {
          id: ids.group,
          name: "Group North",
          self: `${p.url}/inventory/managedObjects/${ids.group}`,
        },
      },
    ]);
  });

  it("honours withChildren, withChildrenCount and skipChildrenNames", async () => {
    const noChildren = (await list(`ids=${ids.group}&withChildren=false`)).managedObjects[0];
    expect(noChildren.childAssets).toEqual({
      self: `${p.url}/inventory/managedObjects/${ids.group}/childAssets`,
      references: [],
    });
    const counted = (await list(`ids=${ids.group}&withChildrenCount=true&withChildren=false`))
      .managedObjects[0];
    expect(counted.childAssets.count).toBe(3);
    expect(counted.childDevices).not.toHaveProperty("count");
    const nameless = (await list(`ids=${ids.group}&skipChildrenNames=true`)).managedObjects[0];
    expect(nameless.childAssets.references[0].managedObject).toEqual({
      id: ids.pump1,
      self: `${p.url}/inventory/managedObjects/${ids.pump1}`,
    });
  });

  it("lists all ancestors with withParents", async () => {
    const direct = (await list(`ids=${ids.sensor}`)).managedObjects[0];
    expect(direct.assetParents.references.map((r: Json) => r.managedObject.id)).toEqual([ids.sub]);
    expect(direct.deviceParents.references.map((r: Json) => r.managedObject.id)).toEqual([ids.pump1]);
    const all = (await list(`ids=${ids.sensor}&withParents=true`)).managedObjects[0];
    expect(all.assetParents.references.map((r: Json) => r.managedObject.id)).toEqual([ids.sub, ids.group]);
    const single = await (await p.request(`/inventory/managedObjects/${ids.sensor}?withParents=true`)).json();
    expect(single.assetParents).toEqual(all.assetParents);
  });
});
