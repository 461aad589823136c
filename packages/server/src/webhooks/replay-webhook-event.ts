import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { notFound, type UseCaseFailure } from '../outcomes/use-case-failure.js';
import { deliveryState, markForReplay } from './replay-webhook-delivery.js';
import { deliveriesOfEvent, withAttempts } from './webhook-delivery-store.js';
import { findWebhookEvent } from './webhook-event-store.js';
import type { WebhookDeliveryView } from './webhook-schemas.js';

export type ReplayWebhookEventResult =
  | { readonly ok: true; readonly deliveries: WebhookDeliveryView[] }
  | UseCaseFailure;

/**
 * Sends an event again to every endpoint it was for: each of its deliveries is replayed as
 * replayWebhookDelivery does (pending, due now, attempts kept). Endpoints added after the event
 * are not among them: an event goes to the endpoints that wanted it when it happened.
 */
export async function replayWebhookEvent(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  eventId: string,
  now: Date,
): Promise<ReplayWebhookEventResult> {
  return db.transaction().execute(async (trx): Promise<ReplayWebhookEventResult> => {
    const event = await findWebhookEvent(trx, tenantId, eventId);
    if (event === undefined) return notFound(`no webhook event ${eventId}`);
    const current = await deliveriesOfEvent(trx, tenantId, eventId, true);
    if (current.length === 0) return { ok: true, deliveries: [] };
    const rows = await markForReplay(trx, tenantId, current, now);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'webhook_event.replayed',
      objectType: 'webhook_event',
      objectId: eventId,
      before: { deliveries: current.map((row) => ({ id: row.id, ...deliveryState(row) })) },
      after: { deliveries: rows.map((row) => ({ id: row.id, ...deliveryState(row) })) },
      occurredAt: now,
    });
    const order = new Map(current.map((row, index) => [row.id, index]));
    rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    return { ok: true, deliveries: await withAttempts(trx, tenantId, rows) };
  });
}
