import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { ClaimedNotification } from './claim-due-notifications.js';
import type { SendOutcome } from './notification-channel.js';
import { nextNotificationAttemptAt } from './notification-retry-schedule.js';

/**
 * What became of the message: sent, retried later, failed (its attempts are used up, or the
 * failure is permanent), or superseded (its lease ran out and another process took it while this
 * attempt was in flight: the attempt is counted, the row's state is the newer claim's).
 */
export type RecordedNotificationAttempt = 'sent' | 'retrying' | 'failed' | 'superseded';

const MAX_ERROR_LENGTH = 1000;

/** Counts an attempt and moves its message on, in one transaction after the send. */
export async function recordNotificationAttempt(
  db: Kysely<Database>,
  claimed: ClaimedNotification,
  outcome: SendOutcome,
  attemptedAt: Date,
): Promise<RecordedNotificationAttempt> {
  return db.transaction().execute(async (trx): Promise<RecordedNotificationAttempt> => {
    const current = await trx
      .selectFrom('notifications')
      .select(['status', 'attempts', 'send_after'])
      .where('id', '=', claimed.row.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const attempts = current.attempts + 1;
    const lastError = outcome.ok ? null : outcome.error.slice(0, MAX_ERROR_LENGTH);
    const stillOurs =
      current.status === 'queued' && current.send_after.getTime() === claimed.leaseUntil.getTime();
    const update = trx.updateTable('notifications').where('id', '=', claimed.row.id);
    if (!stillOurs) {
      await update.set({ attempts, ...(outcome.ok ? {} : { last_error: lastError }) }).execute();
      return 'superseded';
    }
    if (outcome.ok) {
      await update.set({ attempts, status: 'sent', sent_at: attemptedAt }).execute();
      return 'sent';
    }
    const next = outcome.permanent === true ? null : nextNotificationAttemptAt(attemptedAt, attempts);
    await update
      .set({
        attempts,
        last_error: lastError,
        ...(next === null
          ? { status: 'failed', reason: outcome.permanent === true ? 'refused' : 'attempts_exhausted' }
          : { send_after: next }),
      })
      .execute();
    return next === null ? 'failed' : 'retrying';
  });
}
