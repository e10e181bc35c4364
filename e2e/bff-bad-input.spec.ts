import { expect, test, type APIResponse } from "@playwright/test";
import { createManagedObject } from "./support/emulator";

/**
 * Bad input through the real server (`next start` of the build): what only appears there. Next decodes route
 * parameters before a handler runs and answers a path it cannot decode with a plain 500; proxy.ts answers those
 * with our 400 envelope. The handler-level sweep over every route is tests/bff-bad-input.test.ts.
 */

const CSRF = { "x-c8y-console": "1" };

async function expectEnvelope(res: APIResponse, status: number, code: string) {
  expect(res.status(), res.url()).toBe(status);
  expect(res.headers()["content-type"]).toContain("application/json");
  const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message).not.toBe("");
  expect(body.error.requestId).not.toBe("");
}

test("paths with malformed percent-escapes answer 400 bad_path in our envelope, and the server answers on", async ({
  request,
}) => {
  for (const path of [
    "/api/devices/%zz",
    "/api/devices/%C0%AE",
    "/api/devices/%zz/children",
    "/api/devices/1/children/%E0%80%AE",
    "/api/operations/%ED%A0%80",
    "/api/devices/tree/%FF%FE/children",
    "/api/%zz",
  ])
    await expectEnvelope(await request.get(path), 400, "bad_path");
  await expectEnvelope(await request.delete("/api/registrations/%zz", { headers: CSRF }), 400, "bad_path");
  await expectEnvelope(
    await request.put("/api/devices/%C0%AE", { headers: CSRF, data: { changes: { a: 1 } } }),
    400,
    "bad_path",
  );
  // Well-formed escapes still reach the handlers.
  await expectEnvelope(await request.get("/api/devices/a%25b"), 422, "invalid_input");
  expect((await request.get("/api/auth/session")).status()).toBe(200);
});

test("a fragment edit nested 10,000 levels deep is 422, a text body 415, and the device is unchanged", async ({
  request,
}) => {
  const id = await createManagedObject({ name: "Deep edit target", c8y_IsDevice: {} });
  const before = (await (await request.get(`/api/devices/${id}`)).json()) as { lastUpdated: string };
  const deep = `${"[".repeat(10_000)}1${"]".repeat(10_000)}`;
  await expectEnvelope(
    await request.put(`/api/devices/${id}`, {
      headers: { ...CSRF, "content-type": "application/json" },
      data: `{"expectedLastUpdated": "${before.lastUpdated}", "changes": {"acme_Deep": ${deep}}}`,
    }),
    422,
    "invalid_input",
  );
  await expectEnvelope(
    await request.put(`/api/devices/${id}`, {
      headers: { ...CSRF, "content-type": "text/plain" },
      data: JSON.stringify({ expectedLastUpdated: before.lastUpdated, changes: { acme_X: 1 } }),
    }),
    415,
    "unsupported_media_type",
  );
  const after = (await (await request.get(`/api/devices/${id}`)).json()) as { lastUpdated: string };
  expect(after.lastUpdated).toBe(before.lastUpdated);
});
