import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, DeviceRegistrationStatus } from "@c8y/client";
import { startHarness, TENANT, unique, withReadableErrors, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** One credentials poll as a device does it before it has credentials: plain HTTP with the bootstrap user. */
function poll(externalId: string): Promise<Response> {
  return fetch(`${h.url}/devicecontrol/deviceCredentials`, {
    method: "POST",
    headers: {
      authorization: `Basic ${h.bootstrapToken}`,
      "content-type": "application/json",
      accept: "application/json",
    },
    body: JSON.stringify({ id: externalId }),
  });
}

describe("device registration", () => {
  it("registers, is polled, accepted, and hands out credentials once", async () => {
    const registrations = h.client.deviceRegistration;
    const externalId = unique("gw");

    const created = await registrations.create({ id: externalId });
    expect(created.res.status).toBe(201);
    expect(created.data).toMatchObject({
      id: externalId,
      status: DeviceRegistrationStatus.WAITING_FOR_CONNECTION,
    });

    // The device's first poll moves the request on; it still gets 404 until someone accepts.
    const early = await poll(externalId);
    expect(early.status).toBe(404);
    expect((await registrations.detail(externalId)).data.status).toBe(
      DeviceRegistrationStatus.PENDING_ACCEPTANCE,
    );

    const listed = await registrations.list({ pageSize: 100 });
    expect(listed.res.status).toBe(200);
    expect(listed.data.find((r) => r.id === externalId)?.status).toBe(
      DeviceRegistrationStatus.PENDING_ACCEPTANCE,
    );

    const accepted = await registrations.accept(externalId);
    expect(accepted.res.status).toBe(200);
    expect(accepted.data.status).toBe(DeviceRegistrationStatus.ACCEPTED);

    // expire = now: a single attempt, no retry loop.
    const device = withReadableErrors(
      await Client.deviceBootstrap({
        deviceId: externalId,
        baseUrl: h.url,
        basicAuthToken: h.bootstrapToken,
        expire: Date.now(),
      }),
    );
    expect(device.core.tenant).toBe(TENANT);

    // The device logs in with what it got and creates itself, as in the startup phase.
    const own = await device.inventory.create({
      name: externalId,
      c8y_IsDevice: {},
      com_cumulocity_model_Agent: {},
    });
    expect(own.res.status).toBe(201);
    expect(own.data.owner).toBe(`device_${externalId}`);
    const bound = await device.identity.create({
      type: "c8y_Serial",
      externalId,
      managedObject: { id: own.data.id },
    });
    expect(bound.res.status).toBe(201);

    // Credentials are delivered once; the request is gone afterwards.
    expect((await poll(externalId)).status).toBe(404);
    expect((await registrations.list({ pageSize: 100 })).data.some((r) => r.id === externalId)).toBe(false);
  });

  it("keeps answering 404 to polls for an unknown device", async () => {
    const res = await poll(unique("nobody"));
    expect(res.status).toBe(404);
  });
});
