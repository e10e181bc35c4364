import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  ConfigError,
  cookieSecure,
  platformBaseUrl,
  sessionCookieName,
  sessionPassword,
} from "@/lib/server/env";
import { safeNextPath } from "@/lib/server/safe-next";

afterEach(() => vi.unstubAllEnvs());

describe("SESSION_PASSWORD", () => {
  it("is taken from the environment when at least 32 characters long", () => {
    vi.stubEnv("SESSION_PASSWORD", "p".repeat(32));
    expect(sessionPassword()).toBe("p".repeat(32));
    vi.stubEnv("SESSION_PASSWORD", "short");
    expect(() => sessionPassword()).toThrow(/at least 32 characters/);
  });

  it("is generated once into the data directory with mode 0600", () => {
    const dir = mkdtempSync(join(tmpdir(), "bff-env-"));
    try {
      vi.stubEnv("SESSION_PASSWORD", "");
      vi.stubEnv("DATA_DIR", join(dir, "nested"));
      const first = sessionPassword();
      expect(first.length).toBeGreaterThanOrEqual(32);
      const file = join(dir, "nested", "session-password");
      expect(readFileSync(file, "utf8").trim()).toBe(first);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(sessionPassword()).toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is required in production without a data directory, with a clear message", () => {
    vi.stubEnv("SESSION_PASSWORD", "");
    vi.stubEnv("DATA_DIR", "");
    vi.stubEnv("NODE_ENV", "production");
    expect(() => sessionPassword()).toThrow(ConfigError);
    expect(() => sessionPassword()).toThrow(/SESSION_PASSWORD is not set/);
  });
});

describe("C8Y_BASEURL", () => {
  it("is normalised, validated, and required in production", () => {
    vi.stubEnv("C8Y_BASEURL", "https://acme.example.com/");
    expect(platformBaseUrl()).toBe("https://acme.example.com");
    vi.stubEnv("C8Y_BASEURL", "ftp://acme");
    expect(() => platformBaseUrl()).toThrow(ConfigError);
    vi.stubEnv("C8Y_BASEURL", "");
    expect(platformBaseUrl()).toBe("http://127.0.0.1:8111");
    vi.stubEnv("NODE_ENV", "production");
    expect(() => platformBaseUrl()).toThrow(/C8Y_BASEURL is not set/);
  });
});

describe("cookie name and Secure flag", () => {
  it.each([
    ["development", "", "", false, "c8y-console"],
    ["development", "https://c.example", "", true, "c8y-console"],
    ["production", "http://c.example", "", false, "c8y-console"],
    ["production", "https://c.example", "", true, "__Host-c8y-console"],
    ["production", "", "true", true, "__Host-c8y-console"],
    ["production", "https://c.example", "false", false, "c8y-console"],
  ])("NODE_ENV=%s CONSOLE_URL=%s COOKIE_SECURE=%s", (nodeEnv, url, flag, secure, name) => {
    vi.stubEnv("NODE_ENV", nodeEnv);
    vi.stubEnv("CONSOLE_URL", url);
    vi.stubEnv("COOKIE_SECURE", flag);
    expect(cookieSecure()).toBe(secure);
    expect(sessionCookieName()).toBe(name);
  });
});

describe("safeNextPath", () => {
  it.each([
    ["/registrations?status=BLOCKED", "/registrations?status=BLOCKED"],
    ["/devices/123#ops", "/devices/123#ops"],
    [null, "/"],
    ["", "/"],
    ["https://evil.example/", "/"],
    ["//evil.example/x", "/"],
    ["/\\evil.example", "/"],
    ["/%5Cevil.example", "/%5Cevil.example"],
    ["javascript:alert(1)", "/"],
    ["/\tevil", "/"],
    ["/login?next=/x", "/"],
    ["/api/auth/session", "/"],
    ["/a/../../b", "/b"],
  ])("%s → %s", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });
});
