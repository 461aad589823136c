import type { Kysely } from 'kysely';
import { findAccount } from '../accounts/account-store.js';
import { parseMoneyAmount } from '../accounts/money-amount.js';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import type { AutoRecharge, AutoRechargeBody } from './auto-recharge-schemas.js';
import { readAutoRecharge, toAutoRecharge } from './auto-recharge-store.js';
import { type BalanceFailure, invalid, notFound } from './balance-failure.js';

export type AutoRechargeResult = { readonly ok: true; readonly rule: AutoRecharge } | BalanceFailure;

/** Sets (or replaces) the rule that tops an account up from its payment method when it runs low. */
export async function setAutoRecharge(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  accountId: string,
  input: AutoRechargeBody,
  now: Date,
): Promise<AutoRechargeResult> {
  return db.transaction().execute(async (trx): Promise<AutoRechargeResult> => {
    const account = await findAccount(trx, tenantId, accountId);
    if (account === undefined) return notFound(`no account ${accountId}`);
    const threshold = parseMoneyAmount(input.threshold, account.currency);
    if (!threshold.ok) return invalid('/threshold', threshold.message);
    const amount = parseMoneyAmount(input.amount, account.currency);
    if (!amount.ok) return invalid('/amount', amount.message);
    if (amount.micros === 0n) return invalid('/amount', 'a recharge must be more than zero');
    const before = await readAutoRecharge(trx, tenantId, accountId);
    const fields = {
      threshold_micros: threshold.micros,
      amount_micros: amount.micros,
      enabled: input.enabled,
      updated_at: now,
    };
    const row = await trx
      .insertInto('auto_recharge_rules')
      .values({ tenant_id: tenantId, account_id: accountId, ...fields })
      .onConflict((c) => c.columns(['tenant_id', 'account_id']).doUpdateSet(fields))
      .returningAll()
      .executeTakeFirstOrThrow();
    const rule = toAutoRecharge(row, account.currency);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'auto_recharge.set',
      objectType: 'account',
      objectId: accountId,
      before: before ?? null,
      after: rule,
      occurredAt: now,
    });
    return { ok: true, rule };
  });
}
