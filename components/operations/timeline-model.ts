import type { HistoryChange, HistoryDto } from "@/lib/schemas/audit";
import {
  isFinalStatus,
  operationStatusSchema,
  supersedes,
  type OperationDto,
  type OperationStatus,
  type StaleAfter,
} from "@/lib/schemas/operations";

/**
 * The timeline of one operation (docs/operations-ui.md, "Timeline"): the platform's audit records say when each
 * status began and who set it; the operation itself (kept current by live events) says where it is now.
 */
export interface TimelineStep {
  /** The audit record's id; `current` for the status the records do not show yet. */
  key: string;
  /** The status the step entered; null for a change that left the status alone. */
  status: OperationStatus | null;
  activity: string;
  /** When it happened (the platform's clock); null when no record says so. */
  at: string | null;
  /** Who made the change; null when unknown. */
  user: string | null;
  /** Other attributes the change touched (the failure reason, …). */
  changes: HistoryChange[];
  /** Time spent in this status (up to now for the current one); null when unknown or not a status. */
  durationMs: number | null;
  /** The status the operation is in now, and not final: the clock is still running. */
  running: boolean;
}

const asStatus = (value: string | null): OperationStatus | null => {
  const parsed = operationStatusSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
};

export function buildTimeline(op: OperationDto, history: HistoryDto, now: number): TimelineStep[] {
  const steps: TimelineStep[] = history.entries.map((e) => ({
    key: e.id,
    status: asStatus(e.status),
    activity: e.activity,
    at: e.time,
    user: e.user,
    changes: e.changes,
    durationMs: null,
    running: false,
  }));
  const statusSteps = steps.filter((s) => s.status !== null);
  const last = statusSteps.at(-1)?.status ?? undefined;
  // The operation moved on and its record is not read yet (the refetch is on its way), or was never kept.
  if (last !== op.status && supersedes(op.status, last))
    steps.push({
      key: "current",
      status: op.status,
      activity: "Not in the audit records yet",
      at: null,
      user: null,
      changes: [],
      durationMs: null,
      running: false,
    });
  const withStatus = steps.filter((s) => s.status !== null);
  withStatus.forEach((step, i) => {
    if (step.at === null) return;
    const start = Date.parse(step.at);
    const next = withStatus[i + 1];
    if (next) {
      if (next.at !== null) step.durationMs = Math.max(0, Date.parse(next.at) - start);
    } else if (step.status === op.status && !isFinalStatus(op.status)) {
      // The platform's clock and this browser's may differ a little: never a negative time.
      step.durationMs = Math.max(0, now - start);
      step.running = true;
    }
  });
  return steps;
}

export interface StatusSince {
  /** When the operation entered its current status (ms), at the earliest it can have. */
  at: number;
  /** From the audit record of the change; otherwise the creation time, a lower bound. */
  exact: boolean;
}

/**
 * When the operation entered its current status. Creation is when it became PENDING; later statuses need the
 * history, when it is in the cache (an open timeline). Without it the creation time stands in: the stale badge
 * errs towards showing, as a stuck operation that goes unflagged is what operators complain about.
 */
export function enteredCurrentStatus(op: OperationDto, history?: HistoryDto): StatusSince {
  const entry = history?.entries.findLast((e) => e.status === op.status);
  if (entry) return { at: Date.parse(entry.time), exact: true };
  return { at: Date.parse(op.creationTime), exact: op.status === "PENDING" };
}

export interface Staleness {
  /** How long it has been in the status (exact), or since it was created (not exact), in ms. */
  forMs: number;
  exact: boolean;
  thresholdMs: number;
}

/** Whether a PENDING / EXECUTING operation has been in its status longer than the threshold; null if not. */
export function staleness(
  op: OperationDto,
  staleAfter: StaleAfter,
  now: number,
  history?: HistoryDto,
): Staleness | null {
  if (op.status !== "PENDING" && op.status !== "EXECUTING") return null;
  const since = enteredCurrentStatus(op, history);
  if (Number.isNaN(since.at)) return null;
  const forMs = now - since.at;
  const thresholdMs = staleAfter[op.status];
  return forMs > thresholdMs ? { forMs, exact: since.exact, thresholdMs } : null;
}

/** "850 ms", "42 s", "3 min 5 s", "2 h 10 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

export function staleTitle(op: OperationDto, s: Staleness): string {
  const what = op.status === "PENDING" ? "Pending" : "Executing";
  const threshold = `threshold ${formatDuration(s.thresholdMs)}`;
  return s.exact
    ? `${what} for ${formatDuration(s.forMs)} (${threshold})`
    : `${what}, sent ${formatDuration(s.forMs)} ago (${threshold})`;
}
