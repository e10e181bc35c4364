import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { changedFragments } from "../agent.js";
import {
  describeAgent,
  describeChild,
  initialAgentState,
  initialChildState,
  softwareMap,
  type DeviceState,
} from "../catalogue.js";
import {
  FAILURE_REASONS,
  applySoftwareUpdate,
  decide,
  operationType,
  parseSoftwareList,
  runShell,
  seededRandom,
  splitWords,
  type ShellEnvironment,
  type Target,
} from "../operations.js";
import { DeviceStore, folderName } from "../store.js";

const NOW = Date.parse("2025-05-02T12:00:00Z");
const env: ShellEnvironment = {
  hostname: "raspi4-sim-0001",
  os: {
    prettyName: "Debian GNU/Linux 12 (bookworm)",
    id: "debian",
    versionId: "12",
    kernel: "6.6.31",
    arch: "aarch64",
  },
  bootTime: NOW - (2 * 86_400 + 3 * 3600 + 4 * 60) * 1000,
  now: NOW,
};
const state: DeviceState = {
  config: "a=1",
  firmware: { name: "fw", version: "1.0" },
  software: [
    { name: "curl", version: "7.88", softwareType: "apt" },
    { name: "nano", version: "7.2" },
  ],
};
const agent: Target = {
  serial: "sim-0001",
  name: "RaspPi 4B sim-0001",
  kind: "agent",
  supportedOperations: [
    "c8y_Restart",
    "c8y_Configuration",
    "c8y_Firmware",
    "c8y_SoftwareUpdate",
    "c8y_SoftwareList",
    "c8y_Command",
  ],
  state,
  shell: env,
};
const child: Target = {
  serial: "sim-0001-child-1",
  name: "Energy meter sim-0001-child-1",
  kind: "child",
  supportedOperations: ["c8y_Restart", "c8y_Configuration", "c8y_Firmware"],
  state,
};
const never = { failureRate: 0, random: () => 0.5 };
const always = { failureRate: 1, random: () => 0.5 };

describe("simulated shell", () => {
  it("answers everyday commands", () => {
    expect(runShell("uname -a", env, state)).toEqual({
      exitCode: 0,
      output: "Linux raspi4-sim-0001 6.6.31 #1 SMP PREEMPT aarch64 GNU/Linux",
    });
    expect(runShell("uptime", env, state).output).toBe(
      " 12:00:00 up 2 days, 3:04,  1 user,  load average: 0.08, 0.03, 0.01",
    );
    expect(runShell(`echo "hello   world" again`, env, state).output).toBe("hello   world again");
    expect(runShell("cat /etc/os-release", env, state).output).toContain(
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"',
    );
    expect(runShell("ls /", env, state).output.split("\n")).toContain("etc");
    expect(runShell("dpkg -l", env, state).output).toBe("curl 7.88\nnano 7.2");
  });

  it("shows the applied configuration file", () => {
    expect(runShell("cat /etc/c8y-agent/agent.conf", env, { ...state, config: "x=2" }).output).toBe("x=2");
  });

  it("reports unknown commands and missing files like sh does", () => {
    expect(runShell("frobnicate --now", env, state)).toEqual({
      exitCode: 127,
      output: "sh: 1: frobnicate: not found",
    });
    expect(runShell("cat /nope", env, state)).toEqual({
      exitCode: 1,
      output: "cat: /nope: No such file or directory",
    });
    expect(runShell("ls /nope", env, state).exitCode).toBe(2);
  });

  it("splits quoted words", () => {
    expect(splitWords(`a 'b c' "d  e"f`)).toEqual(["a", "b c", "d  e", "f"]);
  });
});

describe("software", () => {
  it("applies a delta: install adds or replaces by name, delete removes", () => {
    const next = applySoftwareUpdate(state.software, [
      { name: "curl", version: "8.0", url: "https://repo.example/curl.deb", action: "install" },
      { name: "nano", version: "", action: "delete" },
      { name: "htop", version: "3.2", action: "install" },
      { name: "absent", action: "delete" },
    ]);
    expect(next).toEqual([
      { name: "curl", version: "8.0", url: "https://repo.example/curl.deb", softwareType: "apt" },
      { name: "htop", version: "3.2" },
    ]);
    expect(state.software).toHaveLength(2); // the input is not modified
  });

  it("rejects malformed deltas with a reason", () => {
    expect(applySoftwareUpdate([], { name: "x" })).toMatch(/must be a list/);
    expect(applySoftwareUpdate([], [{ name: "x", version: "1", action: "upgrade" }])).toMatch(
      /unknown action "upgrade"/,
    );
    expect(applySoftwareUpdate([], [{ name: "x", action: "install" }])).toMatch(/x needs a version/);
  });

  it("takes a complete list as the new set", () => {
    expect(parseSoftwareList([{ name: "a", version: "1", extra: true }])).toEqual([
      { name: "a", version: "1" },
    ]);
    expect(
      parseSoftwareList([
        { name: "a", version: "1" },
        { name: "a", version: "2" },
      ]),
    ).toMatch(/listed twice/);
  });

  it("keeps the list and the map form consistent in the inventory", () => {
    const outcome = decide(
      { id: "1", deviceId: "5", c8y_SoftwareUpdate: [{ name: "htop", version: "3.2", action: "install" }] },
      agent,
      never,
    );
    expect(outcome.kind).toBe("success");
    if (outcome.kind !== "success") return;
    expect(outcome.inventory).toEqual({
      c8y_SoftwareList: [...state.software, { name: "htop", version: "3.2" }],
      c8y_Software: { curl: "7.88", nano: "7.2", htop: "3.2" },
    });
  });
});

