/**
 * Periodic work of the platform (the availability and connection check). Together with the platform's `now` this
 * is the time seam: the real one runs on unref'd intervals, tests pass one they advance by hand.
 */
export interface Scheduler {
  /** Runs `task` every `ms` until the returned function is called. */
  every(ms: number, task: () => void): () => void;
}

/** Real intervals, unref'd: the platform's periodic checks never keep a process alive on their own. */
export const intervalScheduler: Scheduler = {
  every(ms, task) {
    const handle = setInterval(task, Math.max(1, ms));
    handle.unref();
    return () => clearInterval(handle);
  },
};
