import type { Selectable } from 'kysely';
import type { WebhookEventTable } from './webhook-tables.js';

/** What a receiver gets, and what the API shows of an event: the same object in both places. */
export interface WebhookEventPayload {
  /** The event id; deliveries are at least once, so receivers deduplicate on it. */
  readonly id: string;
  readonly type: string;
  /** When the change the event tells of happened (committed with it), ISO 8601 UTC. */
  readonly createdAt: string;
  readonly tenantId: string;
  readonly data: Record<string, unknown>;
}

export type WebhookEventRow = Pick<
  Selectable<WebhookEventTable>,
  'id' | 'type' | 'occurred_at' | 'tenant_id' | 'data'
>;

export function webhookEventPayload(row: WebhookEventRow): WebhookEventPayload {
  return {
    id: row.id,
    type: row.type,
    createdAt: row.occurred_at.toISOString(),
    tenantId: row.tenant_id,
    data: row.data,
  };
}
