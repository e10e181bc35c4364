import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basic, startTestPlatform, TENANT, type TestPlatform } from "../../../../tests/support/platform.js";
import { parseCsv, CsvError } from "../devicecontrol/csv.js";
import {
  childrenOf,
  countOf,
  deviceUser,
  errorOf,
  externalIdTarget,
  groupsNamed,
  json,
  readMo,
  recordEvents,
  VENDOR,
} from "../devicecontrol/__tests__/fixtures.js";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(() => p.close());

const upload = (file: string | Uint8Array<ArrayBuffer>, auth?: string) => {
  const form = new FormData();
  form.append("file", new Blob([file]), "devices.csv");
  return p.request("/devicecontrol/bulkNewDeviceRequests", {
    method: "POST",
    body: form,
    headers: { accept: `${VENDOR}bulkNewDeviceRequest+json` },
    ...(auth ? { auth } : {}),
  });
};
const uploadOk = async (file: string | Uint8Array<ArrayBuffer>) => {
  const res = await upload(file);
  expect(res.status).toBe(201);
  return res.json();
};
const request = async (id: string) => {
  const res = await p.request(`/devicecontrol/newDeviceRequests/${encodeURIComponent(id)}`);
  return res.status === 200 ? ((await res.json()) as Record<string, unknown>) : undefined;
};
const login = (user: string, password: string) =>
  p.request("/user/currentUser", { auth: basic(`${TENANT}/${user}`, password) });
/** The device an external id points at, as the inventory shows it. */
const deviceBy = async (type: string, value: string) => {
  const id = await externalIdTarget(p, type, value);
  if (id === undefined) throw new Error(`no device for ${type}/${value}`);
  return readMo(p, id);
};

describe("parseCsv", () => {
  it.each([
    ["ID;PATH\na;b/c", ";"],
    ["ID\tPATH\na\tb", "\t"],
    ["ID,PATH\na,b", ","],
    ['"ID";"NAME, long"\na;b', ";"],
    ["ID\na", ","],
  ])("detects the separator of %j", (text, separator) => {
    expect(parseCsv(text).separator).toBe(separator);
  });

  it("reads quoted fields, doubled quotes, embedded line breaks, CRLF/CR endings, a BOM and blank rows", () => {
    const csv = parseCsv('\uFEFFID,NAME,NOTE\r\n"a,1","say ""hi""","two\nlines"\r\n\r\n,,\rb,plain,x"y\n');
    expect(csv.header).toEqual(["ID", "NAME", "NOTE"]);
    expect(csv.records.map((r) => r.fields)).toEqual([
      ["a,1", 'say "hi"', "two\nlines"],
      ["b", "plain", 'x"y'],
    ]);
    expect(csv.records.map((r) => r.lineNumber)).toEqual([2, 6]);
    expect(csv.records[1]!.text).toBe('b,plain,x"y');
  });

  it.each([[""], ["\n\n"], ['ID\n"open'], ["ID\u0000\n1"]])("refuses %j", (text) => {
    expect(() => parseCsv(text)).toThrow(CsvError);
  });
});

