import type { Kysely } from 'kysely';
import type { Actor } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { type UpdateWebhookEndpointResult, updateWebhookEndpoint } from './update-webhook-endpoint.js';

/**
 * Deletes an endpoint, which here means disabling it: its deliveries and their attempts refer to
 * it and stay as the log of what was sent, so the row stays too (listed, with status disabled).
 * Nothing more is sent to it, its pending deliveries wait, and new events skip it; PATCH
 * status=active brings it back, pending deliveries and all.
 */
export async function deleteWebhookEndpoint(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  endpointId: string,
  now: Date,
): Promise<UpdateWebhookEndpointResult> {
  return updateWebhookEndpoint(db, tenantId, actor, endpointId, { status: 'disabled' }, now);
}
