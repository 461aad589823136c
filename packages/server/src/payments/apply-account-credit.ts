import type { Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { settleDunningCase } from '../dunning/settle-dunning-case.js';
import { type AllocationOutcome, allocateAccountCredit } from './allocate-account-credit.js';
import { accountToday, type PaymentAccount } from './lock-account-for-payments.js';

export interface CreditApplied extends AllocationOutcome {
  /** Lines a settled dunning case gave back their service. */
  readonly restoredSubscriptionIds: readonly string[];
}

/**
 * What follows every amount an account receives (a payment, a credit note's refund to credit):
 * spread the account's credit over its open invoices, then close its dunning case if nothing it
 * chased is still owed, restoring service at once. The caller holds the account's payment lock.
 */
export async function applyAccountCredit(
  trx: Transaction<Database>,
  tenantId: string,
  account: PaymentAccount,
  now: Date,
  first: { readonly paymentId?: string; readonly invoiceId?: string | null } = {},
): Promise<CreditApplied> {
  const outcome = await allocateAccountCredit(trx, { tenantId, accountId: account.id, now, ...first });
  const settled = await settleDunningCase(trx, tenantId, account.id, accountToday(account, now), now);
  return { ...outcome, restoredSubscriptionIds: settled?.restoredSubscriptionIds ?? [] };
}