describe("simple format (ID, PATH): registration requests", () => {
  it("creates WAITING requests in new groups; a bad row fails alone", async () => {
    await p.request("/devicecontrol/newDeviceRequests", { method: "POST", ...json({ id: "simple-pre" }) });
    const rec = recordEvents(p);
    let result;
    try {
      result = await uploadOk(
        [
          "ID;PATH",
          "simple-1;Site A/Hall 1",
          "simple-2;Site A / Hall 1",
          "simple-3;Site A/Hall 2",
          "simple-4;",
          ";Site A",
          "simple-1;Elsewhere",
          "simple-pre;Site B",
          "simple-5;Site A//Hall 3",
        ].join("\n"),
      );
    } finally {
      rec.stop();
    }
    expect(result).toEqual({
      numberOfAll: 8,
      numberOfCreated: 4,
      numberOfFailed: 4,
      numberOfSuccessful: 4,
      credentialUpdatedList: [],
      failedCreationList: [
        {
          deviceId: "",
          bulkNewDeviceStatus: "FAILED",
          failureReason: expect.stringMatching(/ID/),
          line: ";Site A",
        },
        {
          deviceId: "simple-1",
          bulkNewDeviceStatus: "FAILED",
          failureReason: expect.stringMatching(/more than once/),
          line: "simple-1;Elsewhere",
        },
        {
          deviceId: "simple-pre",
          bulkNewDeviceStatus: "FAILED",
          failureReason: expect.stringMatching(/already exists/),
          line: "simple-pre;Site B",
        },
        {
          deviceId: "simple-5",
          bulkNewDeviceStatus: "FAILED",
          failureReason: expect.stringMatching(/PATH/),
          line: "simple-5;Site A//Hall 3",
        },
      ],
    });
    const [siteA] = await groupsNamed(p, "Site A");
    const [hall1] = await groupsNamed(p, "Hall 1");
    const [hall2] = await groupsNamed(p, "Hall 2");
    expect(await groupsNamed(p, "Site A")).toHaveLength(1);
    expect(await groupsNamed(p, "Site B")).toEqual([]); // the failed row left nothing behind
    expect(await readMo(p, siteA!)).toMatchObject({
      type: "c8y_DeviceGroup",
      owner: "admin",
      c8y_IsDeviceGroup: {},
    });
    expect(await readMo(p, hall1!)).toMatchObject({ type: "c8y_DeviceSubGroup", c8y_IsDeviceGroup: {} });
    expect(await childrenOf(p, siteA!, "childAssets")).toEqual([hall1, hall2]);
    expect(await request("simple-1")).toMatchObject({
      status: "WAITING_FOR_CONNECTION",
      owner: "admin",
      groupId: hall1,
    });
    expect(await request("simple-2")).toMatchObject({ groupId: hall1 });
    expect(await request("simple-3")).toMatchObject({ groupId: hall2 });
    expect(await request("simple-4")).not.toHaveProperty("groupId");
    expect(await request("simple-5")).toBeUndefined();
    expect(rec.events.map((e) => [e.api, e.action, e.id])).toEqual([
      ["managedobjects", "CREATE", siteA],
      ["managedobjects", "CREATE", hall1],
      ["managedobjects", "CREATE", hall2],
    ]);
    expect(rec.events[1]).toMatchObject({
      data: { id: hall1, name: "Hall 1", type: "c8y_DeviceSubGroup", c8y_IsDeviceGroup: {} },
    });

    // Existing groups are found again by their path, not duplicated.
    const again = await uploadOk("ID\tPATH\nsimple-6\tSite A/Hall 2\n");
    expect(again.numberOfCreated).toBe(1);
    expect(await request("simple-6")).toMatchObject({ groupId: hall2 });
    expect(await groupsNamed(p, "Hall 2")).toEqual([hall2]);

    // The requests go through the ordinary acceptance.
    const poll = () =>
      p.request("/devicecontrol/deviceCredentials", {
        method: "POST",
        auth: p.bootstrap,
        ...json({ id: "simple-1" }),
      });
    expect((await poll()).status).toBe(404);
    await p.request("/devicecontrol/newDeviceRequests/simple-1", {
      method: "PUT",
      ...json({ status: "ACCEPTED" }),
    });
    expect((await poll()).status).toBe(200);
  });
});

