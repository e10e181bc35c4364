// A bulk restart over 1,000 simulated agents (ramp 0): time from the POST until every single operation is final,
// and how far the bulk operation's progress trails its children. Baseline in the same run: the same 1,000 restarts
// POSTed one by one (20 in flight). The agents run in their own process (`npm run devices`), the emulator in its
// own; the bench process watches both on /notification/realtime (/operations/* and /bulkOperations/*) and REST.
import { ONLINE, adminCall as call, spawnAgents } from "./agent-fleet.js";
import { type Bench, pool, startEmulatorProcess } from "./lib.js";
import { LongPollSubscriber } from "./realtime-latency.js";

const AGENTS = 1000;
const REBOOT_MS = 1000;
const PROTOTYPE = { description: "Restart device", c8y_Restart: {} };
const FINAL = new Set(["SUCCESSFUL", "FAILED"]);

type Json = Record<string, unknown>;

/**
 * What the watcher saw of one run: when each chosen operation became final, when children were created, and every
 * progress figure the bulk operation announced.
 */
class Watch {
  finalAt = new Map<string, number>();
  createdAt: number[] = [];
  progress: { at: number; done: number }[] = [];
  private waiter: { n: number; resolve: () => void } | undefined;
  private filter: (op: Json) => boolean = () => false;

  /** Starts watching the operations `filter` picks (a new run). */
  reset(filter: (op: Json) => boolean): void {
    this.finalAt = new Map();
    this.createdAt = [];
    this.progress = [];
    this.waiter = undefined;
    this.filter = filter;
  }

  readonly onOperation = (m: { data?: unknown }) => {
    const { realtimeAction, data } = (m.data ?? {}) as { realtimeAction?: string; data?: Json };
    if (realtimeAction === "DELETE" || !data || !this.filter(data)) return;
    if (realtimeAction === "CREATE") this.createdAt.push(performance.now());
    if (FINAL.has(data.status as string) && !this.finalAt.has(data.id as string)) {
      this.finalAt.set(data.id as string, performance.now());
      if (this.waiter && this.finalAt.size >= this.waiter.n) this.waiter.resolve();
    }
  };

  readonly onBulk = (m: { data?: unknown }) => {
    const { data } = (m.data ?? {}) as { data?: { progress?: { successful: number; failed: number } } };
    if (data?.progress)
      this.progress.push({ at: performance.now(), done: data.progress.successful + data.progress.failed });
  };

