import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { claimDueDeliveries } from './claim-due-deliveries.js';
import { type RecordedAttempt, recordDeliveryAttempt } from './record-delivery-attempt.js';
import { sendWebhook } from './send-webhook.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_BATCH_SIZE = 20;
/** Batches per pass: a pass ends, and says more is due, rather than running without bound. */
export const DEFAULT_MAX_BATCHES = 25;
/** The lease is the timeout and this margin: room to record the attempt before another process may retry. */
const LEASE_MARGIN_MS = 30_000;

export interface DeliverDueOptions {
  readonly now: () => Date;
  readonly timeoutMs?: number;
  /** Deliveries claimed and sent at once. */
  readonly batchSize?: number;
  readonly maxBatches?: number;
  readonly fetch?: typeof fetch;
  /** Asked between batches: a stopping dispatcher finishes the batch in flight and claims no more. */
  readonly stopping?: () => boolean;
}

export interface WebhookPassSummary {
  /** HTTP attempts made. */
  readonly attempted: number;
  readonly delivered: number;
  /** Failed attempts that will be retried. */
  readonly retrying: number;
  /** Failed attempts that made their delivery dead. */
  readonly dead: number;
  /** Attempts whose delivery was replayed or taken over meanwhile. */
  readonly superseded: number;
  /** The pass stopped at its batch limit with deliveries still due. */
  readonly moreDue: boolean;
}

/**
 * One pass over the due deliveries of every tenant: claim a batch, send it (in parallel), record
 * each attempt, and again until nothing is due or the batch limit is reached. Infrastructure
 * failures (the database) are thrown once the batch in flight has finished; receivers' failures are
 * recorded attempts, not errors.
 */
export async function deliverDueWebhooks(
  db: Kysely<Database>,
  options: DeliverDueOptions,
): Promise<WebhookPassSummary> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxBatches = options.maxBatches ?? DEFAULT_MAX_BATCHES;
  const send = { now: options.now, timeoutMs, fetch: options.fetch ?? globalThis.fetch };
  if (!(timeoutMs > 0 && Number.isInteger(batchSize) && batchSize > 0 && maxBatches > 0))
    throw new Error(`deliverDueWebhooks: bad limits ${JSON.stringify({ timeoutMs, batchSize, maxBatches })}`);
  const tally: Record<RecordedAttempt, number> = { delivered: 0, retrying: 0, dead: 0, superseded: 0 };
  for (let batch = 0; batch < maxBatches; batch++) {
    if (options.stopping?.() === true) break;
    const claimed = await claimDueDeliveries(db, options.now(), timeoutMs + LEASE_MARGIN_MS, batchSize);
    const settled = await Promise.allSettled(
      claimed.map(async (delivery) => recordDeliveryAttempt(db, delivery, await sendWebhook(delivery, send))),
    );
    for (const result of settled) if (result.status === 'fulfilled') tally[result.value]++;
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    if (claimed.length < batchSize) return summary(tally, false);
  }
  return summary(tally, options.stopping?.() !== true);
}

function summary(tally: Record<RecordedAttempt, number>, moreDue: boolean): WebhookPassSummary {
  return {
    attempted: tally.delivered + tally.retrying + tally.dead + tally.superseded,
    ...tally,
    moreDue,
  };
}
