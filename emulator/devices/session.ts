// One connection lifetime of an agent: its Bayeux client and the serial queue of the operations it was given.
// Nothing given is lost to an outage: an operation the agent could not mark EXECUTING stays queued, every
// (re)established session is followed by a backlog query (its own EXECUTING operations, then PENDING ones), and
// the queue runs in id order (docs/realtime.md §4.4, docs/platform-api.md §5.4).
import { Backoff } from "../../lib/bayeux/backoff.js";
import { BayeuxClient, type BayeuxClientEvent } from "../../lib/bayeux/client.js";
import { realClock } from "../../lib/bayeux/clock.js";
import { longPollFetch, statusOf, type RestClient } from "./http.js";
import type { Operation } from "./operations.js";
import { describe, type Reports, type Wait } from "./reports.js";

/** A device the agent answers for: itself or one of its children. */
export interface Known {
  serial: string;
  kind: "agent" | "child";
  index: number;
}

/**
 * What became of an operation the session handed to the agent: `retry`, it could not be marked EXECUTING
 * because the platform is away (it stays queued); `not-taken`, the platform refused it (cancelled or deleted
 * meanwhile); `done`, carried out (its report is kept until acknowledged) or the agent restarts for it.
 */
export type Taken = "done" | "not-taken" | "retry";

/** What the session needs from its agent. */
export interface SessionHost {
  readonly reports: Reports;
  readonly random: () => number;
  execute(session: Session, rest: RestClient, op: Operation, known: Known | undefined): Promise<Taken>;
  /** Subscribed and connected (again). */
  online(reestablished: boolean): void;
  /** The Bayeux session is being re-established. */
  offline(): void;
  /** The session cannot go on (credentials or subscription refused). */
  sessionEnded(session: Session, why: string): void;
  trackWork<T>(p: Promise<T>): Promise<T>;
  logLine(line: string): void;
}

/** The fleet process exists to wait for operations: its timers keep it alive (while the platform is away, too). */
const fleetClock = realClock({ keepsProcessAlive: true });

export class Session {
  private readonly queue = new Map<string, Operation>();
  /** Taken in this session (reported, refused, or in a restart); the stream and the backlog may repeat one. */
  private readonly finished = new Set<string>();
  private current: string | undefined;
  /** A backlog query is due: a session was (re)established, or an operation could not be taken. */
  private syncDue = false;
  private readonly closer = new AbortController();
  private wakeUp: (() => void) | undefined;
  private readonly bayeux: BayeuxClient;

  constructor(
    private readonly host: SessionHost,
    private readonly rest: RestClient,
    private readonly agentId: string,
    private readonly known: Map<string, Known>,
    bayeuxUrl: string,
  ) {
    this.bayeux = new BayeuxClient({
      url: bayeuxUrl,
      log: (line) => host.logLine(line),
      clock: fleetClock,
      fetch: longPollFetch,
      random: host.random,
      headers: () => ({ authorization: rest.authorization }),
      // Under the 300 s Node's fetch waits for headers.
      holdMs: 55_000,
      backoffMs: 500,
      maxBackoffMs: 15_000,
      // A fleet probes an absent platform less often than the console's one subscriber, and comes back spread.
      probeMs: 500,
      maxProbeMs: 5_000,
      onEvent: (e) => this.onBayeux(e),
    });
    this.bayeux.subscribe(`/${agentId}`);
  }

  private get closed(): boolean {
    return this.closer.signal.aborted;
  }

  idOf(known: Known): string {
    for (const [id, k] of this.known) if (k === known) return id;
    return this.agentId;
  }

  start() {
    this.bayeux.start();
    void this.host.trackWork(this.run());
  }

  async close() {
    this.closer.abort();
    this.queue.clear();
    this.wake();
    await this.bayeux.stop();
  }

  private onBayeux(e: BayeuxClientEvent) {
    switch (e.type) {
      case "message":
        this.receive(e.data);
        return;
      case "session":
        // Subscribed and connected: a backlog query now cannot miss anything.
        this.host.online(e.gap);
        this.syncDue = true;
        this.wake();
        return;
      case "status":
        if (e.status === "reconnecting") this.host.offline();
        if (e.status === "refused")
          this.host.sessionEnded(this, "the platform refused the credentials (HTTP 401)");
        return;
      case "subscribe-failed":
        this.host.sessionEnded(this, `subscribing ${e.channel} was refused (${e.error})`);
        return;
      default:
        return;
    }
  }

  /** Ends a wait early: there is news (an operation, a session, the end). */
  private wake() {
    const wakeUp = this.wakeUp;
    this.wakeUp = undefined;
    wakeUp?.();
  }

