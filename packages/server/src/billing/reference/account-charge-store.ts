import type { Kysely, Selectable, Transaction } from 'kysely';
import { formatMoneyAmount } from '../../accounts/money-amount.js';
import type { Database } from '../../db/database-schema.js';
import { keysetPage } from '../../db/keyset-page.js';
import type { CursorPosition } from '../../http/pagination.js';
import type { AccountChargeTable } from '../billing-tables.js';
import type { AccountCharge } from './account-charge-schemas.js';

type Executor = Kysely<Database> | Transaction<Database>;
export type AccountChargeRow = Selectable<AccountChargeTable>;

export function toAccountCharge(row: AccountChargeRow): AccountCharge {
  return {
    id: row.id,
    accountId: row.account_id,
    subscriptionId: row.subscription_id,
    code: row.code,
    description: row.description,
    amount: formatMoneyAmount(row.amount_micros, row.currency),
    currency: row.currency,
    taxCategory: row.tax_category,
    chargedAt: row.charged_at.toISOString(),
    invoiceId: row.invoice_id,
    createdAt: row.created_at.toISOString(),
  };
}

/** One charge of one account; another account's or tenant's id reads as absent. */
export async function findAccountCharge(
  db: Executor,
  tenantId: string,
  accountId: string,
  id: string,
  lock = false,
): Promise<AccountChargeRow | undefined> {
  let query = db
    .selectFrom('account_charges')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export interface AccountChargePageRequest {
  /** true: only charges not yet invoiced; false: only invoiced ones; undefined: all. */
  readonly open: boolean | undefined;
  readonly after: CursorPosition | null;
  readonly order: 'asc' | 'desc';
  /** Rows to fetch: the page size plus one, which tells whether another page follows. */
  readonly rows: number;
}

/** A page of an account's one-time charges by creation time. */
export async function listAccountCharges(
  db: Executor,
  tenantId: string,
  accountId: string,
  request: AccountChargePageRequest,
): Promise<AccountChargeRow[]> {
  let query = db
    .selectFrom('account_charges')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId);
  if (request.open === true) query = query.where('invoice_id', 'is', null);
  if (request.open === false) query = query.where('invoice_id', 'is not', null);
  return keysetPage(query, request.after, request.order, request.rows).execute();
}
