import type { Kysely, Selectable, Transaction } from 'kysely';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import type { Database } from '../db/database-schema.js';
import type { LineSpendingCapTable } from './balance-tables.js';
import type { SpendingCap } from './spending-cap-schemas.js';

type Executor = Kysely<Database> | Transaction<Database>;
export type SpendingCapRow = Selectable<LineSpendingCapTable>;

export function toSpendingCap(row: SpendingCapRow, currency: string): SpendingCap {
  const remaining = row.limit_micros - row.spent_micros - row.reserved_micros;
  return {
    subscriptionId: row.subscription_id,
    accountId: row.account_id,
    limit: formatMoneyAmount(row.limit_micros, currency),
    period: row.period,
    periodStart: row.period_start.toISOString(),
    spent: formatMoneyAmount(row.spent_micros, currency),
    reserved: formatMoneyAmount(row.reserved_micros, currency),
    remaining: formatMoneyAmount(remaining > 0n ? remaining : 0n, currency),
    whenReached: row.when_reached,
    allowedDestinations:
      typeof row.allowed_destinations === 'string'
        ? (JSON.parse(row.allowed_destinations) as string[])
        : row.allowed_destinations,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A line's spending cap with its account's currency; undefined when the line has none. */
export async function readSpendingCap(
  db: Executor,
  tenantId: string,
  subscriptionId: string,
): Promise<SpendingCap | undefined> {
  const row = await db
    .selectFrom('line_spending_caps as c')
    .innerJoin('accounts as a', (join) =>
      join.onRef('a.tenant_id', '=', 'c.tenant_id').onRef('a.id', '=', 'c.account_id'),
    )
    .selectAll('c')
    .select('a.currency')
    .where('c.tenant_id', '=', tenantId)
    .where('c.subscription_id', '=', subscriptionId)
    .executeTakeFirst();
  return row === undefined ? undefined : toSpendingCap(row, row.currency);
}
