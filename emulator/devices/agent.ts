// One simulated agent following the startup phase (shared seed, steps 0–6) over plain HTTP:
// knock for credentials, find or create itself and its children in the inventory, finish what a restart left
// EXECUTING, then listen for operations on the Bayeux agent endpoint and carry them out.
import { setTimeout as sleep } from "node:timers/promises";
import { Backoff } from "../../lib/bayeux/backoff.js";
import {
  agentModelFor,
  childSerial,
  describeAgent,
  describeChild,
  initialAgentState,
  initialChildState,
  type Description,
  type DeviceState,
} from "./catalogue.js";
import { RestClient, isTransient, seg, statusOf, type Credentials } from "./http.js";
import { DURATION_FACTOR, decide, operationType, type Operation, type Target } from "./operations.js";
import { Reports, describe, type Wait } from "./reports.js";
import { Session, listOperations, type Known, type SessionHost, type Taken } from "./session.js";
import { DeviceStore, type PendingReport, type StoredCredentials, type StoredState } from "./store.js";

export interface AgentOptions {
  /** Platform base URL. */
  url: string;
  /** Registration id, also the c8y_Serial external id. */
  serial: string;
  /** Number of child devices. */
  children: number;
  dataDir: string;
  /** The bootstrap user for step 0; only needed while the device has no credentials. */
  bootstrap: Credentials | undefined;
  /** Steady interval between credential requests (step 0), ms. */
  pollIntervalMs: number;
  /** Base duration of an operation, ms (firmware takes longer, commands less). */
  operationDurationMs: number;
  /** How long a reboot keeps the agent offline, ms. */
  rebootDurationMs: number;
  /** Share of operations that fail with a realistic reason, 0..1. */
  failureRate: number;
  /** Bayeux endpoint for agents (docs/platform-api.md §0a: also /devicecontrol/notifications). */
  notificationPath: string;
  random: () => number;
  now: () => number;
  log: (line: string) => void;
}

/** `reconnecting`: online before, its Bayeux session is being re-established (the platform may be away). */
export type AgentStatus = "knocking" | "starting" | "online" | "reconnecting" | "rebooting" | "stopped";

interface ManagedObject {
  id: string;
  self?: string;
  childDevices?: { references?: { managedObject?: { id?: string | number } }[] };
  [fragment: string]: unknown;
}

const RESTART_FAILURE = "The agent restarted while the operation was executing";

export class Agent implements SessionHost {
  private _status: AgentStatus = "knocking";
  private _managedObjectId: string | undefined;
  private readonly store: DeviceStore;
  private state: StoredState;
  private readonly stopper = new AbortController();
  private session: Session | undefined;
  private bootTime: number;
  private readonly work = new Set<Promise<unknown>>();
  /** Wait before starting over after a session the platform ended; reset once online. */
  private readonly restartBackoff: Backoff;
  /** Final statuses (and inventory updates) the platform has not acknowledged yet; on disk. */
  readonly reports: Reports;

  constructor(private readonly options: AgentOptions) {
    this.store = new DeviceStore(options.dataDir, options.serial);
    this.state = this.loadState();
    this.bootTime = options.now();
    this.reports = new Reports(this.store, (line) => this.log(line), options.random);
    this.restartBackoff = new Backoff(1_000, 60_000, options.random);
  }

  get random(): () => number {
    return this.options.random;
  }

  get serial(): string {
    return this.options.serial;
  }
  get status(): AgentStatus {
    return this._status;
  }
  /** The agent's managed object id once steps 1–3 are done. */
  get managedObjectId(): string | undefined {
    return this._managedObjectId;
  }
  get hasCredentials(): boolean {
    return this.store.readCredentials() !== undefined;
  }

  start(): void {
    void this.track(this.lifecycle());
  }

  /** Clean shutdown: disconnect Bayeux, stop polling, let running work notice the abort. */
  async stop(): Promise<void> {
    if (this.stopper.signal.aborted) return;
    this.stopper.abort();
    this._status = "stopped";
    const session = this.session;
    this.session = undefined;
    await session?.close();
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
  }

  private get stopped(): boolean {
    return this.stopper.signal.aborted;
  }

  private log(line: string) {
    this.options.log(`[${this.options.serial}] ${line}`);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.work.add(p);
    void p.then(
      () => this.work.delete(p),
      () => this.work.delete(p),
    );
    return p;
  }

  private loadState(): StoredState {
    const stored = this.store.readState();
    const state: StoredState = stored ?? { agent: initialAgentState(this.options.serial), children: {} };
    for (let i = 1; i <= this.options.children; i++) {
      const serial = childSerial(this.options.serial, i);
      state.children[serial] ??= initialChildState(serial, i);
    }
    return state;
  }

