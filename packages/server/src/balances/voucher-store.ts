import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import type { Database } from '../db/database-schema.js';
import { keysetPage } from '../db/keyset-page.js';
import type { CursorPosition } from '../http/pagination.js';
import type { VoucherBatchTable } from './balance-tables.js';
import type { VoucherBatch } from './voucher-schemas.js';

type Executor = Kysely<Database> | Transaction<Database>;

export type VoucherBatchRow = Selectable<VoucherBatchTable> & {
  readonly active: number;
  readonly redeemed: number;
  readonly void: number;
};

export function toVoucherBatch(row: VoucherBatchRow): VoucherBatch {
  return {
    id: row.id,
    name: row.name,
    currency: row.currency,
    amount: formatMoneyAmount(row.amount_micros, row.currency),
    count: row.voucher_count,
    expiresAt: row.expires_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    active: row.active,
    redeemed: row.redeemed,
    void: row.void,
  };
}

/** A page of a tenant's voucher batches, each with its vouchers counted by status in the same query. */
export async function listVoucherBatches(
  db: Executor,
  tenantId: string,
  request: { readonly after: CursorPosition | null; readonly order: 'asc' | 'desc'; readonly rows: number },
): Promise<VoucherBatchRow[]> {
  const query = db
    .selectFrom('voucher_batches as b')
    .selectAll('b')
    .select([countOf('active').as('active'), countOf('redeemed').as('redeemed'), countOf('void').as('void')])
    .where('b.tenant_id', '=', tenantId);
  return keysetPage(query, request.after, request.order, request.rows).execute();
}

function countOf(status: 'active' | 'redeemed' | 'void') {
  return sql<number>`(select count(*)::int4 from vouchers v where v.batch_id = b.id and v.status = ${status})`;
}
