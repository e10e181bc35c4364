/**
 * Timed work of the platform (the availability and connection check, bulk operations that create their single
 * operations over time). Together with the platform's `now` this is the time seam: the real one runs on unref'd
 * timers, tests pass one they advance by hand.
 */
export interface Scheduler {
  /** Runs `task` every `ms` until the returned function is called. */
  every(ms: number, task: () => void): () => void;
  /** Runs `task` once, `ms` from now, unless the returned function is called first. */
  after(ms: number, task: () => void): () => void;
}

/** The longest delay a Node timer takes; longer ones would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Real timers, unref'd: the platform's timed work never keeps a process alive on its own. */
export const intervalScheduler: Scheduler = {
  every(ms, task) {
    const handle = setInterval(task, Math.max(1, ms));
    handle.unref();
    return () => clearInterval(handle);
  },
  after(ms, task) {
    // Callers that wait longer than a timer can (a bulk operation scheduled months ahead) re-check when woken.
    const handle = setTimeout(task, Math.min(Math.max(0, ms), MAX_TIMER_MS));
    handle.unref();
    return () => clearTimeout(handle);
  },
};
