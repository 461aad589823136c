import type { Transaction } from 'kysely';
import { type AccountRow, findAccount } from '../accounts/account-store.js';
import type { Database } from '../db/database-schema.js';
import { type BalanceFailure, conflict, notFound } from './balance-failure.js';

/**
 * The account a ledger change is for, share-locked so it cannot close meanwhile. Another
 * tenant's account reads as absent; a closed account takes no more balance changes.
 */
export async function accountForPosting(
  trx: Transaction<Database>,
  tenantId: string,
  accountId: string,
): Promise<AccountRow | BalanceFailure> {
  const account = await findAccount(trx, tenantId, accountId, 'share');
  if (account === undefined) return notFound(`no account ${accountId}`);
  if (account.status === 'closed') return conflict(`account ${account.account_number} is closed`);
  return account;
}

export function isFailure(value: AccountRow | BalanceFailure): value is BalanceFailure {
  return 'ok' in value && value.ok === false;
}