  /** Waits `ms` unless woken first; false once the session is closed. */
  private readonly wait: Wait = (ms) =>
    new Promise((resolve) => {
      if (this.closed) return resolve(false);
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
      const closed = () => this.closed;
      function done() {
        clearTimeout(timer);
        resolve(!closed());
      }
    });

  /** Waits without a timer until something happens. */
  private idle(): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      this.wakeUp = resolve;
    });
  }

  /** The queue runner: reports first, then the backlog when due, then the oldest queued operation. */
  private async run() {
    const backoff = new Backoff(500, 5_000, this.host.random);
    let troubled = false;
    while (!this.closed) {
      try {
        if (!(await this.host.reports.deliver(this.rest, this.wait))) return;
        if (this.syncDue) {
          this.syncDue = false;
          await this.sync();
          if (troubled) this.host.logLine("operations listed again");
          troubled = false;
        }
        const op = this.next();
        if (!op) {
          await this.idle();
          continue;
        }
        this.current = op.id;
        const taken = await this.host.execute(this, this.rest, op, this.known.get(op.deviceId));
        this.current = undefined;
        if (taken === "retry") {
          this.queue.set(op.id, op);
          this.syncDue = true;
          if (!(await this.wait(backoff.next()))) return;
          continue;
        }
        this.finished.add(op.id);
        backoff.reset();
      } catch (err) {
        this.current = undefined;
        if (this.closed) return;
        if (statusOf(err) === 401) {
          this.host.sessionEnded(this, "the platform refused the credentials (HTTP 401)");
          return;
        }
        this.syncDue = true;
        if (!troubled) this.host.logLine(`could not list operations (${describe(err)}); retrying`);
        troubled = true;
        if (!(await this.wait(backoff.next()))) return;
      }
    }
  }

  /** The oldest queued operation (ids are numbers on the platform; compared as such). */
  private next(): Operation | undefined {
    let oldest: string | undefined;
    for (const id of this.queue.keys()) if (oldest === undefined || compareIds(id, oldest) < 0) oldest = id;
    if (oldest === undefined) return undefined;
    const op = this.queue.get(oldest)!;
    this.queue.delete(oldest);
    return op;
  }

  /** Whether an operation is the agent's to take now (not running, not taken, not waiting to be reported). */
  private takes(id: string): boolean {
    return id !== this.current && !this.finished.has(id) && !this.host.reports.has(id);
  }

  /** New operations from the stream. */
  private receive(data: unknown) {
    if (this.closed || typeof data !== "object" || data === null) return;
    const op = normalise(data as Operation);
    if (!op || (op.status !== undefined && op.status !== "PENDING") || !this.takes(op.id)) return;
    this.queue.set(op.id, op);
    this.wake();
  }

  /**
   * The backlog after every (re)established session: the agent's own EXECUTING operations (given before, but
   * not finished: e.g. marked EXECUTING while the answer was lost), then PENDING ones. The queue becomes exactly
   * what the platform still expects of the agent.
   */
  private async sync() {
    const executing = await listOperations(this.rest, this.agentId, "EXECUTING");
    const pending = await listOperations(this.rest, this.agentId, "PENDING");
    const listed = new Map([...executing, ...pending].map((op) => [op.id, op]));
    for (const id of this.finished) if (!listed.has(id)) this.finished.delete(id);
    for (const id of this.queue.keys()) if (!listed.has(id)) this.queue.delete(id);
    for (const op of listed.values()) if (this.takes(op.id)) this.queue.set(op.id, op);
  }
}

function normalise(op: Operation): Operation | undefined {
  if (op.id === undefined || op.deviceId === undefined) return undefined;
  return { ...op, id: String(op.id), deviceId: String(op.deviceId) };
}

/** Numeric ids by value, anything else as text. */
export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}

const PAGE_SIZE = 100;

/** Operations routed to the agent in one status, oldest first, all pages (bounded). */
export async function listOperations(
  rest: RestClient,
  agentId: string,
  status: string,
): Promise<Operation[]> {
  const out: Operation[] = [];
  for (let page = 1; page <= 50; page++) {
    const query = new URLSearchParams({
      agentId,
      status,
      pageSize: String(PAGE_SIZE),
      currentPage: String(page),
    });
    const { body } = await rest.get<{ operations?: Operation[] }>(`/devicecontrol/operations?${query}`, {
      accept: "operationCollection",
    });
    const items = body?.operations ?? [];
    for (const op of items) {
      const normalised = normalise(op);
      if (normalised) out.push(normalised);
    }
    if (items.length < PAGE_SIZE) break;
  }
  return out;
}
