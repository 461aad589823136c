import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { type AccountFailure, conflict, invalid, notFound } from './account-failure.js';
import type { EndIdentifierBody, Identifier } from './subscription-schemas.js';
import { findSubscription, toIdentifier } from './subscription-store.js';

export type EndSubscriptionIdentifierResult =
  | { readonly ok: true; readonly identifier: Identifier }
  | AccountFailure;

/**
 * Releases an identifier from a line at `at` (a number ported out, a SIM replaced). The row is
 * kept with its period, so usage before `at` still finds its line; from `at` on, another line
 * may take the identifier.
 */
export async function endSubscriptionIdentifier(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  subscriptionId: string,
  identifierId: string,
  input: EndIdentifierBody,
  now: Date,
): Promise<EndSubscriptionIdentifierResult> {
  return db.transaction().execute(async (trx): Promise<EndSubscriptionIdentifierResult> => {
    const subscription = await findSubscription(trx, tenantId, subscriptionId, true);
    if (subscription === undefined) return notFound(`no subscription ${subscriptionId}`);
    const current = await trx
      .selectFrom('subscription_identifiers')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('subscription_id', '=', subscriptionId)
      .where('id', '=', identifierId)
      .executeTakeFirst();
    if (current === undefined)
      return notFound(`no identifier ${identifierId} on subscription ${subscriptionId}`);
    if (current.valid_to !== null)
      return conflict(`${current.kind} ${current.value} already ended at ${current.valid_to.toISOString()}`);
    const at = input.at === undefined ? now : new Date(input.at);
    if (at < current.valid_from)
      return invalid('/at', `before the identifier took effect (${current.valid_from.toISOString()})`);
    const row = await trx
      .updateTable('subscription_identifiers')
      .set({ valid_to: at })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', identifierId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const identifier = toIdentifier(row);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'subscription.identifier_ended',
      objectType: 'subscription',
      objectId: subscriptionId,
      before: toIdentifier(current),
      after: identifier,
      occurredAt: now,
    });
    return { ok: true, identifier };
  });
}