describe("decide", () => {
  it("applies a configuration and writes it back to the target", () => {
    const outcome = decide({ id: "1", deviceId: "6", c8y_Configuration: { config: "b=2" } }, child, never);
    expect(outcome).toEqual({
      kind: "success",
      state: { ...state, config: "b=2" },
      inventory: { c8y_Configuration: { config: "b=2" } },
    });
  });

  it("installs firmware with name, version and url", () => {
    const outcome = decide(
      {
        id: "1",
        deviceId: "6",
        c8y_Firmware: { name: "fw", version: "2.0", url: "https://fw.example/2.0.bin" },
      },
      child,
      never,
    );
    expect(outcome).toMatchObject({
      kind: "success",
      inventory: { c8y_Firmware: { name: "fw", version: "2.0", url: "https://fw.example/2.0.bin" } },
    });
  });

  it("restarts the agent itself, a child just succeeds", () => {
    expect(decide({ id: "1", deviceId: "5", c8y_Restart: {} }, agent, never)).toEqual({ kind: "restart" });
    expect(decide({ id: "1", deviceId: "6", c8y_Restart: {} }, child, never)).toEqual({ kind: "success" });
  });

  it("runs shell commands and fails non-zero exits with the output kept", () => {
    expect(decide({ id: "1", deviceId: "5", c8y_Command: { text: "echo hi" } }, agent, never)).toEqual({
      kind: "success",
      report: { c8y_Command: { text: "echo hi", result: "hi" } },
    });
    expect(decide({ id: "1", deviceId: "5", c8y_Command: { text: "nope" } }, agent, never)).toEqual({
      kind: "failure",
      reason: "Command not found: nope (exit status 127)",
      report: { c8y_Command: { text: "nope", result: "sh: 1: nope: not found" } },
    });
  });

  it("fails what the target does not support, naming what it does", () => {
    const outcome = decide({ id: "1", deviceId: "6", c8y_Command: { text: "ls" } }, child, never);
    expect(outcome).toEqual({
      kind: "failure",
      reason:
        "Operation c8y_Command is not supported by Energy meter sim-0001-child-1 (supported: c8y_Restart, c8y_Configuration, c8y_Firmware)",
    });
    expect(decide({ id: "1", deviceId: "6", description: "nothing" }, child, never)).toMatchObject({
      kind: "failure",
      reason: "The operation carries no operation fragment",
    });
  });

  it("fails malformed payloads regardless of the failure rate", () => {
    expect(decide({ id: "1", deviceId: "6", c8y_Configuration: { config: 5 } }, child, never)).toMatchObject({
      kind: "failure",
      reason: expect.stringContaining("configuration text"),
    });
  });

  it("fails a share of operations with one of a handful of distinct, realistic reasons per type", () => {
    const plug: Target = { ...child, name: "Smart plug", supportedOperations: ["c8y_Relay"] };
    const cases: [Target, Record<string, unknown>][] = [
      [agent, { c8y_Restart: {} }],
      [agent, { c8y_Configuration: { config: "a=2" } }],
      [agent, { c8y_Firmware: { name: "fw", version: "2.0", url: "https://fw.example.com/fw-2.0.bin" } }],
      [agent, { c8y_SoftwareUpdate: [{ name: "nano", version: "7.3", action: "install" }] }],
      [agent, { c8y_SoftwareList: [{ name: "curl", version: "8.0" }] }],
      [agent, { c8y_Command: { text: "uptime" } }],
      [plug, { c8y_Relay: { relayState: "OPEN" } }],
    ];
    const random = seededRandom(7, "sim-0001");
    for (const [target, fragment] of cases) {
      const type = Object.keys(fragment)[0]!;
      const reasons = new Map<string, number>();
      let failures = 0;
      for (let i = 0; i < 400; i++) {
        const outcome = decide({ id: String(i), deviceId: "6", ...fragment }, target, {
          failureRate: 0.25,
          random,
        });
        if (outcome.kind !== "failure") continue;
        failures += 1;
        reasons.set(outcome.reason, (reasons.get(outcome.reason) ?? 0) + 1);
      }
      // About a quarter fail, and they fall into a few groups that each recur.
      expect(failures, type).toBeGreaterThan(60);
      expect(failures, type).toBeLessThan(140);
      expect(reasons.size, type).toBeGreaterThanOrEqual(3);
      expect(reasons.size, type).toBeLessThanOrEqual(5);
      const known = FAILURE_REASONS[type as keyof typeof FAILURE_REASONS].map((r) => r(fragment[type]));
      for (const reason of reasons.keys()) expect(known, type).toContain(reason);
    }
    const firmware = FAILURE_REASONS.c8y_Firmware.map((r) =>
      r({ name: "fw", version: "2.0", url: "https://fw.example.com/fw-2.0.bin" }),
    );
    expect(firmware).toEqual(
      expect.arrayContaining([
        "Download failed: HTTP 404 from https://fw.example.com/fw-2.0.bin",
        "Checksum mismatch: the downloaded image does not match its SHA-256",
        "Not enough space on /data",
        "Device busy: update in progress",
      ]),
    );
    expect(FAILURE_REASONS.c8y_SoftwareUpdate.map((r) => r([{ name: "nano" }]))).toContain(
      "Post-installation script of nano returned exit status 1",
    );
  });

  it("fails the same operations with the same reasons under the same seed, per device", () => {
    const run = (seed: number, serial: string) => {
      const random = seededRandom(seed, serial);
      return Array.from({ length: 50 }, (_, i) => {
        const outcome = decide({ id: String(i), deviceId: "6", c8y_Configuration: { config: "x" } }, agent, {
          failureRate: 0.3,
          random,
        });
        return outcome.kind === "failure" ? outcome.reason : "ok";
      });
    };
    expect(run(42, "sim-0001")).toEqual(run(42, "sim-0001"));
    expect(run(42, "sim-0001")).not.toEqual(run(42, "sim-0002"));
    expect(run(42, "sim-0001")).not.toEqual(run(43, "sim-0001"));
    expect(
      decide({ id: "1", deviceId: "6", c8y_Configuration: { config: "x" } }, agent, always),
    ).toMatchObject({
      kind: "failure",
      reason: expect.any(String),
    });
  });

  it("names the operation by its fragment", () => {
    expect(
      operationType({ id: "1", deviceId: "2", status: "PENDING", description: "x", c8y_Restart: {} }),
    ).toBe("c8y_Restart");
    expect(operationType({ id: "1", deviceId: "2", c8y_Unknown: {} })).toBe("c8y_Unknown");
  });
});

