import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { type AccountFailure, conflict, invalid, notFound } from './account-failure.js';
import { findAccount } from './account-store.js';
import {
  describeHolder,
  findHolder,
  type IdentifierClaim,
  isIdentifierTaken,
  lockIdentifiers,
} from './identifier-claims.js';
import { normaliseIdentifier } from './normalise-identifier.js';
import type { CreateSubscriptionBody, Subscription } from './subscription-schemas.js';
import { numberingContextOf, readSubscription } from './subscription-store.js';

export type CreateSubscriptionResult =
  | { readonly ok: true; readonly subscription: Subscription }
  | AccountFailure;

/**
 * Adds a line to an account: the subscription, its identifiers (normalised, and held by no other
 * line of the tenant at any overlapping time), its `activated` event and the audit entry, in one
 * transaction.
 */
export async function createSubscription(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  accountId: string,
  input: CreateSubscriptionBody,
  now: Date,
): Promise<CreateSubscriptionResult> {
  try {
    return await db.transaction().execute(async (trx): Promise<CreateSubscriptionResult> => {
      // Shared lock: the account cannot close while the line is added.
      const account = await findAccount(trx, tenantId, accountId, 'share');
      if (account === undefined) return notFound(`no account ${accountId}`);
      if (account.status === 'closed')
        return conflict(`account ${account.account_number} is closed: it takes no new subscriptions`);
      const startsAt = input.startsAt === undefined ? now : new Date(input.startsAt);
      const numbering = await numberingContextOf(trx, tenantId);
      const claims: IdentifierClaim[] = [];
      for (const [index, identifier] of input.identifiers.entries()) {
        const field = `/identifiers/${index}/value`;
        const normalised = normaliseIdentifier(identifier.kind, identifier.value, numbering);
        if (!normalised.ok) return invalid(field, normalised.message);
        const claim = { kind: identifier.kind, value: normalised.value, validFrom: startsAt, validTo: null };
        const twin = claims.findIndex((c) => c.kind === claim.kind && c.value === claim.value);
        if (twin >= 0)
          return invalid(field, `${claim.kind} ${claim.value} is given twice (see /identifiers/${twin})`);
        claims.push(claim);
      }
      await lockIdentifiers(trx, tenantId, claims);
      for (const [index, claim] of claims.entries()) {
        const holder = await findHolder(trx, tenantId, claim);
        if (holder !== undefined)
          return conflict(describeHolder(claim, holder), `/identifiers/${index}/value`);
      }
      const row = await trx
        .insertInto('subscriptions')
        .values({
          tenant_id: tenantId,
          account_id: account.id,
          // The plan is not checked against the catalog yet: its tables land with 0002-catalog,
          // and then this use case looks the plan up (same tenant, active version at startsAt).
          plan_id: input.planId ?? null,
          status: 'active',
          starts_at: startsAt,
          ends_at: null,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('subscription_identifiers')
        .values(
          claims.map((claim) => ({
            tenant_id: tenantId,
            account_id: account.id,
            subscription_id: row.id,
            kind: claim.kind,
            value: claim.value,
            valid_from: claim.validFrom,
            valid_to: null,
            created_at: now,
          })),
        )
        .execute();
      await trx
        .insertInto('subscription_events')
        .values({
          tenant_id: tenantId,
          account_id: account.id,
          subscription_id: row.id,
          sequence: 1,
          kind: 'activated',
          effective_at: startsAt,
          data: JSON.stringify({ planId: row.plan_id }),
          actor_type: actor.type,
          actor_id: actor.id,
          created_at: now,
        })
        .execute();
      const subscription = await readSubscription(trx, tenantId, row);
      await recordAuditEntry(trx, {
        tenantId,
        actor,
        action: 'subscription.created',
        objectType: 'subscription',
        objectId: subscription.id,
        before: null,
        after: subscription,
        occurredAt: now,
      });
      return { ok: true, subscription };
    });
  } catch (error) {
    if (isIdentifierTaken(error))
      return conflict('an identifier was taken by another subscription meanwhile', '/identifiers');
    throw error;
  }
}
