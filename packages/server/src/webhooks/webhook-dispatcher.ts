import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_TIMEOUT_MS, deliverDueWebhooks } from './deliver-due-webhooks.js';

export const DEFAULT_POLL_MS = 2000;

export interface WebhookDispatcherLog {
  error(object: unknown, message: string): void;
  warn?(object: unknown, message: string): void;
}

export interface WebhookDispatcherOptions {
  readonly now: () => Date;
  readonly log: WebhookDispatcherLog;
  /** Time between passes when nothing nudges (default 2000). */
  readonly pollMs?: number;
  /** Deliveries sent at once (default 20). */
  readonly batchSize?: number;
  /** Per HTTP request (default 10 000). */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

export interface WebhookDispatcher {
  /** Run a pass soon (after an event was recorded, a delivery replayed). */
  nudge(): void;
  /** Stop polling and wait for the sends in flight to be recorded. */
  stop(): Promise<void>;
  /** One pass now; resolves to the number of attempts made. Errors are thrown to the caller. */
  deliverDue(): Promise<number>;
}

/**
 * Sends due webhook deliveries from this process: a pass every pollMs and on nudge(), one pass at a
 * time from the timer (deliverDue() may run beside it: claims keep passes apart, here as across
 * processes). A failed pass (the database down) is logged and the next poll tries again; nothing
 * here throws into the event loop. The first pass runs after pollMs.
 */
export function startWebhookDispatcher(
  db: Kysely<Database>,
  options: WebhookDispatcherOptions,
): WebhookDispatcher {
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  if (!(pollMs > 0)) throw new Error(`startWebhookDispatcher: pollMs ${pollMs} is not positive`);
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let polling = false;
  let nudged = false;
  const inFlight = new Set<Promise<unknown>>();
  const passOptions = {
    now: options.now,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    stopping: () => stopped,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  };

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
      deliverDueWebhooks(db, passOptions).then(
        (pass) => {
          if (pass.dead > 0) options.log.warn?.({ dead: pass.dead }, 'webhook deliveries gave up: dead');
          return pass.moreDue;
        },
        (error: unknown) => {
          options.log.error({ err: error }, 'webhook delivery pass failed; the next poll tries again');
          return false;
        },
      ),
    )
      // Even a logger that throws must not stop the polling, nor reach the event loop.
      .catch(() => false)
      .then((moreDue) => {
        polling = false;
        schedule(moreDue || nudged ? 0 : pollMs);
      });
  }

  schedule(pollMs);
  return {
    nudge: () => {
      if (polling) nudged = true;
      else schedule(0);
    },
    deliverDue: async () => (await track(deliverDueWebhooks(db, passOptions))).attempted,
    stop: async () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      // A pass notices `stopped` between batches; waiting for all of them waits for the sends in flight.
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