  /** Boots until online; on failure waits and tries again. Rejected credentials send the device back to step 0. */
  private async lifecycle(): Promise<void> {
    const backoff = new Backoff(1_000, 30_000, this.options.random);
    while (!this.stopped) {
      try {
        await this.boot();
        return;
      } catch (err) {
        if (this.stopped) return;
        if (statusOf(err) === 401) {
          // The device user is gone or disabled (docs/platform-fleet.md §4): knocking is the way back.
          this.log(
            "the platform rejected the stored credentials: forgetting them and requesting new ones (step 0)",
          );
          this.store.clearCredentials();
          continue;
        }
        const wait = backoff.next();
        this.log(`startup failed (${describe(err)}); retrying in ${(wait / 1000).toFixed(1)} s`);
        if (!(await this.pause(wait))) return;
      }
    }
  }

  /** Waits on the agent's own life: false once it is stopped. */
  private readonly pause: Wait = async (ms) => {
    try {
      await sleep(ms, undefined, { signal: this.stopper.signal });
      return true;
    } catch {
      return false;
    }
  };

  private async boot(): Promise<void> {
    const { serial } = this.options;
    this.store.writeState(this.state);
    const credentials = this.store.readCredentials() ?? (await this.requestCredentials());
    this._status = "starting";
    const rest = new RestClient(
      this.options.url,
      {
        tenant: credentials.tenantId || undefined,
        user: credentials.username,
        password: credentials.password,
      },
      this.stopper.signal,
    );

    // Steps 1–4: the agent itself.
    const agent = await this.ensureDevice(rest, serial, describeAgent(serial, this.state.agent));
    this._managedObjectId = agent.id;
    const known = new Map<string, Known>([[agent.id, { serial, kind: "agent", index: 0 }]]);

    // Step 5: children, linked under childDevices unless they are already.
    const linked = new Set(
      (agent.childDevices?.references ?? [])
        .map((r) => r.managedObject?.id)
        .filter((id) => id !== undefined)
        .map(String),
    );
    for (let i = 1; i <= this.options.children; i++) {
      const child = childSerial(serial, i);
      const mo = await this.ensureDevice(rest, child, describeChild(child, i, this.state.children[child]!));
      known.set(mo.id, { serial: child, kind: "child", index: i });
      if (linked.has(mo.id)) continue;
      const self = mo.self ?? new URL(`/inventory/managedObjects/${seg(mo.id)}`, this.options.url).href;
      try {
        await rest.post(
          `/inventory/managedObjects/${seg(agent.id)}/childDevices`,
          { managedObject: { self } },
          { type: "managedObjectReference", accept: "managedObjectReference" },
        );
        this.log(`step 5: linked child ${child} (${mo.id})`);
      } catch (err) {
        if (statusOf(err) !== 409) throw err; // 409: linked already, which is what we want
      }
    }

    // Outcomes an outage or a restart kept from the platform go first: they are not "interrupted".
    if (!(await this.reports.deliver(rest, this.pause))) return;
    // Step 6: what a restart left EXECUTING, then subscribe, connect, and only then look at the backlog.
    await this.finishInterrupted(rest, agent.id);
    if (this.stopped) return;
    const session = new Session(
      this,
      rest,
      agent.id,
      known,
      new URL(this.options.notificationPath, this.options.url).href,
    );
    this.session = session;
    session.start();
  }

  /** Step 0: ask for credentials at a steady pace until a user accepted the device; keep them on "disk". */
  private async requestCredentials(): Promise<StoredCredentials> {
    const { bootstrap, serial } = this.options;
    this._status = "knocking";
    if (!bootstrap)
      throw new Error("no stored credentials and no bootstrap password (C8Y_BOOTSTRAP_PASSWORD)");
    const rest = new RestClient(this.options.url, bootstrap, this.stopper.signal);
    this.log(`step 0: requesting credentials every ${this.options.pollIntervalMs / 1000} s until accepted`);
    let lastProblem = "";
    for (;;) {
      try {
        const res = await rest.post<Partial<StoredCredentials> & { tenantId?: string }>(
          "/devicecontrol/deviceCredentials",
          { id: serial },
          { type: "deviceCredentials", accept: "deviceCredentials" },
        );
        const { username, password, tenantId } = res.body ?? {};
        if (typeof username === "string" && typeof password === "string") {
          const credentials = { tenantId: typeof tenantId === "string" ? tenantId : "", username, password };
          this.store.writeCredentials(credentials);
          this.log(`step 0: accepted, credentials for ${tenantId ?? "?"}/${username} stored`);
          return credentials;
        }
        lastProblem = report(this, lastProblem, "credentials response without username/password");
      } catch (err) {
        if (this.stopped) throw err;
        // 404 is the normal answer until a user registered and accepted the device.
        if (statusOf(err) !== 404) lastProblem = report(this, lastProblem, describe(err));
      }
      await sleep(this.options.pollIntervalMs, undefined, { signal: this.stopper.signal });
    }

    function report(self: Agent, last: string, problem: string): string {
      if (problem !== last) self.log(`step 0: ${problem}; still trying`);
      return problem;
    }
  }

