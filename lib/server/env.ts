import "server-only";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { SESSION_COOKIE_NAMES } from "@/lib/schemas/session";

/**
 * Server configuration, read from the environment on every call so tests (and a restarted dev server) can change
 * it; nothing here is ever exported to the client bundle (no NEXT_PUBLIC_ variables).
 *
 * | variable | meaning |
 * | --- | --- |
 * | C8Y_BASEURL | platform base URL; default http://127.0.0.1:8111 (npm run emulator) outside production |
 * | SESSION_PASSWORD | ≥32 characters sealing the session cookie; otherwise generated into DATA_DIR |
 * | DATA_DIR | where a generated session password is kept (default .data) |
 * | CONSOLE_URL | public origin of the console, e.g. https://console.example.com; https → Secure cookie |
 * | COOKIE_SECURE | "true"/"false" overrides what CONSOLE_URL implies |
 * | UPSTREAM_TIMEOUT_MS | per-call platform timeout (default 15000) |
 */

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const isProduction = () => process.env.NODE_ENV === "production";

/** The platform's base URL without a trailing slash. */
export function platformBaseUrl(): string {
  const raw = process.env.C8Y_BASEURL?.trim();
  if (!raw) {
    if (isProduction())
      throw new ConfigError("C8Y_BASEURL is not set: point it at the Cumulocity tenant URL.");
    return "http://127.0.0.1:8111";
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError("C8Y_BASEURL is not a valid URL.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ConfigError("C8Y_BASEURL must be an http(s) URL.");
  return url.href.replace(/\/+$/, "");
}

export function upstreamTimeoutMs(): number {
  const n = Number(process.env.UPSTREAM_TIMEOUT_MS);
  return Number.isFinite(n) && n > 0 ? n : 15_000;
}

/** The public origin of the console when configured (used for Secure cookies and the same-origin check). */
export function consoleOrigin(): string | undefined {
  const raw = process.env.CONSOLE_URL?.trim();
  if (!raw) return undefined;
  try {
    return new URL(raw).origin;
  } catch {
    throw new ConfigError("CONSOLE_URL is not a valid URL.");
  }
}

/** Secure cookies only where the console is served over https (docs/stack.md gotcha 8), unless overridden. */
export function cookieSecure(): boolean {
  const flag = process.env.COOKIE_SECURE?.trim().toLowerCase();
  if (flag === "true" || flag === "1") return true;
  if (flag === "false" || flag === "0") return false;
  return consoleOrigin()?.startsWith("https:") ?? false;
}

/** `__Host-` needs Secure, Path=/ and no Domain, so the prefix is only used for a production https deployment. */
export function sessionCookieName(): (typeof SESSION_COOKIE_NAMES)[number] {
  const [hostPrefixed, plain] = SESSION_COOKIE_NAMES;
  return isProduction() && cookieSecure() ? hostPrefixed : plain;
}

let cachedGenerated: { file: string; password: string } | undefined;

/**
 * The password sealing session cookies. Taken from SESSION_PASSWORD, or generated once and kept (mode 0600) in
 * the data directory so sessions survive restarts of a local console. A production deployment without either is
 * a configuration error, reported in plain words.
 */
export function sessionPassword(): string {
  const fromEnv = process.env.SESSION_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== "") {
    if (fromEnv.length < 32) throw new ConfigError("SESSION_PASSWORD must be at least 32 characters long.");
    return fromEnv;
  }
  const dataDir = process.env.DATA_DIR?.trim();
  if (!dataDir && isProduction())
    throw new ConfigError(
      "SESSION_PASSWORD is not set: in production set SESSION_PASSWORD (at least 32 characters) or DATA_DIR " +
        "(a directory where a generated one is kept).",
    );
  // Resolved against the working directory at run time, like any relative path the operator passes. The hint
  // stops Turbopack from reading this as "any file of the project may be opened" and tracing the whole tree
  // into the server output (the file lives outside the build and is never bundled).
  const file = join(resolve(/* turbopackIgnore: true */ dataDir || ".data"), "session-password");
  if (cachedGenerated?.file === file) return cachedGenerated.password;
  let password: string;
  try {
    password = readFileSync(file, "utf8").trim();
  } catch {
    password = "";
  }
  if (password.length < 32) {
    password = randomBytes(32).toString("base64url");
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // `wx` would refuse an existing short file; a short or empty file is replaced on purpose.
    writeFileSync(file, `${password}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  cachedGenerated = { file, password };
  return password;
}