describe("catalogue", () => {
  it("describes agents with the startup phase's fragments and children without the agent marker", () => {
    const a = describeAgent("sim-0001", initialAgentState("sim-0001"));
    for (const f of [
      "c8y_IsDevice",
      "com_cumulocity_model_Agent",
      "c8y_SupportedOperations",
      "c8y_Hardware",
      "c8y_Configuration",
      "c8y_Mobile",
      "c8y_Firmware",
      "c8y_Software",
      "c8y_SoftwareList",
    ])
      expect(a.fragments).toHaveProperty(f);
    const s = initialAgentState("sim-0001").software;
    expect(a.fragments.c8y_Software).toEqual(softwareMap(s));
    const c = describeChild("sim-0001-child-2", 2, initialChildState("sim-0001-child-2", 2));
    expect(c.fragments).toHaveProperty("c8y_IsDevice");
    expect(c.fragments).not.toHaveProperty("com_cumulocity_model_Agent");
    expect(describeAgent("sim-0001", initialAgentState("sim-0001"))).toEqual(a); // stable across restarts
  });

  it("finds only the fragments that changed", () => {
    expect(
      changedFragments(
        {
          name: "renamed",
          c8y_Hardware: { serialNumber: "1", model: "m" },
          c8y_Firmware: { name: "a", version: "1" },
        },
        {
          c8y_Hardware: { model: "m", serialNumber: "1" },
          c8y_Firmware: { name: "a", version: "2" },
          c8y_IsDevice: {},
        },
      ),
    ).toEqual({ c8y_Firmware: { name: "a", version: "2" }, c8y_IsDevice: {} });
  });
});

describe("store", () => {
  const dir = mkdtempSync(join(tmpdir(), "devices-store-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps credentials readable only by the owner", () => {
    const store = new DeviceStore(dir, "sim/../x");
    store.writeCredentials({ tenantId: "t1", username: "device_x", password: "pw" });
    expect(store.dir.startsWith(dir)).toBe(true);
    expect(store.readCredentials()).toEqual({ tenantId: "t1", username: "device_x", password: "pw" });
    expect(statSync(join(store.dir, "credentials.json")).mode & 0o777).toBe(0o600);
    store.clearCredentials();
    expect(store.readCredentials()).toBeUndefined();
  });

  it("never lets an id name a folder outside the data dir", () => {
    expect(folderName("..")).toBe("%2e%2e");
    expect(folderName("a/b")).toBe("a%2fb");
    expect(folderName("gw-01.a_b")).toBe("gw-01.a_b");
  });
});