  /** Steps 1–4 for one device: look up by c8y_Serial; create and bind when absent, else PUT changed fragments. */
  private async ensureDevice(
    rest: RestClient,
    serial: string,
    description: Description,
    attempt = 0,
  ): Promise<ManagedObject> {
    const existing = await lookUp(rest, serial);
    if (existing) {
      const { body: mo } = await rest.get<ManagedObject>(`/inventory/managedObjects/${seg(existing)}`, {
        accept: "managedObject",
      });
      const changed = changedFragments(mo, description.fragments);
      const names = Object.keys(changed);
      if (names.length > 0) {
        // Never the name: users may have renamed the device (docs/startup-phase.md, step 4).
        await rest.put(`/inventory/managedObjects/${seg(existing)}`, changed, {
          type: "managedObject",
          accept: "managedObject",
        });
        this.log(`step 4: ${serial} (${existing}) updated ${names.join(", ")}`);
        for (const n of names) mo[n] = changed[n];
      }
      return { ...mo, id: existing };
    }
    const { body: created } = await rest.post<ManagedObject>(
      "/inventory/managedObjects",
      { name: description.name, type: description.type, ...description.fragments },
      { type: "managedObject", accept: "managedObject" },
    );
    if (!created || typeof created.id !== "string")
      throw new Error("inventory did not return the created object");
    try {
      await rest.post(
        `/identity/globalIds/${seg(created.id)}/externalIds`,
        { type: "c8y_Serial", externalId: serial },
        { type: "externalId", accept: "externalId" },
      );
    } catch (err) {
      // Someone bound this serial in the meantime: use that object and drop the duplicate we just made.
      if (statusOf(err) !== 409 || attempt > 0) throw err;
      await rest.delete(`/inventory/managedObjects/${seg(created.id)}`).catch(() => undefined);
      return this.ensureDevice(rest, serial, description, attempt + 1);
    }
    this.log(`steps 2–3: created ${serial} as ${created.id} and bound c8y_Serial`);
    return created;
  }

  /** Step 6, first half: a restart the agent performed is done now; anything else it was doing was cut off. */
  private async finishInterrupted(rest: RestClient, agentId: string): Promise<void> {
    for (const op of await listOperations(rest, agentId, "EXECUTING")) {
      if (this.reports.has(op.id)) continue;
      const update: PendingReport["update"] =
        "c8y_Restart" in op ? { status: "SUCCESSFUL" } : { status: "FAILED", failureReason: RESTART_FAILURE };
      this.reports.add({ operationId: op.id, update, type: operationType(op) ?? "?", context: "step 6" });
    }
    await this.reports.deliver(rest, this.pause);
  }

  // ---- used by the session ----------------------------------------------------------------------------------

  online(reestablished: boolean) {
    this._status = "online";
    this.restartBackoff.reset();
    this.log(
      reestablished
        ? "notifications re-established: looking for EXECUTING and PENDING operations again"
        : "connected: looking for PENDING operations",
    );
  }

  offline() {
    if (this._status === "online") this._status = "reconnecting";
  }

  /** The session cannot go on: start over from the startup phase (a 401 there sends it to step 0). */
  sessionEnded(session: Session, why: string) {
    // Both the stream and a REST call may notice; only the first for the current session starts over.
    if (this.stopped || this.session !== session) return;
    this.log(`${why}: starting over`);
    this.session = undefined;
    this._status = "starting";
    // A platform that keeps refusing the session while REST works must not make the agent spin.
    const wait = this.restartBackoff.next();
    void this.track(
      (async () => {
        await session.close();
        if (await this.pause(wait)) await this.lifecycle();
      })(),
    );
  }

  trackWork<T>(p: Promise<T>): Promise<T> {
    return this.track(p);
  }

  logLine(line: string) {
    this.log(line);
  }

