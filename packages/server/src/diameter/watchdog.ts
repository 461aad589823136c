import { performance } from 'node:perf_hooks';

export interface WatchdogActions {
  /** Send a Device-Watchdog-Request. */
  probe(): void;
  /** The peer stopped answering: close the connection. */
  fail(): void;
}

/**
 * RFC 3539 3.4.1, for one connection: after Tw without any message from the peer, send a DWR;
 * when Tw passes again with that DWR unanswered the connection is SUSPECT, and after one more
 * Tw it is DOWN and closed. Any message from the peer makes it OKAY again. Instead of resetting
 * a timer on every message, the timer checks when the peer was last heard from.
 */
export class Watchdog {
  private lastHeardMs = performance.now();
  private pending = false;
  private suspect = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly actions: WatchdogActions,
  ) {
    this.schedule(intervalMs);
  }

  heard(isWatchdogAnswer: boolean): void {
    this.lastHeardMs = performance.now();
    this.suspect = false;
    if (isWatchdogAnswer) this.pending = false;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => this.expire(), Math.max(1, delayMs));
    this.timer.unref();
  }

  private expire(): void {
    const idleMs = performance.now() - this.lastHeardMs;
    if (idleMs < this.intervalMs) {
      this.schedule(this.intervalMs - idleMs);
      return;
    }
    if (!this.pending) {
      this.pending = true;
      this.actions.probe();
    } else if (!this.suspect) {
      this.suspect = true;
    } else {
      this.stop();
      this.actions.fail();
      return;
    }
    this.lastHeardMs = performance.now();
    this.schedule(this.intervalMs);
  }
}
