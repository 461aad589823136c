import type { Generated } from 'kysely';
import type { CreatedAt, Json, UpdatedAt } from '../db/database-schema.js';

/** The outgoing webhook tables (see db/migrations/0008-payments.ts). */
export interface WebhookTables {
  webhook_endpoints: WebhookEndpointTable;
  webhook_events: WebhookEventTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_delivery_attempts: WebhookDeliveryAttemptTable;
}

export interface WebhookEndpointTable {
  id: Generated<string>;
  tenant_id: string;
  url: string;
  description: string | null;
  /** The HMAC-SHA256 key the deliveries are signed with. */
  secret: string;
  /** Event types delivered to the endpoint; ['*'] for all. */
  event_types: Json<string[]>;
  status: Generated<'active' | 'disabled'>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface WebhookEventTable {
  /** The event id receivers deduplicate on. */
  id: Generated<string>;
  tenant_id: string;
  type: string;
  data: Json<Record<string, unknown>>;
  occurred_at: Date;
  created_at: CreatedAt;
}

export interface WebhookDeliveryTable {
  id: Generated<string>;
  tenant_id: string;
  event_id: string;
  endpoint_id: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: Generated<number>;
  next_attempt_at: Date | null;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: CreatedAt;
}

export interface WebhookDeliveryAttemptTable {
  id: Generated<bigint>;
  tenant_id: string;
  delivery_id: string;
  attempt: number;
  attempted_at: Date;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}