  /**
   * Carries out one operation: EXECUTING (unless it is already, taken again after an outage), the work, then the
   * outcome into `reports` (a restart finishes after boot). A 401 is thrown for the session to handle.
   */
  async execute(session: Session, rest: RestClient, op: Operation, known: Known | undefined): Promise<Taken> {
    const type = operationType(op) ?? "?";
    if (op.status !== "EXECUTING") {
      try {
        await rest.put(
          `/devicecontrol/operations/${seg(op.id)}`,
          { status: "EXECUTING" },
          { type: "operation", accept: "operation" },
        );
      } catch (err) {
        if (statusOf(err) === 401) throw err;
        if (isTransient(err)) {
          this.log(
            `operation ${op.id} (${type}) could not be marked EXECUTING (${describe(err)}): kept queued`,
          );
          return "retry";
        }
        // Cancelled or deleted by someone else meanwhile.
        this.log(`operation ${op.id} not taken: ${describe(err)}`);
        return "not-taken";
      }
    }
    const report = (fields: Omit<PendingReport, "operationId" | "type">) =>
      this.reports.add({ operationId: op.id, type, ...fields });
    if (!known) {
      report({
        update: {
          status: "FAILED",
          failureReason: `Device ${op.deviceId} is not managed by agent ${this.options.serial}`,
        },
      });
      return "done";
    }
    const target = this.target(known);
    const outcome = decide(op, target, {
      failureRate: this.options.failureRate,
      random: this.options.random,
    });
    const base =
      type === "c8y_Restart" && known.kind === "child"
        ? this.options.rebootDurationMs
        : this.options.operationDurationMs * (DURATION_FACTOR[type] ?? 0.3);
    // The work goes on while the platform is away (it is the device's, not the connection's); only a shutdown
    // cuts it off, and then the operation stays EXECUTING until the next start settles it.
    if (outcome.kind !== "restart" && base > 0) {
      const jitter = 0.7 + 0.6 * this.options.random();
      if (!(await this.pause(Math.round(base * jitter)))) return "done";
    }
    switch (outcome.kind) {
      case "restart":
        this.log(`operation ${op.id}: restarting now`);
        void this.track(this.reboot());
        return "done";
      case "failure":
        report({ update: { status: "FAILED", failureReason: outcome.reason, ...outcome.report } });
        return "done";
      case "success":
        if (outcome.state) this.saveState(known, outcome.state);
        report({
          update: { status: "SUCCESSFUL", ...outcome.report },
          ...(outcome.inventory
            ? { inventory: { managedObjectId: session.idOf(known), fragments: outcome.inventory } }
            : {}),
        });
        return "done";
    }
  }

  private target(known: Known): Target {
    const { serial } = this.options;
    if (known.kind === "agent") {
      const model = agentModelFor(serial);
      const description = describeAgent(serial, this.state.agent);
      return {
        serial,
        name: description.name,
        kind: "agent",
        supportedOperations: model.supportedOperations,
        state: this.state.agent,
        shell: {
          hostname: `${model.key}-${serial}`.toLowerCase().replace(/[^a-z0-9-]/g, "-"),
          os: model.os,
          bootTime: this.bootTime,
          now: this.options.now(),
        },
      };
    }
    const state = this.state.children[known.serial]!;
    const description = describeChild(known.serial, known.index, state);
    return {
      serial: known.serial,
      name: description.name,
      kind: "child",
      supportedOperations: description.fragments.c8y_SupportedOperations as string[],
      state,
    };
  }

  private saveState(known: Known, state: DeviceState) {
    if (known.kind === "agent") this.state.agent = state;
    else this.state.children[known.serial] = state;
    this.store.writeState(this.state);
  }

  /** c8y_Restart: drop the connection, stay away for a while, then go through the startup phase again. */
  private async reboot(): Promise<void> {
    this._status = "rebooting";
    this.log("rebooting: disconnecting");
    const session = this.session;
    this.session = undefined;
    await session?.close();
    if (!(await this.pause(this.options.rebootDurationMs))) return;
    this.bootTime = this.options.now();
    this.log("back after reboot");
    await this.lifecycle();
  }
}

async function lookUp(rest: RestClient, serial: string): Promise<string | undefined> {
  try {
    const { body } = await rest.get<{ managedObject?: { id?: unknown } }>(
      `/identity/externalIds/c8y_Serial/${seg(serial)}`,
      { accept: "externalId" },
    );
    const id = body?.managedObject?.id;
    if (typeof id !== "string" && typeof id !== "number")
      throw new Error("identity answer without managedObject.id");
    return String(id);
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

/** The fragments whose inventory value differs from what the device has (order-insensitive for object keys). */
export function changedFragments(
  current: Record<string, unknown>,
  desired: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(desired)) {
    if (canonical(current[name]) !== canonical(value)) out[name] = value;
  }
  return out;
}

function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
          )
        : v,
    ) ?? "undefined"
  );
}
