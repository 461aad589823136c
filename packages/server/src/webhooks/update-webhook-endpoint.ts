import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { notFound, type UseCaseFailure } from '../outcomes/use-case-failure.js';
import { checkWebhookUrl } from './check-webhook-url.js';
import { findWebhookEndpoint, toWebhookEndpoint } from './webhook-endpoint-store.js';
import { checkEventTypes } from './webhook-event-types.js';
import type { UpdateWebhookEndpointBody, WebhookEndpoint } from './webhook-schemas.js';

export type UpdateWebhookEndpointResult =
  | { readonly ok: true; readonly endpoint: WebhookEndpoint }
  | UseCaseFailure;

/**
 * Changes an endpoint's URL, description, event types or status; fields left out stay. Deliveries
 * already made keep going to the endpoint (now at its new URL); a new list of types applies to
 * events recorded from now on. Disabling stops sending: pending deliveries wait, still pending,
 * and go out when it is active again. A change to nothing records no audit entry.
 */
export async function updateWebhookEndpoint(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  endpointId: string,
  input: UpdateWebhookEndpointBody,
  now: Date,
): Promise<UpdateWebhookEndpointResult> {
  const refused =
    (input.url === undefined ? null : checkWebhookUrl(input.url)) ??
    (input.eventTypes === undefined ? null : checkEventTypes(input.eventTypes));
  if (refused !== null) return refused;
  return db.transaction().execute(async (trx): Promise<UpdateWebhookEndpointResult> => {
    const current = await findWebhookEndpoint(trx, tenantId, endpointId, true);
    if (current === undefined) return notFound(`no webhook endpoint ${endpointId}`);
    const before = toWebhookEndpoint(current);
    const changes = {
      ...(input.url === undefined || input.url === current.url ? {} : { url: input.url }),
      ...(input.description === undefined || input.description === current.description
        ? {}
        : { description: input.description }),
      ...(input.eventTypes === undefined || sameList(input.eventTypes, current.event_types)
        ? {}
        : { event_types: JSON.stringify(input.eventTypes) }),
      ...(input.status === undefined || input.status === current.status ? {} : { status: input.status }),
    };
    if (Object.keys(changes).length === 0) return { ok: true, endpoint: before };
    const row = await trx
      .updateTable('webhook_endpoints')
      .set({ ...changes, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', endpointId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const endpoint = toWebhookEndpoint(row);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'webhook_endpoint.updated',
      objectType: 'webhook_endpoint',
      objectId: endpointId,
      before,
      after: endpoint,
      occurredAt: now,
    });
    return { ok: true, endpoint };
  });
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((entry, index) => entry === b[index]);
}
