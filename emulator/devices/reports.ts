// The outcomes an agent still has to tell the platform. A final status that falls into an outage is not lost:
// it is written to the device's disk before the first attempt and repeated until the platform acknowledged it,
// across reconnects and restarts of the agent (docs/simulated-devices.md, "Reports that cannot be delivered").
import { Backoff } from "../../lib/bayeux/backoff.js";
import { isTransient, seg, statusOf, type RestClient } from "./http.js";
import type { DeviceStore, PendingReport } from "./store.js";

/** Waits `ms` unless woken or closed first; false once the caller is gone (stop retrying). */
export type Wait = (ms: number) => Promise<boolean>;

type Delivery = "acknowledged" | "refused" | "later";

export class Reports {
  private pending: PendingReport[];
  private warned = new Set<string>();

  constructor(
    private readonly store: DeviceStore,
    private readonly log: (line: string) => void,
    private readonly random: () => number,
  ) {
    this.pending = store.readReports();
  }

  get size(): number {
    return this.pending.length;
  }

  has(operationId: string): boolean {
    return this.pending.some((r) => r.operationId === operationId);
  }

  /** Keeps a report on disk; `deliver` sends it. */
  add(report: PendingReport): void {
    this.pending = [...this.pending.filter((r) => r.operationId !== report.operationId), report];
    this.store.writeReports(this.pending);
  }

  /**
   * Sends every kept report, oldest first, until the platform acknowledged each. Waits between attempts while
   * the platform is away or failing; returns false when `wait` says the caller is gone (the reports stay on
   * disk). A 401 is thrown: the credentials no longer work, which the caller handles.
   */
  async deliver(rest: RestClient, wait: Wait): Promise<boolean> {
    const backoff = new Backoff(500, 5_000, this.random);
    for (let report = this.pending[0]; report; report = this.pending[0]) {
      const outcome = await this.send(rest, report);
      if (outcome === "later") {
        if (!(await wait(backoff.next()))) return false;
        continue;
      }
      backoff.reset();
      this.pending = this.pending.filter((r) => r.operationId !== report.operationId);
      this.warned.delete(report.operationId);
      this.store.writeReports(this.pending);
    }
    return true;
  }

  private async send(rest: RestClient, report: PendingReport): Promise<Delivery> {
    const { operationId, update, inventory } = report;
    const label = `operation ${operationId}${report.type ? ` (${report.type})` : ""}`;
    const context = report.context ? `${report.context}: ` : "";
    try {
      if (inventory) {
        try {
          await rest.put(`/inventory/managedObjects/${seg(inventory.managedObjectId)}`, inventory.fragments, {
            type: "managedObject",
            accept: "managedObject",
          });
        } catch (err) {
          if (statusOf(err) === 401 || isTransient(err)) throw err;
          // The platform will not take the new state: the operation did not really succeed for it.
          report.update = {
            status: "FAILED",
            failureReason: `Could not report the new state to the inventory: ${describe(err)}`,
          };
        }
        delete report.inventory;
        this.store.writeReports(this.pending);
      }
      await rest.put(`/devicecontrol/operations/${seg(operationId)}`, report.update, {
        type: "operation",
        accept: "operation",
      });
      const why = report.update.failureReason ? `: ${report.update.failureReason}` : "";
      this.log(`${context}${label} → ${report.update.status}${why}`);
      return "acknowledged";
    } catch (err) {
      if (statusOf(err) === 401) throw err;
      if (isTransient(err)) {
        if (!this.warned.has(operationId)) {
          this.warned.add(operationId);
          this.log(
            `${context}could not report ${label} ${update.status} (${describe(err)}): kept, retrying until the platform takes it`,
          );
        }
        return "later";
      }
      // 404: deleted meanwhile; 422: someone else finished it (e.g. cancelled). Nothing left to tell.
      this.log(`${context}the platform refused ${update.status} for ${label}: ${describe(err)}; dropped`);
      return "refused";
    }
  }
}

export function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
  }
  return String(err);
}