  /** Waits (up to `limitMs`) for a bulk notification that counts `n` final children. */
  async progressReached(n: number, limitMs = 10_000): Promise<void> {
    const until = performance.now() + limitMs;
    while (!this.progress.some((p) => p.done >= n) && performance.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 20));
  }

  allFinal(n: number, limitMs = 300_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.finalAt.size} of ${n} final`)), limitMs);
      this.waiter = {
        n,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      if (this.finalAt.size >= n) this.waiter.resolve();
    });
  }

  /**
   * For the k-th child to become final: how long until a bulk notification counted k final children. Negative
   * values (the bulk UPDATE is published in the same turn, before the operation's own UPDATE) count as 0.
   */
  lags(): number[] {
    const finals = [...this.finalAt.values()].sort((a, b) => a - b);
    return finals.map((t, i) => {
      const seen = this.progress.find((p) => p.done >= i + 1);
      return seen === undefined ? Infinity : Math.max(0, seen.at - t);
    });
  }
}

export const bulkRestartBench: Bench = {
  name: "bulk-restart",
  title: "Emulator: a bulk restart over 1,000 simulated agents (ramp 0) vs the same restarts one by one",
  async run() {
    const emu = await startEmulatorProcess();
    const fleet = spawnAgents(emu, { count: AGENTS, prefix: "bulk-", rebootMs: REBOOT_MS });
    const online = fleet.lines;
    const watch = new Watch();
    // One session for both channels: a child's UPDATE and its bulk operation's UPDATE travel the same way.
    const subscriber = new LongPollSubscriber(
      `${emu.url}/notification/realtime`,
      { authorization: emu.adminAuth },
      (m) => (m.channel.startsWith("/bulkOperations/") ? watch.onBulk(m) : watch.onOperation(m)),
    );
    try {
      await fleet.admit();
      await online.reach(ONLINE, AGENTS, "every agent to come online");
      await subscriber.start(["/operations/*", "/bulkOperations/*"]);
      // The vendor UI's way: a hidden dynamic group for the devices, then the bulk operation on it.
      const group = await call(emu, "/inventory/managedObjects", {
        method: "POST",
        body: {
          name: "Bulk operations group",
          type: "c8y_DynamicGroup",
          c8y_IsDynamicGroup: { invisible: {} },
          c8y_DeviceQueryString: "$filter=(has(com_cumulocity_model_Agent))",
        },
      });

      // 1. The bulk restart.
      // bulkOperationId is a number in operations (docs/platform-fleet.md §5). Children may be announced before the
      // POST's answer is read here; no other bulk operation exists.
      let bulkId = NaN;
      watch.reset(
        (op) =>
          typeof op.bulkOperationId === "number" && (Number.isNaN(bulkId) || op.bulkOperationId === bulkId),
      );
      const t0 = performance.now();
      const bulk = await call(emu, "/devicecontrol/bulkoperations", {
        method: "POST",
        body: {
          groupId: group.id,
          startDate: new Date().toISOString(),
          creationRamp: 0,
          operationPrototype: PROTOTYPE,
        },
      });
      bulkId = Number(bulk.id);
      await watch.allFinal(AGENTS);
      const bulkS = (Math.max(...watch.finalAt.values()) - t0) / 1000;
      const createdS = (Math.max(...watch.createdAt) - t0) / 1000;
      await watch.progressReached(AGENTS);
      const lags = watch.lags();
      const final = await call(emu, `/devicecontrol/bulkoperations/${bulkId}`);
      const counted = await call(
        emu,
        `/devicecontrol/operations?bulkOperationId=${bulkId}&status=SUCCESSFUL&pageSize=1&withTotalElements=true`,
      );
      const successful = (counted.statistics as { totalElements: number }).totalElements;

      // 2. Baseline: the same restarts POSTed one by one, once every agent is back.
      await online.reach(ONLINE, 2 * AGENTS, "every agent to be back after the reboot");
      const devices = (
        (await call(emu, "/inventory/managedObjects?fragmentType=com_cumulocity_model_Agent&pageSize=2000"))
          .managedObjects as Json[]
      ).map((m) => m.id as string);
      // An operation becomes final a reboot after its POST answered, so its id is known by then.
      const singles = new Set<string>();
      watch.reset((op) => singles.has(op.id as string));
      const b0 = performance.now();
      await pool(devices, 20, async (deviceId) => {
        const op = await call(emu, "/devicecontrol/operations", {
          method: "POST",
          body: { deviceId, ...PROTOTYPE },
        });
        singles.add(op.id as string);
      });
      const posted = (performance.now() - b0) / 1000;
      await watch.allFinal(AGENTS);
      const baselineS = (Math.max(...watch.finalAt.values()) - b0) / 1000;

      const worstLag = Math.max(...lags);
      return {
        lines: [
          "| run | operations | all final after | progress lag behind the children (max / p99) |",
          "| --- | --- | --- | --- |",
          `| bulk operation, ramp 0 (POST → every child final) | ${AGENTS} | ${bulkS.toFixed(1)} s | ${worstLag.toFixed(0)} ms / ${lags.sort((a, b) => a - b)[Math.floor(lags.length * 0.99)]!.toFixed(0)} ms |`,
          `| baseline: ${AGENTS} single POSTs, 20 in flight (first POST → every one final; POSTs took ${posted.toFixed(1)} s) | ${AGENTS} | ${baselineS.toFixed(1)} s | – |`,
          "",
          `The bulk operation had created all ${AGENTS} operations ${createdS.toFixed(1)} s after the POST. ` +
            "With ramp 0 every agent reboots and runs the startup phase at the same moment; the single POSTs spread " +
            "the reboots over the time they take to send. " +
            `Goal: every child final within 20 s (${bulkS <= 20 ? "met" : "missed"}), progress never more than 1 s behind ` +
            `(${worstLag <= 1000 ? "met" : "missed"}). The bulk operation ended ${String(final.status)} / ` +
            `${String(final.generalStatus)}, progress ${JSON.stringify(final.progress)}, ${successful} children ` +
            `SUCCESSFUL by REST count. Lag: for the k-th child to become final (its UPDATE on \`/operations/*\`), the ` +
            "time until a `/bulkOperations/*` UPDATE counted k final children. Each restart is EXECUTING, a " +
            `${REBOOT_MS} ms reboot (the agent drops its connection and goes through the startup phase again), then ` +
            "SUCCESSFUL. Targets: a dynamic group (has(com_cumulocity_model_Agent)) as the vendor UI creates it. " +
            `${AGENTS} agents in one process (\`npm run devices\`), the emulator in its own, the watcher in the bench ` +
            "process; 2 cores shared with other work.",
        ],
      };
    } finally {
      await subscriber.stop().catch(() => undefined);
      await fleet.stop();
      await emu.stop();
    }
  },
};
