import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';

/** Digits of the number part; longer numbers simply grow (A-1000000). */
const NUMBER_DIGITS = 6;

/**
 * The tenant's next account number, A-000001, A-000002, ... Taken inside the creating
 * transaction: the single statement inserts the counter row or increments it, and the row stays
 * locked until commit, so concurrent creations (on any number of nodes) get distinct numbers,
 * and a rolled-back creation gives its number back: no duplicates, no gaps.
 */
export async function nextAccountNumber(trx: Transaction<Database>, tenantId: string): Promise<string> {
  const counter = await trx
    .insertInto('account_number_counters')
    .values({ tenant_id: tenantId, last_value: 1n })
    .onConflict((c) =>
      c.column('tenant_id').doUpdateSet({ last_value: sql<bigint>`account_number_counters.last_value + 1` }),
    )
    .returning('last_value')
    .executeTakeFirstOrThrow();
  return `A-${counter.last_value.toString().padStart(NUMBER_DIGITS, '0')}`;
}
