import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { type AccountFailure, conflict, invalid, notFound } from './account-failure.js';
import { describeHolder, findHolder, isIdentifierTaken, lockIdentifiers } from './identifier-claims.js';
import { normaliseIdentifier } from './normalise-identifier.js';
import type { AddIdentifierBody, Identifier } from './subscription-schemas.js';
import { findSubscription, numberingContextOf, toIdentifier } from './subscription-store.js';

export type AddSubscriptionIdentifierResult =
  | { readonly ok: true; readonly identifier: Identifier }
  | AccountFailure;

/**
 * Gives a line one more identifier (a second MSISDN, a new IMSI after a SIM swap), from
 * `validFrom` on, if no other line of the tenant holds it at any time from then. The subscription
 * row is locked, so the line cannot be terminated meanwhile.
 */
export async function addSubscriptionIdentifier(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  subscriptionId: string,
  input: AddIdentifierBody,
  now: Date,
): Promise<AddSubscriptionIdentifierResult> {
  try {
    return await db.transaction().execute(async (trx): Promise<AddSubscriptionIdentifierResult> => {
      const subscription = await findSubscription(trx, tenantId, subscriptionId, true);
      if (subscription === undefined) return notFound(`no subscription ${subscriptionId}`);
      if (subscription.status === 'terminated')
        return conflict(`subscription ${subscriptionId} is terminated: it takes no new identifiers`);
      const normalised = normaliseIdentifier(
        input.kind,
        input.value,
        await numberingContextOf(trx, tenantId),
      );
      if (!normalised.ok) return invalid('/value', normalised.message);
      const startsAt = subscription.starts_at;
      const validFrom =
        input.validFrom !== undefined
          ? new Date(input.validFrom)
          : new Date(Math.max(now.getTime(), startsAt.getTime()));
      if (validFrom < startsAt)
        return invalid('/validFrom', `before the subscription starts (${startsAt.toISOString()})`);
      const claim = { kind: input.kind, value: normalised.value, validFrom, validTo: null };
      await lockIdentifiers(trx, tenantId, [claim]);
      const holder = await findHolder(trx, tenantId, claim);
      if (holder !== undefined) return conflict(describeHolder(claim, holder), '/value');
      const row = await trx
        .insertInto('subscription_identifiers')
        .values({
          tenant_id: tenantId,
          account_id: subscription.account_id,
          subscription_id: subscription.id,
          kind: claim.kind,
          value: claim.value,
          valid_from: validFrom,
          valid_to: null,
          created_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const identifier = toIdentifier(row);
      await recordAuditEntry(trx, {
        tenantId,
        actor,
        action: 'subscription.identifier_added',
        objectType: 'subscription',
        objectId: subscription.id,
        before: null,
        after: identifier,
        occurredAt: now,
      });
      return { ok: true, identifier };
    });
  } catch (error) {
    if (isIdentifierTaken(error))
      return conflict('the identifier was taken by another subscription meanwhile', '/value');
    throw error;
  }
}
