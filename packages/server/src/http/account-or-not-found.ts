import type { Kysely } from 'kysely';
import { type AccountRow, findAccount } from '../accounts/account-store.js';
import type { Database } from '../db/database-schema.js';
import { HttpProblem } from './problem.js';

/** The tenant's account a route names, or the 404 problem: another tenant's id reads as absent. */
export async function accountOrNotFound(
  db: Kysely<Database>,
  tenantId: string,
  accountId: string,
): Promise<AccountRow> {
  const account = await findAccount(db, tenantId, accountId);
  if (account === undefined) throw new HttpProblem('not_found', `no account ${accountId}`);
  return account;
}
