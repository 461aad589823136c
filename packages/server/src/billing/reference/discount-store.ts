import type { Kysely, Selectable, Transaction } from 'kysely';
import { formatMoneyAmount } from '../../accounts/money-amount.js';
import type { Database } from '../../db/database-schema.js';
import { keysetPage } from '../../db/keyset-page.js';
import type { CursorPosition } from '../../http/pagination.js';
import type { DiscountTable } from '../billing-tables.js';
import type { Discount } from './discount-schemas.js';
import { shortestDecimal } from './shortest-decimal.js';

type Executor = Kysely<Database> | Transaction<Database>;
export type DiscountRow = Selectable<DiscountTable>;

export function toDiscount(row: DiscountRow): Discount {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    kind: row.kind,
    percent: row.percent === null ? null : shortestDecimal(row.percent),
    amount:
      row.amount_micros === null || row.currency === null
        ? null
        : formatMoneyAmount(row.amount_micros, row.currency),
    currency: row.currency,
    target: row.target,
    targetId: row.target_id,
    cycles: row.cycles,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at === null ? null : row.ends_at.toISOString(),
    createdAt: row.created_at.toISOString(),
  };
}

/** One discount of one account; another account's or tenant's id reads as absent. */
export async function findDiscount(
  db: Executor,
  tenantId: string,
  accountId: string,
  id: string,
  lock = false,
): Promise<DiscountRow | undefined> {
  let query = db
    .selectFrom('discounts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** A page of an account's discounts, ended ones included, by creation time. */
export async function listDiscounts(
  db: Executor,
  tenantId: string,
  accountId: string,
  page: { readonly after: CursorPosition | null; readonly order: 'asc' | 'desc'; readonly rows: number },
): Promise<DiscountRow[]> {
  const query = db
    .selectFrom('discounts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId);
  return keysetPage(query, page.after, page.order, page.rows).execute();
}
