// What a simulated device keeps on its "disk": the credentials it got in step 0 (so a restart skips step 0), its
// actual state (configuration, firmware, software) for itself and its children, and the final statuses the
// platform has not acknowledged yet (so neither an outage nor a restart loses them). One folder per agent.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DeviceState } from "./catalogue.js";

export interface StoredCredentials {
  tenantId: string;
  username: string;
  password: string;
}

export interface StoredState {
  agent: DeviceState;
  /** By child serial. */
  children: Record<string, DeviceState>;
}

/**
 * The outcome of an operation the agent still has to report: first the inventory fragments (when the operation
 * changed the device), then the final status. Kept until the platform acknowledged both.
 */
export interface PendingReport {
  operationId: string;
  /** The body of the final `PUT /devicecontrol/operations/{id}`: status, failureReason, result fragments. */
  update: { status: "SUCCESSFUL" | "FAILED"; failureReason?: string; [fragment: string]: unknown };
  inventory?: { managedObjectId: string; fragments: Record<string, unknown> };
  /** For the log: the operation's fragment, and where the report comes from (e.g. "step 6"). */
  type?: string;
  context?: string;
}

/** File names from registration ids: keep them readable, but never let an id escape the data dir. */
export function folderName(serial: string): string {
  const escape = (c: string) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
  // "." and ".." are safe characters but not safe names.
  if (/^\.*$/.test(serial)) return serial.replace(/./g, escape) || "%";
  return serial.replace(/[^A-Za-z0-9._-]/g, escape);
}

export class DeviceStore {
  readonly dir: string;

  constructor(dataDir: string, serial: string) {
    this.dir = join(dataDir, folderName(serial));
  }

  private ensureDir() {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  private get credentialsFile() {
    return join(this.dir, "credentials.json");
  }

  private get stateFile() {
    return join(this.dir, "state.json");
  }

  private get reportsFile() {
    return join(this.dir, "pending-reports.json");
  }

  readCredentials(): StoredCredentials | undefined {
    const value = readJson(this.credentialsFile) as Partial<StoredCredentials> | undefined;
    if (!value || typeof value.username !== "string" || typeof value.password !== "string") return undefined;
    return {
      tenantId: typeof value.tenantId === "string" ? value.tenantId : "",
      username: value.username,
      password: value.password,
    };
  }

  writeCredentials(c: StoredCredentials): void {
    this.ensureDir();
    writeAtomic(this.credentialsFile, JSON.stringify(c, null, 2) + "\n", 0o600);
  }

  /** Forget credentials the platform no longer accepts, so the device knocks again (step 0). */
  clearCredentials(): void {
    rmSync(this.credentialsFile, { force: true });
  }

  readState(): StoredState | undefined {
    const value = readJson(this.stateFile) as Partial<StoredState> | undefined;
    if (!value || typeof value.agent !== "object" || value.agent === null) return undefined;
    return { agent: value.agent, children: value.children ?? {} };
  }

  writeState(state: StoredState): void {
    this.ensureDir();
    writeAtomic(this.stateFile, JSON.stringify(state, null, 2) + "\n", 0o600);
  }

  /** Unacknowledged reports, oldest first; entries that are not well-formed are left out. */
  readReports(): PendingReport[] {
    const value = readJson(this.reportsFile);
    if (!Array.isArray(value)) return [];
    return value.filter(
      (r): r is PendingReport =>
        typeof r === "object" &&
        r !== null &&
        typeof (r as PendingReport).operationId === "string" &&
        typeof (r as PendingReport).update === "object" &&
        (r as PendingReport).update !== null,
    );
  }

  writeReports(reports: readonly PendingReport[]): void {
    if (reports.length === 0) {
      rmSync(this.reportsFile, { force: true });
      return;
    }
    this.ensureDir();
    writeAtomic(this.reportsFile, JSON.stringify(reports, null, 2) + "\n", 0o600);
  }
}

function readJson(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

// Write-then-rename so a crash never leaves half a credentials file behind.
function writeAtomic(file: string, text: string, mode: number) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}