describe("full format: devices with known credentials", () => {
  it("creates device, identities, group membership and device user; a bad row fails alone", async () => {
    const header = [
      "ID",
      "CREDENTIALS",
      "TYPE",
      "NAME",
      "ICCID",
      "IDTYPE",
      "PATH",
      "SHELL",
      "com_cumulocity_model_Agent.active",
      "c8y_Hardware.model",
      "external-c8y_IMEI",
    ].join("\t");
    const rec = recordEvents(p);
    let result;
    try {
      result = await uploadOk(
        [
          header,
          'full-1\tSecretPass1!\tc8y_Linux\t"Pump, ""north"""\t8949\t\tPlant/Line 1\t1\ttrue\tP7\t35000001',
          "full-2\tshort\tc8y_Linux\tBad\t\t\t\t0\t\t\t",
          "full-3\tSecretPass3!\tc8y_Linux\tThird\t\tc8y_MAC\tPlant\t\t\t\t",
          "full-4\tSecretPass4!\tc8y_Linux\tFour\t\t\t\tmaybe\t\t\t",
          "full-5\tSecretPass5!\ttoo few",
        ].join("\r\n"),
      );
    } finally {
      rec.stop();
    }
    expect(result).toMatchObject({
      numberOfAll: 5,
      numberOfCreated: 2,
      numberOfFailed: 3,
      numberOfSuccessful: 2,
      credentialUpdatedList: [],
    });
    expect(result.failedCreationList.map((f: { deviceId: string }) => f.deviceId)).toEqual([
      "full-2",
      "full-4",
      "full-5",
    ]);
    expect(result.failedCreationList[0].failureReason).toMatch(/at least 8 characters/);
    expect(result.failedCreationList[1].failureReason).toMatch(/SHELL/);
    expect(result.failedCreationList[2].failureReason).toMatch(/values/);

    const device = (await externalIdTarget(p, "c8y_Serial", "full-1"))!;
    expect(await externalIdTarget(p, "c8y_IMEI", "35000001")).toBe(device);
    const deviceMo = await readMo(p, device);
    expect(deviceMo).toMatchObject({
      id: device,
      name: 'Pump, "north"',
      type: "c8y_Linux",
      owner: "device_full-1",
      c8y_IsDevice: {},
      com_cumulocity_model_Agent: { active: "true" },
      c8y_Hardware: { model: "P7" },
      c8y_Mobile: { iccid: "8949" },
      c8y_SupportedOperations: ["c8y_Command"],
    });
    expect(
      (deviceMo.assetParents as { references: { managedObject: { id: string } }[] }).references.map(
        (r) => r.managedObject.id,
      ),
    ).toEqual([(await groupsNamed(p, "Line 1"))[0]]);
    const third = (await externalIdTarget(p, "c8y_MAC", "full-3"))!;
    expect(await externalIdTarget(p, "c8y_Serial", "full-3")).toBeUndefined();
    const thirdMo = await readMo(p, third);
    expect(thirdMo).toMatchObject({ name: "Third", c8y_IsDevice: {} });
    expect(thirdMo).not.toHaveProperty("c8y_SupportedOperations");
    expect(thirdMo).not.toHaveProperty("c8y_Mobile");
    for (const id of ["full-2", "full-4", "full-5"])
      expect(await externalIdTarget(p, "c8y_Serial", id)).toBeUndefined();

    const [plant] = await groupsNamed(p, "Plant");
    const [line1] = await groupsNamed(p, "Line 1");
    expect(await childrenOf(p, plant!, "childAssets")).toEqual([line1, third]);
    expect(await childrenOf(p, line1!, "childAssets")).toEqual([device]);
    expect(rec.events.map((e) => e.id)).toEqual([plant, line1, device, third]);
    expect(rec.events[2]).toMatchObject({
      api: "managedobjects",
      action: "CREATE",
      data: {
        id: device,
        owner: "device_full-1",
        c8y_IsDevice: {},
        self: `${p.url}/inventory/managedObjects/${device}`,
      },
    });

    // Credentials known: no acceptance, the device logs in right away and its agent marker routes operations.
    expect((await login("device_full-1", "SecretPass1!")).status).toBe(200);
    expect((await login("device_full-3", "SecretPass3!")).status).toBe(200);
    expect((await login("device_full-2", "short")).status).toBe(401);
    expect(await request("full-1")).toBeUndefined();
    const rec2 = recordEvents(p);
    try {
      const op = await p.request("/devicecontrol/operations", {
        method: "POST",
        ...json({ deviceId: device, c8y_Restart: {} }),
      });
      expect(op.status).toBe(201);
      expect(rec2.events[0]).toMatchObject({ api: "operations", agentId: device });
    } finally {
      rec2.stop();
    }

    // Uploading an existing device again only changes its password.
    const mos = await countOf(p, "/inventory/managedObjects");
    const update = await uploadOk("ID;CREDENTIALS\nfull-1;NewSecret99");
    expect(update).toEqual({
      numberOfAll: 1,
      numberOfCreated: 0,
      numberOfFailed: 0,
      numberOfSuccessful: 1,
      credentialUpdatedList: [{ deviceId: "full-1", bulkNewDeviceStatus: "CREDENTIAL_UPDATED" }],
      failedCreationList: [],
    });
    expect(await countOf(p, "/inventory/managedObjects")).toBe(mos);
    expect((await login("device_full-1", "SecretPass1!")).status).toBe(401);
    expect((await login("device_full-1", "NewSecret99")).status).toBe(200);
  });

  it("refuses rows that clash with a pending request or a bound identity", async () => {
    await p.request("/devicecontrol/newDeviceRequests", { method: "POST", ...json({ id: "clash-req" }) });
    await uploadOk("ID,CREDENTIALS,TYPE,NAME,external-c8y_IMEI\nclash-a,Password-a,t,A,imei-1");
    const res = await uploadOk(
      "ID,CREDENTIALS,TYPE,NAME,external-c8y_IMEI\nclash-req,Password-r,t,R,\nclash-b,Password-b,t,B,imei-1\nclash-c,Password-c,t,C,imei-2",
    );
    expect(res.numberOfCreated).toBe(1);
    expect(
      res.failedCreationList.map((f: { deviceId: string; failureReason: string }) => [
        f.deviceId,
        f.failureReason,
      ]),
    ).toEqual([
      ["clash-req", expect.stringMatching(/request/)],
      ["clash-b", expect.stringMatching(/already bound/)],
    ]);
    expect(await externalIdTarget(p, "c8y_Serial", "clash-b")).toBeUndefined();
    expect(await externalIdTarget(p, "c8y_IMEI", "imei-2")).toBe(
      await externalIdTarget(p, "c8y_Serial", "clash-c"),
    );
    expect(await request("clash-req")).toMatchObject({ status: "WAITING_FOR_CONNECTION" });
  });

  it("never lets a column name reach an object prototype", async () => {
    const res = await uploadOk(
      "ID;CREDENTIALS;__proto__.polluted;constructor.prototype.polluted\nproto-1;Password-1;yes;yes",
    );
    expect(res.numberOfCreated).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const mo = await deviceBy("c8y_Serial", "proto-1");
    expect(Object.hasOwn(mo, "__proto__")).toBe(true);
    expect(Object.hasOwn(mo, "constructor")).toBe(true);
    expect(JSON.stringify(mo)).toContain('"__proto__":{"polluted":"yes"}');
  });

  it("binds an identity repeated in the same row only once", async () => {
    const res = await uploadOk(
      "ID;CREDENTIALS;external-c8y_Serial;external-c8y_IMEI\nsame-1;Password-1;same-1;same-1",
    );
    expect(res).toMatchObject({ numberOfCreated: 1, numberOfFailed: 0 });
    expect(await externalIdTarget(p, "c8y_IMEI", "same-1")).toBe(
      await externalIdTarget(p, "c8y_Serial", "same-1"),
    );
  });

  it("accepts CERTIFICATES rows without credentials", async () => {
    const res = await uploadOk(
      "ID;AUTH_TYPE;CREDENTIALS;TYPE;NAME\ncert-1;CERTIFICATES;;t;Cert\ncert-2;TOKEN;x;t;Bad",
    );
    expect(res.numberOfCreated).toBe(1);
    expect(res.failedCreationList[0]).toMatchObject({
      deviceId: "cert-2",
      failureReason: expect.stringMatching(/AUTH_TYPE/),
    });
    expect(await deviceBy("c8y_Serial", "cert-1")).toMatchObject({
      name: "Cert",
      owner: "device_cert-1",
    });
  });

  it("reads ANSI (Latin-1) files, a UTF-8 BOM and comma separators", async () => {
    const latin1 = Buffer.from("ID;CREDENTIALS;TYPE;NAME\nenc-1;Password-1;t;Müller\n", "latin1");
    expect((await uploadOk(new Uint8Array(latin1))).numberOfCreated).toBe(1);
    expect((await deviceBy("c8y_Serial", "enc-1")).name).toBe("Müller");
    expect(
      (await uploadOk("\uFEFFID,CREDENTIALS,TYPE,NAME\r\nenc-2,Password-2,t,Ünïcödé\r\n")).numberOfCreated,
    ).toBe(1);
    expect((await deviceBy("c8y_Serial", "enc-2")).name).toBe("Ünïcödé");
  });
});

