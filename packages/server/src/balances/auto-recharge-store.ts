import type { Kysely, Selectable, Transaction } from 'kysely';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import type { Database } from '../db/database-schema.js';
import type { AutoRecharge } from './auto-recharge-schemas.js';
import type { AutoRechargeRuleTable } from './balance-tables.js';

type Executor = Kysely<Database> | Transaction<Database>;

export function toAutoRecharge(row: Selectable<AutoRechargeRuleTable>, currency: string): AutoRecharge {
  return {
    accountId: row.account_id,
    threshold: formatMoneyAmount(row.threshold_micros, currency),
    amount: formatMoneyAmount(row.amount_micros, currency),
    enabled: row.enabled,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** An account's auto-recharge rule with the account's currency; undefined when it has none. */
export async function readAutoRecharge(
  db: Executor,
  tenantId: string,
  accountId: string,
): Promise<AutoRecharge | undefined> {
  const row = await db
    .selectFrom('auto_recharge_rules as r')
    .innerJoin('accounts as a', (join) =>
      join.onRef('a.tenant_id', '=', 'r.tenant_id').onRef('a.id', '=', 'r.account_id'),
    )
    .selectAll('r')
    .select('a.currency')
    .where('r.tenant_id', '=', tenantId)
    .where('r.account_id', '=', accountId)
    .executeTakeFirst();
  return row === undefined ? undefined : toAutoRecharge(row, row.currency);
}
