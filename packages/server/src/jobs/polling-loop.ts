export interface PollingLoopLog {
  error(object: unknown, message: string): void;
}

export interface PollingLoop {
  /** Run a pass soon. */
  nudge(): void;
  /** Stop polling and wait for the passes in flight. */
  stop(): Promise<void>;
  /** Track work run outside the timer (a pass on demand), so stop() waits for it too. */
  track<T>(work: Promise<T>): Promise<T>;
  readonly stopped: () => boolean;
}

/**
 * Runs `pass` every pollMs and on nudge(), one at a time from the timer; a pass that says more is
 * due runs again at once. A failed pass is logged and the next poll tries again: nothing here
 * throws into the event loop, even a logger that throws. The first pass runs after firstDelayMs.
 */
export function startPollingLoop(options: {
  readonly pollMs: number;
  readonly firstDelayMs?: number;
  readonly log: PollingLoopLog;
  readonly failure: string;
  readonly pass: () => Promise<{ readonly moreDue: boolean }>;
}): PollingLoop {
  const { pollMs } = options;
  if (!(pollMs > 0)) throw new Error(`startPollingLoop: pollMs ${pollMs} is not positive`);
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let polling = false;
  let nudged = false;
  const inFlight = new Set<Promise<unknown>>();

  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.then(
      () => inFlight.delete(work),
      () => inFlight.delete(work),
    );
    return work;
  };

  const schedule = (delayMs: number) => {
    if (stopped) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(poll, delayMs);
    timer.unref();
  };

  function poll(): void {
    timer = null;
    if (stopped) return;
    if (polling) {
      nudged = true;
      return;
    }
    polling = true;
    nudged = false;
    void track(
      options.pass().then(
        (pass) => pass.moreDue,
        (error: unknown) => {
          options.log.error({ err: error }, options.failure);
          return false;
        },
      ),
    )
      .catch(() => false)
      .then((moreDue) => {
        polling = false;
        schedule(moreDue || nudged ? 0 : pollMs);
      });
  }

  schedule(options.firstDelayMs ?? pollMs);
  return {
    nudge: () => {
      if (polling) nudged = true;
      else schedule(0);
    },
    track,
    stopped: () => stopped,
    stop: async () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
