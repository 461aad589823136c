import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { type ClaimedNotification, claimDueNotifications } from './claim-due-notifications.js';
import { errorText, type NotificationChannels, type SendOutcome } from './notification-channel.js';
import {
  type RecordedNotificationAttempt,
  recordNotificationAttempt,
} from './record-notification-attempt.js';
import { renderNotificationAttachments } from './render-notification-attachments.js';

export const DEFAULT_BATCH_SIZE = 20;
/** Batches per pass: a pass ends, and says more is due, rather than running without bound. */
export const DEFAULT_MAX_BATCHES = 25;
/**
 * How long a claimed message is ours: a send (SMTP timeouts are 30 s per step, a PDF renders in
 * well under a second) and the room to record it, before another process may retry.
 */
export const DEFAULT_LEASE_MS = 5 * 60_000;

export interface SendDueOptions {
  readonly now: () => Date;
  readonly channels: NotificationChannels;
  readonly batchSize?: number;
  readonly maxBatches?: number;
  readonly leaseMs?: number;
  /** Asked between batches: a stopping sender finishes the batch in flight and claims no more. */
  readonly stopping?: () => boolean;
}

export interface NotificationPassSummary {
  readonly attempted: number;
  readonly sent: number;
  readonly retrying: number;
  readonly failed: number;
  readonly superseded: number;
  readonly moreDue: boolean;
}

/**
 * One pass over the due messages of every tenant: claim a batch (of the channels configured),
 * send it in parallel, record each attempt, and again until nothing is due or the batch limit is
 * reached. A channel's failures are recorded attempts, not errors; the database failing is thrown
 * once the batch in flight is recorded.
 */
export async function sendDueNotifications(
  db: Kysely<Database>,
  options: SendDueOptions,
): Promise<NotificationPassSummary> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxBatches = options.maxBatches ?? DEFAULT_MAX_BATCHES;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  if (!(Number.isInteger(batchSize) && batchSize > 0 && maxBatches > 0 && leaseMs > 0))
    throw new Error(`sendDueNotifications: bad limits ${JSON.stringify({ batchSize, maxBatches, leaseMs })}`);
  const channels = [...options.channels.keys()];
  const tally: Record<RecordedNotificationAttempt, number> = {
    sent: 0,
    retrying: 0,
    failed: 0,
    superseded: 0,
  };
  for (let batch = 0; batch < maxBatches; batch++) {
    if (options.stopping?.() === true) break;
    const claimed = await claimDueNotifications(db, options.now(), channels, leaseMs, batchSize);
    const settled = await Promise.allSettled(
      claimed.map(async (message) =>
        recordNotificationAttempt(db, message, await sendOne(db, message, options), options.now()),
      ),
    );
    for (const result of settled) if (result.status === 'fulfilled') tally[result.value]++;
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    if (claimed.length < batchSize) return summary(tally, false);
  }
  return summary(tally, options.stopping?.() !== true);
}

async function sendOne(
  db: Kysely<Database>,
  claimed: ClaimedNotification,
  options: SendDueOptions,
): Promise<SendOutcome> {
  const { row } = claimed;
  const channel = row.channel === 'portal' ? undefined : options.channels.get(row.channel);
  if (channel === undefined || row.recipient === null)
    return { ok: false, error: `no ${row.channel} channel or recipient`, permanent: true };
  try {
    const attachments = await renderNotificationAttachments(db, row.tenant_id, row.attachments);
    if (!attachments.ok) return { ok: false, error: attachments.error };
    return await channel.send({
      id: row.id,
      tenantId: row.tenant_id,
      recipient: row.recipient,
      subject: row.subject,
      text: row.body_text,
      html: row.body_html,
      attachments: attachments.attachments,
    });
  } catch (error) {
    // A channel that throws (a bug, a PDF that cannot render) is one failed attempt, not a crash.
    return { ok: false, error: errorText(error) };
  }
}

function summary(
  tally: Record<RecordedNotificationAttempt, number>,
  moreDue: boolean,
): NotificationPassSummary {
  return {
    attempted: tally.sent + tally.retrying + tally.failed + tally.superseded,
    ...tally,
    moreDue,
  };
}
