import { expect, test } from "@playwright/test";
import { freePort } from "../tests/support/emulator-process";
import { spawnConsole } from "./support/console";

/** `next start` of the build with the given environment; resolves with its exit code and output. */
async function startWith(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const port = await freePort();
  const clean = { ...process.env };
  for (const key of ["SESSION_PASSWORD", "DATA_DIR", "C8Y_BASEURL", "CONSOLE_URL"]) delete clean[key];
  const child = spawnConsole(port, { ...clean, ...env });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { code, output };
}

test("a production console without a session password refuses to start, and says why", async () => {
  const { code, output } = await startWith({ NODE_ENV: "production", C8Y_BASEURL: "http://127.0.0.1:9" });
  expect(code).toBe(1);
  expect(output).toContain("configuration error: SESSION_PASSWORD is not set");
});

test("a short session password or a bad platform URL stops the console at start", async () => {
  const short = await startWith({ SESSION_PASSWORD: "too-short", C8Y_BASEURL: "http://127.0.0.1:9" });
  expect(short.code).toBe(1);
  expect(short.output).toContain("SESSION_PASSWORD must be at least 32 characters long");
  const badUrl = await startWith({ SESSION_PASSWORD: "x".repeat(40), C8Y_BASEURL: "ftp://example" });
  expect(badUrl.code).toBe(1);
  expect(badUrl.output).toContain("C8Y_BASEURL must be an http(s) URL");
});
