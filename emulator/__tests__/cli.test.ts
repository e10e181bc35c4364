import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function startCli(dataDir: string, env: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(root, "emulator", "main.ts"), "--port", "0", "--data", dataDir],
    {
      cwd: root,
      env: { ...process.env, EMULATOR_ADMIN_PASSWORD: "", EMULATOR_BOOTSTRAP_PASSWORD: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  const ready = new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`exited early (${code}): ${out}`)));
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("data:")) resolve(out);
    });
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, ready, exited, output: () => out };
}

describe("npm run emulator", () => {
  it("generates passwords at first start, keeps them 0600, prints URL and credentials, stops on SIGTERM", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "emu-cli-"));
    dirs.push(dataDir);
    const first = startCli(dataDir);
    const out = await first.ready;
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(url).toBeDefined();
    const file = join(dataDir, "credentials.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const creds = JSON.parse(readFileSync(file, "utf8")) as {
      adminPassword: string;
      bootstrapPassword: string;
    };
    expect(out).toContain(creds.adminPassword);
    expect(out).toContain("management/devicebootstrap");
    const auth = `Basic ${Buffer.from(`t1000/admin:${creds.adminPassword}`).toString("base64")}`;
    const res = await fetch(`${url}/tenant/currentTenant`, { headers: { authorization: auth } });
    expect(res.status).toBe(200);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);

    // A restart on the same data directory reuses the kept passwords.
    const second = startCli(dataDir);
    const out2 = await second.ready;
    expect(out2).toContain(creds.adminPassword);
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
  });

  it("takes passwords from the environment without writing them to disk", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "emu-cli-"));
    dirs.push(dataDir);
    const run = startCli(dataDir, {
      EMULATOR_ADMIN_PASSWORD: "env-admin-pw",
      EMULATOR_BOOTSTRAP_PASSWORD: "env-boot-pw",
      EMULATOR_TENANT: "t4242",
    });
    const out = await run.ready;
    expect(out).toContain("t4242/admin");
    expect(out).toContain("(from the environment)");
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1];
    const ok = await fetch(`${url}/user/currentUser`, {
      headers: { authorization: `Basic ${Buffer.from("t4242/admin:env-admin-pw").toString("base64")}` },
    });
    expect(ok.status).toBe(200);
    expect(() => statSync(join(dataDir, "credentials.json"))).toThrow();
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
  });

  it("refuses an interval that is not a whole number of milliseconds, naming the option and its variable", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "emu-cli-"));
    dirs.push(dataDir);
    const run = startCli(dataDir, { EMULATOR_DISCONNECT_GRACE_MS: "30s" });
    // It never gets ready: the exit code and the message tell.
    run.ready.catch(() => undefined);
    const stderr: Buffer[] = [];
    run.child.stderr.on("data", (d: Buffer) => stderr.push(d));
    expect(await run.exited).toBe(2);
    expect(Buffer.concat(stderr).toString()).toContain(
      "Invalid --disconnect-grace-ms 30s (or EMULATOR_DISCONNECT_GRACE_MS)",
    );
  });
});
