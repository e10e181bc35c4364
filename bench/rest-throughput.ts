import autocannon from "autocannon";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Bench, root, startEmulatorProcess } from "./lib.js";

const CONNECTIONS = 50;
const ROUNDS = 3;
const DURATION_S = 5;
const WARMUP_S = 1;

interface Run {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU time of the server process per answered request, in µs (undefined where /proc is missing). */
  cpuUs: number | undefined;
}

/** User + system CPU time of a process in µs, from /proc (Linux); undefined elsewhere. */
function cpuTimeUs(pid: number): number | undefined {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return undefined;
  // Fields after the command name (which may hold spaces) start at ")"; utime and stime are fields 14 and 15.
  const stat = readFileSync(file, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks / 100) * 1e6; // USER_HZ is 100 on Linux
}

async function load(
  url: string,
  headers: Record<string, string>,
  pid: number,
  seconds: number,
): Promise<Run> {
  const before = cpuTimeUs(pid);
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers });
  const after = cpuTimeUs(pid);
  const answered = r.requests.total;
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx,
    cpuUs:
      before === undefined || after === undefined || answered === 0 ? undefined : (after - before) / answered,
  };
}

/**
 * The bare node:http baseline as its own process (started the way the emulator is), serving `bytes` with the same
 * content type. The load generator is then the only thing running in the bench process.
 */
async function startBareServer(
  bytes: Buffer,
  contentType: string,
): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "bench-bare-"));
  const file = join(dir, "body");
  writeFileSync(file, bytes);
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(root, "bench", "bare-server.ts"), file, contentType],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.once("exit", (code) => reject(new Error(`bare server exited with ${code}`)));
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners("exit");
        child.once("exit", () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * GET of one managed object with Basic auth under 50 connections, against a bare node:http server sending the
 * same bytes. Both servers are processes of their own and stay up; rounds alternate between them, so that a
 * change in the machine's load hits both alike, and the median of the rounds is reported.
 */
export const restThroughputBench: Bench = {
  name: "rest-throughput",
  title: "Emulator: GET one managed object under 50 connections vs bare node:http",
  async run() {
    const emu = await startEmulatorProcess();
    let bare: Awaited<ReturnType<typeof startBareServer>> | undefined;
    try {
      const created = await fetch(`${emu.url}/inventory/managedObjects`, {
        method: "POST",
        headers: {
          authorization: emu.adminAuth,
          "content-type": "application/json",
          accept: "application/json",
        },
        body: JSON.stringify({
          name: "Bench device",
          type: "c8y_Linux",
          c8y_IsDevice: {},
          c8y_Hardware: { model: "RaspPi BCM2708", serialNumber: "0000000017b769d5", revision: "000e" },
        }),
      });
      const { id } = (await created.json()) as { id: string };
      const path = `/inventory/managedObjects/${id}`;
      const headers = {
        authorization: emu.adminAuth,
        accept: "application/vnd.com.nsn.cumulocity.managedObject+json",
      };
      const sample = await fetch(`${emu.url}${path}`, { headers });
      const bytes = Buffer.from(await sample.arrayBuffer());
      bare = await startBareServer(bytes, sample.headers.get("content-type") ?? "");

      const servers = [
        { url: `${bare.url}${path}`, pid: bare.pid },
        { url: `${emu.url}${path}`, pid: emu.pid },
      ];
      for (const s of servers) await load(s.url, headers, s.pid, WARMUP_S);
      const runs: [Run, Run][] = [];
      for (let round = 0; round < ROUNDS; round++)
        runs.push([
          await load(servers[0]!.url, headers, servers[0]!.pid, DURATION_S),
          await load(servers[1]!.url, headers, servers[1]!.pid, DURATION_S),
        ]);

      const row = (label: string, i: 0 | 1) => {
        const rs = runs.map((r) => r[i]);
        const cpu = rs.every((r) => r.cpuUs !== undefined) ? median(rs.map((r) => r.cpuUs!)) : undefined;
        return {
          rps: median(rs.map((r) => r.rps)),
          cpu,
          line:
            `| ${label} | ${median(rs.map((r) => r.rps)).toFixed(0)} | ${rs.map((r) => r.rps.toFixed(0)).join(", ")} | ` +
            `${median(rs.map((r) => r.p50))} ms | ${median(rs.map((r) => r.p99))} ms | ` +
            `${cpu === undefined ? "–" : `${cpu.toFixed(0)} µs`} | ${rs.reduce((n, r) => n + r.errors, 0)} |`,
        };
      };
      const baseline = row("bare node:http (baseline, same bytes)", 0);
      const emulator = row("emulator (Basic auth, SQLite read)", 1);
      const ratio = median(runs.map(([b, e]) => e.rps / b.rps));
      const cpuRatio =
        baseline.cpu !== undefined && emulator.cpu !== undefined ? baseline.cpu / emulator.cpu : undefined;
      return {
        lines: [
          `| server | requests/s (median) | per round | p50 | p99 | server CPU per request | errors |`,
          `| --- | --- | --- | --- | --- | --- | --- |`,
          baseline.line,
          emulator.line,
          "",
          `Emulator throughput is ${(ratio * 100).toFixed(0)} % of the bare server (median of ${ROUNDS} alternating ` +
            `rounds; goal: at least 50 %)` +
            (cpuRatio === undefined
              ? "."
              : `; per request it spends ${(1 / cpuRatio).toFixed(1)}× the bare server's CPU time ` +
                `(${(cpuRatio * 100).toFixed(0)} % of its throughput on a core of its own).`) +
            ` ${CONNECTIONS} connections, ${DURATION_S} s per run after a ${WARMUP_S} s warm-up; autocannon alone in ` +
            `the bench process; the bare server (${bytes.length} bytes, same content type) and the emulator each ` +
            `run as their own process.`,
        ],
      };
    } finally {
      await bare?.stop();
      await emu.stop();
    }
  },
};
