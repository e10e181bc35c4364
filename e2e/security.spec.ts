import { expect, test, type Page, type Response } from "@playwright/test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { SIGNED_OUT, signIn, signOut } from "./support/auth";
import { createManagedObject, knock, managedObject, registrationStatus } from "./support/emulator";
import { e2eEnv, runSuffix } from "./support/env";

/**
 * Security checks against the real stack: the session cookie's flags, no credential anywhere the browser can see
 * (responses, rendered pages, the static build output), cross-site writes refused, and the BFF is no open proxy.
 * Each test signs in (and out) with a session of its own, never the journeys' shared one.
 */

test.use({ storageState: SIGNED_OUT });

const SESSION_COOKIE = "c8y-console";
/** What e2e/global-setup.ts seals the session cookies with. */
const SESSION_PASSWORD = "e2e-session-password-at-least-32-characters-long";
const root = join(import.meta.dirname, "..");
const CSRF = { "x-c8y-console": "1" };

/** Every secret of this stack in the forms it could leak in: plain, and as Basic credentials. */
function secrets(): Record<string, string> {
  const env = e2eEnv();
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  return {
    "admin password": env.adminPassword,
    "bootstrap password": env.bootstrapPassword,
    "session password": SESSION_PASSWORD,
    "admin Basic credentials": b64(`${env.tenant}/admin:${env.adminPassword}`),
    "bootstrap Basic credentials": b64(`management/devicebootstrap:${env.bootstrapPassword}`),
  };
}

const JWT = /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/;
/** `Basic <base64>` only counts when the base64 decodes to `login:password` (text, not a word like "Basic auth"). */
function basicCredential(text: string): string | undefined {
  for (const m of text.matchAll(/Basic\s+([A-Za-z0-9+/]{6,}={0,2})/g)) {
    const decoded = Buffer.from(m[1]!, "base64").toString("latin1");
    if (/^[\x20-\x7e]+:[\x20-\x7e]*$/.test(decoded)) return m[0];
  }
  return undefined;
}

/** Names of the credentials found in `text`; empty when it is clean. */
function credentialsIn(text: string): string[] {
  const found = Object.entries(secrets())
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
  const jwt = JWT.exec(text);
  if (jwt) found.push(`a JWT (${jwt[0].slice(0, 24)}…)`);
  const basic = basicCredential(text);
  if (basic) found.push(`Basic credentials (${basic.slice(0, 16)}…)`);
  return found;
}

