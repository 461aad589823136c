import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { readAutoRecharge } from './auto-recharge-store.js';
import { type BalanceFailure, notFound } from './balance-failure.js';

/** Removes an account's auto-recharge rule; past attempts stay on record. */
export async function removeAutoRecharge(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  accountId: string,
  now: Date,
): Promise<{ readonly ok: true } | BalanceFailure> {
  return db.transaction().execute(async (trx) => {
    const before = await readAutoRecharge(trx, tenantId, accountId);
    const deleted = await trx
      .deleteFrom('auto_recharge_rules')
      .where('tenant_id', '=', tenantId)
      .where('account_id', '=', accountId)
      .returning('account_id')
      .executeTakeFirst();
    if (before === undefined || deleted === undefined)
      return notFound(`account ${accountId} has no auto-recharge rule`);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'auto_recharge.removed',
      objectType: 'account',
      objectId: accountId,
      before,
      after: null,
      occurredAt: now,
    });
    return { ok: true } as const;
  });
}
