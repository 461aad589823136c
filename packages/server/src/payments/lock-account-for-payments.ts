import { isoDateOfDay, zoneClockFor } from '@tollgate/core';
import type { Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';

export interface PaymentAccount {
  readonly id: string;
  readonly currency: string;
  readonly status: 'active' | 'suspended' | 'closed';
  readonly kind: 'prepaid' | 'postpaid' | 'hybrid';
  readonly autopay: boolean;
  readonly time_zone: string;
}

/**
 * Locks the account for the money it receives and gives back: payments, allocations, refunds,
 * chargebacks and dunning steps of one account run one at a time, so none spreads an amount
 * another has spread. FOR NO KEY UPDATE leaves rows that merely reference the account (usage,
 * ledger entries) free to be written meanwhile.
 */
export async function lockAccountForPayments(
  trx: Transaction<Database>,
  tenantId: string,
  accountId: string,
): Promise<PaymentAccount | undefined> {
  const row = await trx
    .selectFrom('accounts')
    .select(['id', 'currency', 'status', 'kind', 'autopay', 'time_zone'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', accountId)
    .forNoKeyUpdate()
    .executeTakeFirst();
  return row === undefined ? undefined : { ...row, currency: row.currency.trim() };
}

/** The account's calendar date now, in its own time zone: due dates are dates there. */
export function accountToday(account: Pick<PaymentAccount, 'time_zone'>, now: Date): string {
  return isoDateOfDay(zoneClockFor(account.time_zone).localTime(now.getTime()).dayNumber);
}
