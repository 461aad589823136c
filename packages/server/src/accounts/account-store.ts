import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { keysetPage } from '../db/keyset-page.js';
import type { CursorPosition } from '../http/pagination.js';
import type { Account, AccountListQuery } from './account-schemas.js';
import type { AccountTable } from './account-tables.js';
import { formatMoneyAmount } from './money-amount.js';

export type AccountRow = Selectable<AccountTable>;
type Executor = Kysely<Database> | Transaction<Database>;

export function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    accountNumber: row.account_number,
    customerId: row.customer_id,
    kind: row.kind,
    currency: row.currency,
    timeZone: row.time_zone,
    creditLimit:
      row.credit_limit_micros === null ? null : formatMoneyAmount(row.credit_limit_micros, row.currency),
    billCycleDay: row.bill_cycle_day,
    billCycleUnit: row.bill_cycle_unit,
    billCycleMonth: row.bill_cycle_month,
    itemisedInvoices: row.itemised_invoices,
    paymentTermsDays: row.payment_terms_days,
    autopay: row.autopay,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * One account of one tenant; another tenant's id reads as absent. `share` keeps the account as
 * it is (not closed) while a subscription is added; `update` is for changing it.
 */
export async function findAccount(
  db: Executor,
  tenantId: string,
  id: string,
  lock: 'none' | 'share' | 'update' = 'none',
): Promise<AccountRow | undefined> {
  let query = db.selectFrom('accounts').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  if (lock === 'share') query = query.forShare();
  if (lock === 'update') query = query.forUpdate();
  return query.executeTakeFirst();
}

export interface AccountPageRequest {
  readonly filters: AccountListQuery;
  readonly after: CursorPosition | null;
  readonly order: 'asc' | 'desc';
  /** Rows to fetch: the page size plus one, which tells whether another page follows. */
  readonly rows: number;
}

/** A page of a tenant's accounts by creation time (keyset pagination on (created_at, id)). */
export async function listAccounts(
  db: Executor,
  tenantId: string,
  request: AccountPageRequest,
): Promise<AccountRow[]> {
  const { filters, after, order } = request;
  let query = db.selectFrom('accounts').selectAll().where('tenant_id', '=', tenantId);
  if (filters.customerId !== undefined) query = query.where('customer_id', '=', filters.customerId);
  if (filters.status !== undefined) query = query.where('status', '=', filters.status);
  if (filters.kind !== undefined) query = query.where('kind', '=', filters.kind);
  if (filters.accountNumber !== undefined) query = query.where('account_number', '=', filters.accountNumber);
  return keysetPage(query, after, order, request.rows).execute();
}