describe("malformed uploads", () => {
  it.each([
    ["an empty file", ""],
    ["blank lines only", "\n\n"],
    ["no ID column", "NAME;TYPE\nx;y"],
    ["a header without rows", "ID;PATH\n"],
    ["binary content", "ID\u0000;PATH\n1;2"],
    ["an unclosed quote", 'ID;PATH\n"x;a'],
    ["full format without CREDENTIALS", "ID;TYPE;NAME\nx;t;n"],
    ["ICCID without TYPE and NAME", "ID;CREDENTIALS;ICCID\nx;Password-1;1"],
    ["a repeated column", "ID;CREDENTIALS;id\nx;Password-1;y"],
    ["a column without name", "ID;;PATH\nx;y;z"],
    ["a column over a platform field", "ID;CREDENTIALS;owner\nx;Password-1;me"],
    ["columns writing the same property", "ID;CREDENTIALS;a;a.b\nx;Password-1;1;2"],
    ["ICCID and c8y_Mobile together", "ID;CREDENTIALS;TYPE;NAME;ICCID;c8y_Mobile\nx;Password-1;t;n;1;2"],
    ["an empty property segment", "ID;CREDENTIALS;a..b\nx;Password-1;1"],
    ["external- without type", "ID;CREDENTIALS;external-\nx;Password-1;1"],
  ])("refuses %s with 422 and writes nothing", async (_name, file) => {
    const counts = () =>
      Promise.all([countOf(p, "/inventory/managedObjects"), countOf(p, "/devicecontrol/newDeviceRequests")]);
    const before = await counts();
    const res = await upload(file);
    expect(res.status).toBe(422);
    expect((await errorOf(res)).error).toBe("devicecontrol/Invalid Data");
    expect(await counts()).toEqual(before);
  });

  it("answers 415 for a body that is not multipart/form-data", async () => {
    const res = await p.request("/devicecontrol/bulkNewDeviceRequests", {
      method: "POST",
      ...json({ file: "ID\nx" }),
    });
    expect(res.status).toBe(415);
    await errorOf(res);
  });

  it("answers 422 when the part 'file' is missing and 400 for broken multipart", async () => {
    const form = new FormData();
    form.append("other", new Blob(["ID\nx"]), "x.csv");
    const missing = await p.request("/devicecontrol/bulkNewDeviceRequests", { method: "POST", body: form });
    expect(missing.status).toBe(422);
    expect((await errorOf(missing)).error).toBe("undefined/validationError");
    const broken = await p.request("/devicecontrol/bulkNewDeviceRequests", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=xyz" },
      body: "this is not multipart",
    });
    expect(broken.status).toBe(400);
    await errorOf(broken);
  });

  it("accepts the file as a plain form field too", async () => {
    const form = new FormData();
    form.append("file", "ID;PATH\nfield-1;");
    const res = await p.request("/devicecontrol/bulkNewDeviceRequests", { method: "POST", body: form });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe(`${VENDOR}bulkNewDeviceRequest+json;charset=UTF-8;ver=0.9`);
    expect((await res.json()).numberOfCreated).toBe(1);
  });
});

describe("permissions", () => {
  it("is for admins only", async () => {
    const device = await deviceUser(p, "device_bulk-perm");
    for (const auth of [device, p.bootstrap]) {
      const res = await upload("ID;PATH\nperm-1;", auth);
      expect(res.status).toBe(403);
      expect((await errorOf(res)).error).toBe("security/Forbidden");
    }
    expect(await request("perm-1")).toBeUndefined();
  });
});
