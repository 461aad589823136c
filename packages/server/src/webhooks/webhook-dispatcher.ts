import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { type PollingLoop, startPollingLoop } from '../jobs/polling-loop.js';
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
  const passOptions = {
    now: options.now,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    stopping: () => loop.stopped(),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  };
  const loop: PollingLoop = startPollingLoop({
    pollMs,
    log: options.log,
    failure: 'webhook delivery pass failed; the next poll tries again',
    pass: async () => {
      const pass = await deliverDueWebhooks(db, passOptions);
      if (pass.dead > 0) options.log.warn?.({ dead: pass.dead }, 'webhook deliveries gave up: dead');
      return pass;
    },
  });
  return {
    nudge: () => loop.nudge(),
    deliverDue: async () => (await loop.track(deliverDueWebhooks(db, passOptions))).attempted,
    // A pass notices the stop between batches; waiting for them waits for the sends in flight.
    stop: () => loop.stop(),
  };
}
