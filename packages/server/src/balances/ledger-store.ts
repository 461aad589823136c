import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { keysetPage } from '../db/keyset-page.js';
import type { CursorPosition } from '../http/pagination.js';
import type { LedgerTransactionView } from './balance-schemas.js';
import type { LedgerEntryTable, LedgerTransactionTable } from './balance-tables.js';
import { formatBucketAmount } from './bucket-amount.js';

type Executor = Kysely<Database> | Transaction<Database>;
export type LedgerTransactionRow = Selectable<LedgerTransactionTable>;
type LedgerEntryRow = Selectable<LedgerEntryTable>;

export function toLedgerTransaction(
  row: LedgerTransactionRow,
  entries: readonly LedgerEntryRow[],
): LedgerTransactionView {
  return {
    id: row.id,
    accountId: row.account_id,
    kind: row.kind,
    reference: row.reference,
    description: row.description,
    reversesId: row.reverses_id,
    createdAt: row.created_at.toISOString(),
    entries: entries.map((e) => ({
      bucketId: e.bucket_id,
      book: e.book,
      unit: e.unit,
      amount: formatBucketAmount(e.amount, e.unit),
    })),
  };
}

/** The entries of some transactions in one query, grouped by transaction, in posting order. */
export async function entriesOf(
  db: Executor,
  tenantId: string,
  transactionIds: readonly string[],
): Promise<Map<string, LedgerEntryRow[]>> {
  const byTransaction = new Map<string, LedgerEntryRow[]>();
  if (transactionIds.length === 0) return byTransaction;
  const rows = await db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('transaction_id', 'in', transactionIds)
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const list = byTransaction.get(row.transaction_id) ?? [];
    list.push(row);
    byTransaction.set(row.transaction_id, list);
  }
  return byTransaction;
}

/** One transaction of one tenant, with its entries; another tenant's id reads as absent. */
export async function readLedgerTransaction(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<LedgerTransactionView | undefined> {
  const row = await findLedgerTransaction(db, tenantId, id);
  if (row === undefined) return undefined;
  const entries = await entriesOf(db, tenantId, [id]);
  return toLedgerTransaction(row, entries.get(id) ?? []);
}

export async function findLedgerTransaction(
  db: Executor,
  tenantId: string,
  id: string,
  lock = false,
): Promise<LedgerTransactionRow | undefined> {
  let query = db
    .selectFrom('ledger_transactions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** A page of an account's transactions by posting time (keyset pagination on (created_at, id)). */
export async function listLedgerTransactions(
  db: Executor,
  tenantId: string,
  accountId: string,
  request: { readonly after: CursorPosition | null; readonly order: 'asc' | 'desc'; readonly rows: number },
): Promise<LedgerTransactionRow[]> {
  const query = db
    .selectFrom('ledger_transactions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId);
  return keysetPage(query, request.after, request.order, request.rows).execute();
}
