import type { Kysely } from 'kysely';
import { findSubscription } from '../accounts/subscription-store.js';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { type BalanceFailure, notFound } from './balance-failure.js';
import { readSpendingCap } from './spending-cap-store.js';

/** Lifts a line's spending cap: from now on only the account's balance limits the line. */
export async function removeSpendingCap(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  subscriptionId: string,
  now: Date,
): Promise<{ readonly ok: true } | BalanceFailure> {
  return db.transaction().execute(async (trx) => {
    // The line's row lock orders this against a concurrent change of the cap.
    const line = await findSubscription(trx, tenantId, subscriptionId, true);
    if (line === undefined) return notFound(`no subscription ${subscriptionId}`);
    const before = await readSpendingCap(trx, tenantId, subscriptionId);
    if (before === undefined) return notFound(`subscription ${subscriptionId} has no spending cap`);
    await trx
      .deleteFrom('line_spending_caps')
      .where('tenant_id', '=', tenantId)
      .where('subscription_id', '=', subscriptionId)
      .execute();
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'spending_cap.removed',
      objectType: 'subscription',
      objectId: subscriptionId,
      before,
      after: null,
      occurredAt: now,
    });
    return { ok: true } as const;
  });
}
