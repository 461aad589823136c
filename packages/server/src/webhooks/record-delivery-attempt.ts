import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { ClaimedDelivery } from './claim-due-deliveries.js';
import type { WebhookAttemptOutcome } from './send-webhook.js';
import { nextWebhookAttemptAt } from './webhook-retry-schedule.js';

/**
 * What became of the delivery: delivered, retried later, dead (its retry window is over), or
 * superseded (it was replayed, or its lease ran out and another process took it, while this
 * attempt was in flight: the attempt is logged, the delivery's state is the newer claim's).
 */
export type RecordedAttempt = 'delivered' | 'retrying' | 'dead' | 'superseded';

const MAX_ERROR_LENGTH = 1000;

/**
 * Logs an attempt and moves its delivery on, in one transaction after the HTTP request: a 2xx
 * delivers it; a failure schedules the next attempt (webhook-retry-schedule.ts) or, past the
 * event's retry window, makes it dead.
 */
export async function recordDeliveryAttempt(
  db: Kysely<Database>,
  delivery: ClaimedDelivery,
  outcome: WebhookAttemptOutcome,
): Promise<RecordedAttempt> {
  return db.transaction().execute(async (trx): Promise<RecordedAttempt> => {
    const current = await trx
      .selectFrom('webhook_deliveries')
      .select(['status', 'attempts', 'next_attempt_at'])
      .where('id', '=', delivery.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const attempt = current.attempts + 1;
    const error = outcome.error === null ? null : outcome.error.slice(0, MAX_ERROR_LENGTH);
    await trx
      .insertInto('webhook_delivery_attempts')
      .values({
        tenant_id: delivery.tenantId,
        delivery_id: delivery.id,
        attempt,
        attempted_at: outcome.attemptedAt,
        status_code: outcome.statusCode,
        error,
        duration_ms: outcome.durationMs,
      })
      .execute();
    const last = {
      attempts: attempt,
      last_attempt_at: outcome.attemptedAt,
      last_status_code: outcome.statusCode,
      last_error: error,
    };
    const stillOurs =
      current.status === 'pending' && current.next_attempt_at?.getTime() === delivery.leaseUntil.getTime();
    let recorded: RecordedAttempt;
    if (!stillOurs) {
      await trx.updateTable('webhook_deliveries').set(last).where('id', '=', delivery.id).execute();
      recorded = 'superseded';
    } else if (outcome.delivered) {
      await trx
        .updateTable('webhook_deliveries')
        .set({ ...last, status: 'delivered', delivered_at: outcome.attemptedAt, next_attempt_at: null })
        .where('id', '=', delivery.id)
        .execute();
      recorded = 'delivered';
    } else {
      const next = nextWebhookAttemptAt(delivery.event.occurred_at, outcome.attemptedAt, attempt);
      await trx
        .updateTable('webhook_deliveries')
        .set({ ...last, status: next === null ? 'dead' : 'pending', next_attempt_at: next })
        .where('id', '=', delivery.id)
        .execute();
      recorded = next === null ? 'dead' : 'retrying';
    }
    return recorded;
  });
}
