import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import type { UseCaseFailure } from '../outcomes/use-case-failure.js';
import { checkWebhookUrl } from './check-webhook-url.js';
import { generateWebhookSecret } from './generate-webhook-secret.js';
import { toWebhookEndpoint } from './webhook-endpoint-store.js';
import { checkEventTypes } from './webhook-event-types.js';
import type { CreateWebhookEndpointBody, WebhookEndpoint } from './webhook-schemas.js';

export type CreateWebhookEndpointResult =
  | { readonly ok: true; readonly endpoint: WebhookEndpoint; readonly secret: string }
  | UseCaseFailure;

/**
 * Adds an endpoint that events of the listed types (default: all) are sent to from now on, with a
 * new signing secret, returned here and never again. The audit entry records the endpoint, not
 * the secret.
 */
export async function createWebhookEndpoint(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  input: CreateWebhookEndpointBody,
  now: Date,
): Promise<CreateWebhookEndpointResult> {
  const eventTypes = input.eventTypes ?? ['*'];
  const refused = checkWebhookUrl(input.url) ?? checkEventTypes(eventTypes);
  if (refused !== null) return refused;
  const secret = generateWebhookSecret();
  return db.transaction().execute(async (trx): Promise<CreateWebhookEndpointResult> => {
    const row = await trx
      .insertInto('webhook_endpoints')
      .values({
        tenant_id: tenantId,
        url: input.url,
        description: input.description ?? null,
        secret,
        event_types: JSON.stringify(eventTypes),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const endpoint = toWebhookEndpoint(row);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'webhook_endpoint.created',
      objectType: 'webhook_endpoint',
      objectId: endpoint.id,
      before: null,
      after: endpoint,
      occurredAt: now,
    });
    return { ok: true, endpoint, secret };
  });
}