/** Records every response the page receives: its headers and (except never-ending event streams) its body. */
function recordResponses(page: Page) {
  const pending: Promise<{ url: string; text: string }>[] = [];
  const onResponse = (response: Response) => {
    pending.push(
      (async () => {
        const headers = await response.headersArray();
        const head = headers.map((h) => `${h.name}: ${h.value}`).join("\n");
        const type = headers.find((h) => h.name.toLowerCase() === "content-type")?.value ?? "";
        let body = "";
        if (!type.includes("text/event-stream") && (response.status() < 300 || response.status() >= 400))
          body = await response.body().then(
            (b) => b.toString("latin1"),
            () => "",
          );
        return { url: response.url(), text: `${head}\n\n${body}` };
      })(),
    );
  };
  page.on("response", onResponse);
  return {
    async all() {
      page.off("response", onResponse);
      return Promise.all(pending);
    },
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** A server on another loopback port: another origin, but the same site as the console (ports do not count). */
async function startServer(
  handler: (url: string) => string,
): Promise<{ url: string; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(handler(req.url ?? "/"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server };
}

const servers: Server[] = [];
test.afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

test("the session cookie is HttpOnly, SameSite=Lax, Path=/, not Secure over http, and sealed", async ({
  page,
  context,
}) => {
  const login = page.waitForResponse(
    (r) => r.url().endsWith("/api/auth/login") && r.request().method() === "POST",
  );
  await signIn(page, { next: "/registrations" });
  const setCookies = (await (await login).headersArray()).filter(
    (h) => h.name.toLowerCase() === "set-cookie",
  );
  expect(setCookies).toHaveLength(1);
  const [pair, ...attributes] = setCookies[0]!.value.split(";").map((p) => p.trim());
  expect(pair!.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
  const attrs = attributes.map((a) => a.toLowerCase());
  expect(attrs).toContain("httponly");
  expect(attrs).toContain("samesite=lax");
  expect(attrs).toContain("path=/");
  expect(attrs).not.toContain("secure");
  expect(attrs.some((a) => a.startsWith("domain="))).toBe(false);
  expect(Number(attrs.find((a) => a.startsWith("max-age="))?.slice(8))).toBeGreaterThan(0);

  const cookie = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/", secure: false });
  // Sealed (iron's format), so nothing of the credential inside can be read or recognised.
  expect(cookie!.value).toMatch(/^Fe26\.2\*/);
  expect(credentialsIn(decodeURIComponent(cookie!.value))).toEqual([]);
  expect(cookie!.value).not.toContain("admin");
  // Scripts in the page cannot read it.
  expect(await page.evaluate(() => document.cookie)).not.toContain(SESSION_COOKIE);
});

test("no credential in any response, header or rendered page of a journey", async ({ page }) => {
  const recorder = recordResponses(page);
  const pages: { url: string; html: string }[] = [];
  const snapshot = async () => pages.push({ url: page.url(), html: await page.content() });

  await page.goto("/login");
  await snapshot();
  await signIn(page, { next: "/registrations" });
  // Loaded once the tabs carry their counts.
  await expect(
    page.getByRole("region", { name: "Registration requests" }).getByRole("tab", { name: /^All \d/ }),
  ).toBeVisible();
  await snapshot();

  const id = `e2e-sec-${runSuffix()}`;
  await page.getByLabel("Device ids, one per line").fill(id);
  await page.getByRole("button", { name: "Register device", exact: true }).click();
  await expect(page.getByRole("region", { name: `Registering ${id}` }).getByRole("status")).toHaveText(
    "Finished: 1 registered, 0 failed.",
  );
  expect(await knock(id)).toBe(404);
  const row = page
    .getByRole("region", { name: "Registration requests" })
    .getByRole("row")
    .filter({ hasText: id });
  await expect(row).toContainText("Pending acceptance");
  await row.getByRole("button", { name: `Accept ${id}`, exact: true }).click();
  await expect(row).toContainText("Accepted");
  await snapshot();

  for (const path of ["/devices", "/operations", "/api/auth/session", "/api/registrations?pageSize=500"]) {
    await page.goto(path);
    await snapshot();
  }
  await page.goto("/registrations");
  await signOut(page);
  await snapshot();

  const responses = await recorder.all();
  expect(responses.length).toBeGreaterThan(10);
  // The journey did see the sign-in answer and the session: a check that looked at nothing would prove nothing.
  expect(responses.some((r) => r.url.endsWith("/api/auth/session") && r.text.includes('"username"'))).toBe(
    true,
  );
  const leaks = [
    ...responses.map((r) => ({ where: `response ${r.url}`, found: credentialsIn(r.text) })),
    ...pages.map((p) => ({ where: `page ${p.url}`, found: credentialsIn(p.html) })),
  ].filter((l) => l.found.length > 0);
  expect(leaks).toEqual([]);
});

test("no credential or server secret in any file of the static build output", () => {
  const dir = join(root, ".next", "static");
  const files = filesUnder(dir);
  expect(files.length).toBeGreaterThan(5);
  const leaks = files.flatMap((file) => {
    const text = readFileSync(file, "latin1");
    const found = credentialsIn(text);
    // Server-side configuration has no business in browser code either.
    for (const marker of ["SESSION_PASSWORD", "C8Y_BOOTSTRAP_PASSWORD", "EMULATOR_ADMIN_PASSWORD", "Fe26.2"])
      if (text.includes(marker)) found.push(marker);
    return found.length ? [`${file.slice(root.length + 1)}: ${found.join(", ")}`] : [];
  });
  expect(leaks).toEqual([]);
});

test("a cross-site form post or fetch to the BFF is refused and writes nothing", async ({ page }) => {
  const { baseUrl } = e2eEnv();
  await signIn(page, { next: "/registrations" });
  const run = runSuffix();
  const formId = `e2e-csrf-form-${run}`;
  const fetchId = `e2e-csrf-fetch-${run}`;
  // A text/plain form can smuggle a JSON body: name `{"ids":["…"],"x":"` and value `"}` join with "=".
  const attacker = await startServer(
    () => `<!doctype html><html lang="en"><title>elsewhere</title><body>
      <form method="POST" action="${baseUrl}/api/registrations" enctype="text/plain">
        <input type="hidden" name='{"ids":["${formId}"],"x":"' value='"}'>
        <button>Claim your prize</button>
      </form></body></html>`,
  );
  servers.push(attacker.server);

  // Another origin on the same site: the browser sends the Lax cookie along, so only the CSRF defence stops it.
  await page.goto(`${attacker.url}/`);
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${baseUrl}/api/registrations`),
    page.getByRole("button", { name: "Claim your prize" }).click(),
  ]);
  expect(answer.status()).toBe(403);
  expect(await answer.json()).toMatchObject({ error: { code: "cross_site_refused" } });
  expect((await answer.request().allHeaders()).cookie ?? "").toContain(`${SESSION_COOKIE}=`);
  expect(await registrationStatus(formId)).toBe("GONE");

  // A script there that sets the console's header needs a CORS preflight, which the BFF never grants.
  await page.goto(`${attacker.url}/`);
  const outcome = await page.evaluate(
    async ({ url, id }) => {
      try {
        const res = await fetch(url, {
          method: "POST",
          credentials: "include",
          headers: { "content-type": "application/json", "x-c8y-console": "1" },
          body: JSON.stringify({ ids: [id] }),
        });
        return `answered ${res.status}`;
      } catch {
        return "blocked";
      }
    },
    { url: `${baseUrl}/api/registrations`, id: fetchId },
  );
  expect(outcome).toBe("blocked");
  expect(await registrationStatus(fetchId)).toBe("GONE");
});

test("the BFF is no open proxy: traversal and absolute URLs in ids get 4xx and reach nothing else", async ({
  page,
}) => {
  const trap = await startServer(() => "trap");
  servers.push(trap.server);
  const run = runSuffix();
  const victim = await createManagedObject({ name: `E2E proxy victim ${run}`, c8y_IsDevice: {} });
  await signIn(page, { next: "/registrations" });

  // Path segments as sent (already encoded): traversal, absolute and protocol-relative URLs, a dot segment.
  const hostile = [
    `..%2F..%2Finventory%2FmanagedObjects%2F${victim}`,
    encodeURIComponent(`../../../inventory/managedObjects/${victim}`),
    `%2E%2E%2F%2E%2E%2Finventory%2FmanagedObjects%2F${victim}`,
    encodeURIComponent(`${trap.url}/x`),
    encodeURIComponent(`//${new URL(trap.url).host}/x`),
    `..%5C..%5Cinventory%5CmanagedObjects%5C${victim}`,
    "%2E%2E",
  ];
  for (const segment of hostile) {
    const res = await page.request.delete(`/api/registrations/${segment}`, { headers: CSRF });
    expect(res.status(), `DELETE /api/registrations/${segment}`).toBeGreaterThanOrEqual(400);
    expect(res.status(), `DELETE /api/registrations/${segment}`).toBeLessThan(500);
  }

  const accept = await page.request.post("/api/registrations/accept", {
    headers: CSRF,
    data: {
      ids: [
        `../../inventory/managedObjects/${victim}`,
        `${trap.url}/x`,
        `//${new URL(trap.url).host}/x`,
        `..\\..\\inventory\\managedObjects\\${victim}`,
      ],
    },
  });
  if (accept.status() === 200) {
    const { results } = (await accept.json()) as { results: { ok: boolean }[] };
    expect(results.every((r) => !r.ok)).toBe(true);
  } else {
    expect(accept.status()).toBeGreaterThanOrEqual(400);
    expect(accept.status()).toBeLessThan(500);
  }

  // Nothing happened elsewhere: the object is untouched and the other host was never called.
  const after = await managedObject(victim);
  expect(after.status).toBe(200);
  expect(after.body).toMatchObject({ name: `E2E proxy victim ${run}` });
  expect(trap.hits).toEqual([]);
});
