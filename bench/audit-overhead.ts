// What writing the platform's audit records costs: throughput of operation PUTs that change the status (each
// writes an "Operation updated" record in its transaction) against the same PUTs on an emulator started with audit
// records switched off (EMULATOR_AUDIT_RECORDS=off, a knob only this benchmark uses). Each emulator is its own
// process; both are measured in the same run, alternating.
import autocannon from "autocannon";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Bench, type EmulatorProcess, startEmulatorProcess } from "./lib.js";
import { openSeeder } from "./seed.js";

const CONNECTIONS = 20;
const DURATION_S = 5;
const ROUNDS = 2;
/** Operations per emulator: every PUT moves a fresh one from PENDING to EXECUTING (repeating a status writes none). */
const OPERATIONS = 60_000;

interface Side {
  label: string;
  emu: EmulatorProcess;
  dir: string;
  ids: number[];
  next: number;
  requests: number;
  seconds: number;
  latencies: number[];
  errors: number;
}

function seed(dir: string): number[] {
  const s = openSeeder(dir);
  const at = new Date().toISOString();
  const ids = s.db.transaction(() => {
    const device = s.agent("Bench device", at);
    return Array.from({ length: OPERATIONS }, () => s.operation(device, at));
  })();
  s.close();
  return ids;
}

async function round(side: Side): Promise<void> {
  const body = JSON.stringify({ status: "EXECUTING" });
  const r = await autocannon({
    url: side.emu.url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers: {
      authorization: side.emu.adminAuth,
      "content-type": "application/json",
      accept: "application/json",
    },
    requests: [
      {
        method: "PUT",
        body,
        setupRequest: (req) => {
          // Past the seeded ones a PUT would repeat a status (no record): the figures say so if it ever happens.
          const id = side.ids[side.next++ % side.ids.length]!;
          return { ...req, path: `/devicecontrol/operations/${id}` };
        },
      },
    ],
  });
  side.requests += r.requests.total;
  side.seconds += r.duration;
  side.latencies.push(r.latency.p50, r.latency.p99);
  side.errors += r.errors + r.non2xx;
}

async function auditCount(side: Side): Promise<number> {
  const res = await fetch(
    `${side.emu.url}/audit/auditRecords?type=Operation&pageSize=1&withTotalElements=true`,
    {
      headers: { authorization: side.emu.adminAuth, accept: "application/json" },
    },
  );
  return ((await res.json()) as { statistics: { totalElements: number } }).statistics.totalElements;
}

export const auditOverheadBench: Bench = {
  name: "audit-overhead",
  title: "Emulator: operation PUT (status change) with its audit record vs audit records switched off",
  async run() {
    const sides: Side[] = [];
    try {
      for (const [label, env] of [
        ["audit records off (baseline)", { EMULATOR_AUDIT_RECORDS: "off" }],
        ["audit record written in the PUT's transaction", {}],
      ] as const) {
        const dir = mkdtempSync(join(tmpdir(), "c8y-audit-bench-"));
        const ids = seed(dir);
        const emu = await startEmulatorProcess({ dataDir: dir, env });
        sides.push({ label, emu, dir, ids, next: 0, requests: 0, seconds: 0, latencies: [], errors: 0 });
      }
      for (let i = 0; i < ROUNDS; i++) for (const side of sides) await round(side);
      const [off, on] = sides as [Side, Side];
      const rps = (s: Side) => s.requests / s.seconds;
      const ratio = rps(on) / rps(off);
      const written = [await auditCount(off), await auditCount(on)];
      const row = (s: Side) => {
        const p50 = Math.max(...s.latencies.filter((_, i) => i % 2 === 0));
        const p99 = Math.max(...s.latencies.filter((_, i) => i % 2 === 1));
        return `| ${s.label} | ${rps(s).toFixed(0)} | ${p50} ms | ${p99} ms | ${s.errors} |`;
      };
      return {
        lines: [
          "| emulator | PUTs/s | p50 (worst round) | p99 (worst round) | errors |",
          "| --- | --- | --- | --- | --- |",
          row(off),
          row(on),
          "",
          `With audit records the emulator answers ${(ratio * 100).toFixed(0)} % of the PUTs/s it manages without ` +
            `them (goal: at least 80 %). Every PUT moves a different seeded operation from PENDING to EXECUTING, ` +
            `with an Accept header; Operation audit records afterwards: ${written[0]} without, ${written[1]} with ` +
            `(one per PUT${on.next > OPERATIONS ? "; the seeded operations ran out, so later PUTs repeated a status" : ""}). ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${DURATION_S} s per emulator; ` +
            "autocannon in the bench process, each emulator its own process on its own data directory.",
        ],
      };
    } finally {
      for (const side of sides) {
        await side.emu.stop();
        rmSync(side.dir, { recursive: true, force: true });
      }
    }
  },
};
