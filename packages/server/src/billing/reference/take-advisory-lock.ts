import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database-schema.js';

/**
 * Serialises, on every node, the transactions that take the same key, until each ends: a
 * transaction-scoped PostgreSQL advisory lock on the key's 64-bit hash. For "read the last, then
 * write the next" on rows that may not exist yet, where there is no row to lock. A hash
 * collision between two keys only serialises them needlessly.
 */
export async function takeAdvisoryLock(trx: Transaction<Database>, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}
