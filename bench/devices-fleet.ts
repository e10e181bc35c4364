// A fleet of simulated agents in one process, as `npm run devices -- --count N` runs it: what 1,000 agents cost
// the machine while they wait for operations (CPU, memory, sockets), and how they take one operation each.
// Baseline in the same run: the same command with 10 agents, so the per-agent cost can be told from the fixed
// cost of a Node process. The fleet and the emulator each run in their own process; the figures come from
// /proc of the fleet's process. Run alone with `npx tsx bench/devices-fleet.ts`, or via `npm run bench`.
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { ONLINE, spawnAgents } from "./agent-fleet.js";
import { type Bench, type EmulatorProcess, pool, startEmulatorProcess } from "./lib.js";

const FLEETS = [10, 1000];
const IDLE_MS = 30_000;
const TICK_MS = 1000 / 100; // USER_HZ on Linux

interface Figures {
  agents: number;
  onlineAfterMs: number;
  idleCpuPercent: number;
  rssMiB: number;
  sockets: number;
  opsMs: number;
  opsCpuPercent: number;
}

/** CPU time (ms) of a process so far, from /proc/<pid>/stat (utime + stime). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) / 1024;
}

function sockets(pid: number): number {
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith("socket:")) n += 1;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}

const SUCCESSFUL = /\(c8y_Command\) → SUCCESSFUL/;

async function measure(emu: EmulatorProcess, agents: number): Promise<Figures> {
  const admin = {
    authorization: emu.adminAuth,
    "content-type": "application/json",
    accept: "application/json",
  };
  const fleet = spawnAgents(emu, { count: agents, prefix: `fleet${agents}-`, patterns: [SUCCESSFUL] });
  const { ids, lines, process: child } = fleet;
  try {
    const accepted = await fleet.admit();
    await lines.reach(ONLINE, agents, "every agent online");
    const onlineAfterMs = performance.now() - accepted;

    // Idle: every agent holds its long-poll and waits.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const pid = child.pid!;
    const cpu0 = cpuMs(pid);
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const idleCpuPercent = ((cpuMs(pid) - cpu0) / (performance.now() - t0)) * 100;
    const idleRss = rssMiB(pid);
    const idleSockets = sockets(pid);

    // One operation for every agent at once.
    const agentIds: string[] = [];
    await pool(ids, 20, async (id) => {
      const r = await fetch(`${emu.url}/identity/externalIds/c8y_Serial/${id}`, { headers: admin });
      agentIds.push(String(((await r.json()) as { managedObject: { id: string } }).managedObject.id));
    });
    const cpu1 = cpuMs(pid);
    const t1 = performance.now();
    await pool(agentIds, 20, async (deviceId) => {
      const r = await fetch(`${emu.url}/devicecontrol/operations`, {
        method: "POST",
        headers: admin,
        body: JSON.stringify({ deviceId, c8y_Command: { text: "uptime" } }),
      });
      if (r.status !== 201) throw new Error(`operation for ${deviceId}: ${r.status}`);
    });
    await lines.reach(SUCCESSFUL, agents, "every operation SUCCESSFUL");
    const opsMs = performance.now() - t1;
    const opsCpuPercent = ((cpuMs(pid) - cpu1) / opsMs) * 100;
    return {
      agents,
      onlineAfterMs,
      idleCpuPercent,
      rssMiB: idleRss,
      sockets: idleSockets,
      opsMs,
      opsCpuPercent,
    };
  } finally {
    await fleet.stop();
  }
}

async function runDevicesFleetBench() {
  const emu = await startEmulatorProcess();
  const figures: Figures[] = [];
  try {
    for (const agents of FLEETS) figures.push(await measure(emu, agents));
  } finally {
    await emu.stop();
  }
  const [small, large] = [figures[0]!, figures.at(-1)!];
  const perAgentKiB = ((large.rssMiB - small.rssMiB) / (large.agents - small.agents)) * 1024;
  const row = (f: Figures, label: string) =>
    `| ${label} | ${(f.onlineAfterMs / 1000).toFixed(1)} s | ${f.idleCpuPercent.toFixed(1)} % | ${f.rssMiB.toFixed(0)} MiB | ${f.sockets} | ${(f.opsMs / 1000).toFixed(1)} s (${f.opsCpuPercent.toFixed(0)} % CPU) |`;
  return {
    lines: [
      "`npm run devices -- --count N` (no children, operation duration 0) as its own process against the emulator in",
      `another; CPU and memory from /proc of the fleet's process. Idle = ${IDLE_MS / 1000} s with every agent online`,
      "(one held long-poll each, nothing else to do); then one `c8y_Command` operation per agent, created 20 at a time.",
      "",
      "| fleet | all online after acceptAll | CPU while idle (of one core) | resident memory | sockets | one operation per agent: all SUCCESSFUL after |",
      "|---|---|---|---|---|---|",
      row(small, `${small.agents} agents (baseline)`),
      row(large, `${large.agents} agents`),
      "",
      `Per agent beyond the baseline: ${perAgentKiB.toFixed(0)} KiB resident memory; ` +
        `${(large.sockets / large.agents).toFixed(2)} sockets per agent (its held long-poll, REST calls reuse pooled keep-alive connections).`,
    ],
  };
}

export const devicesFleetBench: Bench = {
  name: "devices-fleet",
  title: "Simulated devices: 1,000 agents in one process (CPU, memory, sockets)",
  run: runDevicesFleetBench,
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runDevicesFleetBench();
  for (const line of result.lines) console.log(line);
  process.exit(0);
}
