import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';

/** The events Tollgate sends to webhook endpoints. */
export type WebhookEventType =
  | 'invoice.finalized'
  | 'invoice.paid'
  | 'invoice.reopened'
  | 'payment.succeeded'
  | 'payment.failed'
  | 'payment.requires_action'
  | 'payment.refunded'
  | 'payment.charged_back'
  | 'balance.low'
  | 'allowance.threshold'
  | 'dunning.reminder'
  | 'dunning.late_fee'
  | 'subscription.suspended'
  | 'subscription.restored'
  | 'subscription.terminated'
  | 'account.written_off'
  | 'fraud.case_opened'
  | 'fraud.case_decided';

export interface WebhookEventInput {
  readonly tenantId: string;
  readonly type: WebhookEventType;
  /** The event's object, as the API would show it (amounts as decimal micro-unit strings). */
  readonly data: Record<string, unknown>;
  readonly occurredAt: Date;
}

/**
 * Writes an event to the outbox, with a delivery for each active endpoint that wants it, inside
 * the caller's transaction: the event exists if and only if the change it tells of was committed,
 * and the dispatcher sends only what is committed. Returns the event id.
 */
export async function recordWebhookEvent(
  trx: Transaction<Database> | Kysely<Database>,
  event: WebhookEventInput,
): Promise<string> {
  const [id] = await recordWebhookEvents(trx, event.tenantId, [event]);
  return id as string;
}

/** Many events of one tenant at once (a bill run's invoices): three statements, whatever the count. */
export async function recordWebhookEvents(
  trx: Transaction<Database> | Kysely<Database>,
  tenantId: string,
  events: readonly WebhookEventInput[],
): Promise<string[]> {
  if (events.length === 0) return [];
  // Ids made here, not by the database: a multi-row INSERT ... RETURNING does not promise order.
  const ids = events.map(() => randomUUID());
  await trx
    .insertInto('webhook_events')
    .values(
      events.map((event, index) => ({
        id: ids[index] as string,
        tenant_id: tenantId,
        type: event.type,
        data: JSON.stringify(event.data),
        occurred_at: event.occurredAt,
      })),
    )
    .execute();
  const endpoints = await trx
    .selectFrom('webhook_endpoints')
    .select(['id', 'event_types'])
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'active')
    .execute();
  if (endpoints.length === 0) return ids;
  const deliveries = events.flatMap((event, index) =>
    endpoints
      .filter((endpoint) => wantsEvent(endpoint.event_types, event.type))
      .map((endpoint) => ({
        tenant_id: tenantId,
        event_id: ids[index] as string,
        endpoint_id: endpoint.id,
        status: 'pending' as const,
        next_attempt_at: event.occurredAt,
      })),
  );
  if (deliveries.length > 0) await trx.insertInto('webhook_deliveries').values(deliveries).execute();
  return ids;
}

/** Whether an endpoint's list of types ('*', 'payment.*', 'invoice.finalized') takes a type. */
export function wantsEvent(eventTypes: readonly string[], type: string): boolean {
  return eventTypes.some(
    (wanted) =>
      wanted === '*' || wanted === type || (wanted.endsWith('.*') && type.startsWith(wanted.slice(0, -1))),
  );
}
