import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';

export interface InvoiceNumber {
  readonly sequence: bigint;
  readonly number: string;
}

/**
 * Takes the next `count` numbers of a tenant's series, in the caller's transaction: the counter
 * row stays locked until it commits, and a rollback gives the numbers back, so a series has no
 * gap and no number twice (invoices are legal documents numbered without gaps). `INV-000042`.
 */
export async function numberInvoices(
  trx: Transaction<Database>,
  tenantId: string,
  series: string,
  count: number,
): Promise<InvoiceNumber[]> {
  if (count === 0) return [];
  const row = await sql<{ last_value: string }>`
    insert into document_counters (tenant_id, series, last_value) values (${tenantId}::uuid, ${series}, ${count})
    on conflict (tenant_id, series) do update set last_value = document_counters.last_value + ${count}
    returning last_value::text`.execute(trx);
  const last = BigInt(row.rows[0]!.last_value);
  const first = last - BigInt(count) + 1n;
  return Array.from({ length: count }, (_, index) => {
    const sequence = first + BigInt(index);
    return { sequence, number: `${series}-${String(sequence).padStart(6, '0')}` };
  });
}
