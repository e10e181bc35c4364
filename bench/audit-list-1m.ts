// The vendor UI's "History of changes" of one operation (GET /audit/auditRecords?source=<id>&type=Operation) over
// HTTP among 1,000,000 audit records, seeded through the audit store into the data directory before the emulator
// process starts. Baseline in the same run: reading one record by id (a primary-key lookup, same HTTP path).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { auditStore } from "../emulator/platform/api/audit/store.js";
import { type Bench, ms, startEmulatorProcess, summarise } from "./lib.js";
import { openSeeder } from "./seed.js";

const RECORDS = 1_000_000;
const PER_OPERATION = 3; // created (PENDING), updated (EXECUTING), updated (SUCCESSFUL)
const SAMPLES = 2000;
const WARMUP = 200;

/** Seeds RECORDS operation histories; returns the operation in the middle and one of its records. */
function seed(dir: string): { operation: number; record: number; perSecond: number } {
  const s = openSeeder(dir);
  const audit = auditStore(s.db);
  const base = Date.parse("2025-01-01T00:00:00.000Z");
  const device = s.db.transaction(() => s.agent("Audited device", new Date(base).toISOString()))();
  const operations = Math.ceil(RECORDS / PER_OPERATION);
  let written = 0;
  let operation = 0;
  let record = 0;
  const started = performance.now();
  const batch = 10_000;
  for (let from = 0; from < operations; from += batch) {
    s.db.transaction(() => {
      for (let i = from; i < Math.min(operations, from + batch); i++) {
        // The histories interleave in time, as operations of a busy tenant do.
        const source = String(s.nextId());
        ["PENDING", "EXECUTING", "SUCCESSFUL"].forEach((status, k) => {
          if (written++ >= RECORDS) return; // the last history is cut short to make the round number
          const id = s.nextId();
          const time = new Date(base + i * 1000 + k * 333_333).toISOString();
          audit.insert({
            id,
            type: "Operation",
            source_id: source,
            device_id: device,
            username: "device_bench",
            application: null,
            activity: k === 0 ? "Operation created" : "Operation updated",
            text: `Operation ${k === 0 ? "created" : "updated"}: status='${status}', description='Restart'.`,
            severity: "information",
            time,
            creation_time: time,
            changes: JSON.stringify([
              {
                attribute: "status",
                type: "com.cumulocity.model.operation.OperationStatus",
                previousValue: k === 0 ? null : k === 1 ? "PENDING" : "EXECUTING",
                newValue: status,
                changeType: k === 0 ? "ADDED" : "REPLACED",
              },
            ]),
            fragments: "{}",
          });
          if (i === Math.floor(operations / 2) && k === 1) {
            operation = Number(source);
            record = id;
          }
        });
      }
    })();
  }
  const perSecond = RECORDS / ((performance.now() - started) / 1000);
  s.close();
  return { operation, record, perSecond };
}

async function sample(url: string, auth: string): Promise<number[]> {
  const headers = { authorization: auth, accept: "application/json" };
  const out: number[] = [];
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    if (i >= WARMUP) out.push(performance.now() - t0);
  }
  return out;
}

export const auditList1mBench: Bench = {
  name: "audit-list-1m",
  title: "Emulator: one operation's audit history among 1,000,000 audit records",
  async run() {
    const dir = mkdtempSync(join(tmpdir(), "c8y-audit-1m-"));
    try {
      const seeded = seed(dir);
      const emu = await startEmulatorProcess({ dataDir: dir });
      try {
        const history =
          `${emu.url}/audit/auditRecords?source=${seeded.operation}&type=Operation` +
          "&withTotalPages=true&pageSize=100";
        const check = (await (
          await fetch(history, { headers: { authorization: emu.adminAuth, accept: "application/json" } })
        ).json()) as { auditRecords: unknown[] };
        if (check.auditRecords.length !== PER_OPERATION) throw new Error("the history is not the seeded one");
        const one = summarise(await sample(`${emu.url}/audit/auditRecords/${seeded.record}`, emu.adminAuth));
        const list = summarise(await sample(history, emu.adminAuth));
        return {
          lines: [
            "| request (sequential, one client) | p50 | p99 |",
            "| --- | --- | --- |",
            `| baseline: one record by id, \`GET /audit/auditRecords/{id}\` | ${ms(one.p50)} | ${ms(one.p99)} |`,
            `| one operation's history, \`?source=<op>&type=Operation&withTotalPages=true&pageSize=100\` | ${ms(list.p50)} | ${ms(list.p99)} |`,
            "",
            `History p99 ${ms(list.p99)} (goal: under 20 ms) among ${RECORDS.toLocaleString("en")} records ` +
              `(histories of ${PER_OPERATION} records for ${Math.ceil(RECORDS / PER_OPERATION).toLocaleString("en")} operations, ` +
              `interleaved in time), ${SAMPLES} requests after ${WARMUP} warm-up each. Seeded through the audit ` +
              `store at ${seeded.perSecond.toFixed(0)} records/s before the emulator process started on the data.`,
          ],
        };
      } finally {
        await emu.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
