import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { NotificationChannel, NotificationTable } from './notification-tables.js';

/** A message this process has claimed, and the lease that marks it as ours. */
export interface ClaimedNotification {
  readonly row: Selectable<NotificationTable>;
  /** The send_after the claim set: the record step changes the row only while it still reads this. */
  readonly leaseUntil: Date;
}

/**
 * Claims up to `limit` due messages (queued, send_after reached, on a channel this process can
 * send) in one short transaction, as claimDueDeliveries does for webhooks: the rows are locked
 * with `for update skip locked`, so processes sharing one PostgreSQL take different messages, and
 * their send_after moves to now + leaseMs, so no other process takes them while this one sends.
 * If this process dies before recording the attempt, the lease runs out and the message is due
 * again (at least once). No transaction stays open while a message is sent.
 */
export async function claimDueNotifications(
  db: Kysely<Database>,
  now: Date,
  channels: readonly NotificationChannel[],
  leaseMs: number,
  limit: number,
): Promise<ClaimedNotification[]> {
  if (channels.length === 0) return [];
  const leaseUntil = new Date(now.getTime() + leaseMs);
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('notifications')
      .selectAll()
      .where('status', '=', 'queued')
      .where('send_after', '<=', now)
      .where('channel', 'in', channels)
      .orderBy('send_after')
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (rows.length === 0) return [];
    await trx
      .updateTable('notifications')
      .set({ send_after: leaseUntil })
      .where(
        'id',
        'in',
        rows.map((row) => row.id),
      )
      .execute();
    return rows.map((row) => ({ row, leaseUntil }));
  });
}
