/** A scheduled callback that can be called off. */
export interface Timer {
  cancel(): void;
}

/**
 * Time as the Bayeux client and the live plumbing see it. Everything that waits (back-off, watchdog, idle stop,
 * heartbeats, polling) goes through one of these, so tests drive time by hand instead of sleeping.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): Timer;
}

/**
 * The real clock. `keepsProcessAlive: false` unrefs its timers: a subscriber inside a server never keeps the
 * process alive on its own. A process whose whole job is the waiting (the simulated fleet) wants them ref'd.
 */
export function realClock(options: { keepsProcessAlive: boolean }): Clock {
  return {
    now: () => Date.now(),
    setTimeout(fn, ms) {
      const handle = setTimeout(fn, Math.max(0, ms));
      if (!options.keepsProcessAlive) handle.unref();
      return { cancel: () => clearTimeout(handle) };
    },
  };
}

/** The real clock with unref'd timers. */
export const systemClock: Clock = realClock({ keepsProcessAlive: false });

/** Resolves after `ms` on `clock`; rejects with the signal's reason when it aborts first. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      timer.cancel();
      reject(signal!.reason as Error);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
