import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { WebhookEventRow } from './webhook-event-payload.js';

/** A delivery this process has claimed: what it needs to send it, and the lease that marks it as ours. */
export interface ClaimedDelivery {
  readonly id: string;
  readonly tenantId: string;
  /** Attempts made before this one. */
  readonly attempts: number;
  /** The next_attempt_at the claim set: the record step changes the delivery only while it still reads this. */
  readonly leaseUntil: Date;
  readonly endpoint: { readonly id: string; readonly url: string; readonly secret: string };
  readonly event: WebhookEventRow;
}

/**
 * Claims up to `limit` due deliveries (pending, next_attempt_at reached, endpoint active) in one
 * short transaction: the rows are locked with `for update skip locked`, so processes sharing one
 * PostgreSQL take different deliveries, and their next_attempt_at moves to now + leaseMs, so no
 * other process takes them while this one sends. If this process dies before recording the
 * attempt, the lease runs out and the delivery is due again (at least once). No transaction stays
 * open across the HTTP request.
 */
export async function claimDueDeliveries(
  db: Kysely<Database>,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<ClaimedDelivery[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .innerJoin('webhook_events as v', 'v.id', 'd.event_id')
      .select([
        'd.id',
        'd.tenant_id',
        'd.attempts',
        'e.id as endpoint_id',
        'e.url',
        'e.secret',
        'v.id as event_id',
        'v.type',
        'v.occurred_at',
        'v.data',
      ])
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', now)
      // A disabled endpoint's deliveries wait, still pending, until it is enabled again.
      .where('e.status', '=', 'active')
      .orderBy('d.next_attempt_at')
      .orderBy('d.id')
      .limit(limit)
      // Only the deliveries are locked: locking the endpoint or event rows too would make
      // processes skip each other's deliveries of one endpoint, and block endpoint edits.
      .forUpdate('d')
      .skipLocked()
      .execute();
    if (rows.length === 0) return [];
    await trx
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: leaseUntil })
      .where(
        'id',
        'in',
        rows.map((row) => row.id),
      )
      .execute();
    return rows.map(
      (row): ClaimedDelivery => ({
        id: row.id,
        tenantId: row.tenant_id,
        attempts: row.attempts,
        leaseUntil,
        endpoint: { id: row.endpoint_id, url: row.url, secret: row.secret },
        event: {
          id: row.event_id,
          type: row.type,
          occurred_at: row.occurred_at,
          tenant_id: row.tenant_id,
          data: row.data,
        },
      }),
    );
  });
}
