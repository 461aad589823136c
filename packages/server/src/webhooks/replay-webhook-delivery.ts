import type { Kysely, Transaction } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { notFound, type UseCaseFailure } from '../outcomes/use-case-failure.js';
import { findWebhookDelivery, type WebhookDeliveryRow, withAttempts } from './webhook-delivery-store.js';
import type { WebhookDeliveryView } from './webhook-schemas.js';

export type ReplayWebhookDeliveryResult =
  | { readonly ok: true; readonly delivery: WebhookDeliveryView }
  | UseCaseFailure;

/**
 * Sends a delivery again, whatever its state: delivered (the receiver lost it), dead (the receiver
 * is fixed) or pending (sooner than its schedule). It becomes pending, due now; its attempts stay
 * in the log and their count goes on. Past the event's 3-day retry window, a failed replayed
 * attempt makes it dead again at once (a replay is one more try, not a new window), as with a
 * manual resend elsewhere. An endpoint that is disabled gets it once it is active again.
 */
export async function replayWebhookDelivery(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  deliveryId: string,
  now: Date,
): Promise<ReplayWebhookDeliveryResult> {
  return db.transaction().execute(async (trx): Promise<ReplayWebhookDeliveryResult> => {
    const current = await findWebhookDelivery(trx, tenantId, deliveryId, true);
    if (current === undefined) return notFound(`no webhook delivery ${deliveryId}`);
    const [row] = await markForReplay(trx, tenantId, [current], now);
    if (row === undefined) throw new Error(`replayWebhookDelivery: delivery ${deliveryId} vanished`);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'webhook_delivery.replayed',
      objectType: 'webhook_delivery',
      objectId: deliveryId,
      before: deliveryState(current),
      after: deliveryState(row),
      occurredAt: now,
    });
    const [delivery] = await withAttempts(trx, tenantId, [row]);
    if (delivery === undefined) throw new Error(`replayWebhookDelivery: delivery ${deliveryId} has no view`);
    return { ok: true, delivery };
  });
}

/** Makes locked deliveries pending and due at `now`; returns them as they are after. */
export async function markForReplay(
  trx: Transaction<Database>,
  tenantId: string,
  deliveries: readonly WebhookDeliveryRow[],
  now: Date,
): Promise<WebhookDeliveryRow[]> {
  if (deliveries.length === 0) return [];
  return trx
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: now, delivered_at: null })
    .where('tenant_id', '=', tenantId)
    .where(
      'id',
      'in',
      deliveries.map((delivery) => delivery.id),
    )
    .returningAll()
    .execute();
}

/** What the audit log keeps of a delivery's state (its attempts have their own log). */
export function deliveryState(row: WebhookDeliveryRow): Record<string, unknown> {
  return {
    eventId: row.event_id,
    endpointId: row.endpoint_id,
    status: row.status,
    attemptCount: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    deliveredAt: row.delivered_at,
  };
}
