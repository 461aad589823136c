import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { notFound, type UseCaseFailure } from '../outcomes/use-case-failure.js';
import { generateWebhookSecret } from './generate-webhook-secret.js';
import { findWebhookEndpoint, toWebhookEndpoint } from './webhook-endpoint-store.js';
import type { WebhookEndpoint } from './webhook-schemas.js';

export type RotateWebhookSecretResult =
  | { readonly ok: true; readonly endpoint: WebhookEndpoint; readonly secret: string }
  | UseCaseFailure;

/**
 * Gives an endpoint a new signing secret, returned here and never again. Every attempt from the
 * commit on is signed with it alone (one secret is stored per endpoint), so the receiver should
 * accept both secrets while it switches (verifyWebhookSignature takes a list).
 */
export async function rotateWebhookSecret(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  endpointId: string,
  now: Date,
): Promise<RotateWebhookSecretResult> {
  const secret = generateWebhookSecret();
  return db.transaction().execute(async (trx): Promise<RotateWebhookSecretResult> => {
    const current = await findWebhookEndpoint(trx, tenantId, endpointId, true);
    if (current === undefined) return notFound(`no webhook endpoint ${endpointId}`);
    const row = await trx
      .updateTable('webhook_endpoints')
      .set({ secret, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', endpointId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const endpoint = toWebhookEndpoint(row);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'webhook_endpoint.secret_rotated',
      objectType: 'webhook_endpoint',
      objectId: endpointId,
      before: toWebhookEndpoint(current),
      after: endpoint,
      occurredAt: now,
    });
    return { ok: true, endpoint, secret };
  });
}
