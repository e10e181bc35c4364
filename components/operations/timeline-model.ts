import {
  isFinalStatus,
  type OperationDto,
  type OperationStatus,
  type StaleAfter,
} from "@/lib/schemas/operations";

/**
 * The timeline of one operation from what is known (docs/operations-ui.md, "Timeline"): creationTime is exact,
 * later statuses carry the time the console saw them, exact when it saw the change itself.
 */
export interface TimelineStep {
  status: OperationStatus;
  /** When the status began (exact) or was first noticed (not exact); null when never observed. */
  at: string | null;
  exact: boolean;
  /** Not exact: the status began after this time (the last sighting of the previous one), when known. */
  after: string | null;
  /** Time spent in this status (up to now for the current one); null when unknown. */
  durationMs: number | null;
  /** The duration rests on a time that is not exact. */
  approximate: boolean;
  /** The status the operation is in now, and not final: the clock is still running. */
  running: boolean;
}

export function buildTimeline(op: OperationDto, now: number): TimelineStep[] {
  const steps: TimelineStep[] = op.history.map((e) => ({
    status: e.status,
    at: e.at,
    exact: e.exact,
    after: e.after,
    durationMs: null,
    approximate: !e.exact,
    running: false,
  }));
  // A successful operation went through EXECUTING, even when nobody saw it happen.
  if (op.status === "SUCCESSFUL" && !steps.some((s) => s.status === "EXECUTING")) {
    const at = steps.findIndex((s) => s.status === "SUCCESSFUL");
    steps.splice(at < 0 ? steps.length : at, 0, {
      status: "EXECUTING",
      at: null,
      exact: false,
      after: null,
      durationMs: null,
      approximate: true,
      running: false,
    });
  }
  steps.forEach((step, i) => {
    if (step.at === null) return;
    // A step followed by one that was never observed has no known end.
    const next = steps[i + 1];
    const start = Date.parse(step.at);
    if (next) {
      if (next.at === null) return;
      step.durationMs = Math.max(0, Date.parse(next.at) - start);
      step.approximate = !step.exact || !next.exact;
    } else if (i === steps.length - 1 && step.status === op.status && !isFinalStatus(op.status)) {
      step.durationMs = Math.max(0, now - start);
      step.running = true;
    }
  });
  return steps;
}

/**
 * When the operation entered its current status, at the earliest it can have: the exact time when known, else
 * the last time the previous status was seen, else the time of the previous status (creation). The stale badge
 * errs towards showing: a stuck operation that goes unflagged is what operators complain about.
 */
export function enteredCurrentStatus(op: OperationDto): number | null {
  const index = op.history.findIndex((e) => e.status === op.status);
  const entry = op.history[index];
  if (!entry) return Date.parse(op.creationTime);
  if (entry.exact) return Date.parse(entry.at);
  if (entry.after) return Date.parse(entry.after);
  const before = op.history[index - 1];
  return before ? Date.parse(before.at) : Date.parse(entry.at);
}

export interface Staleness {
  /** How long it has been in the status, at least (ms). */
  forMs: number;
  thresholdMs: number;
}

/** Whether a PENDING / EXECUTING operation has been in its status longer than the threshold; null if not. */
export function staleness(op: OperationDto, staleAfter: StaleAfter, now: number): Staleness | null {
  if (op.status !== "PENDING" && op.status !== "EXECUTING") return null;
  const since = enteredCurrentStatus(op);
  if (since === null || Number.isNaN(since)) return null;
  const forMs = now - since;
  const thresholdMs = staleAfter[op.status];
  return forMs > thresholdMs ? { forMs, thresholdMs } : null;
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
  return `${what} for ${formatDuration(s.forMs)} (threshold ${formatDuration(s.thresholdMs)})`;
}
