import { creditEntries } from '@tollgate/core';
import type { Kysely } from 'kysely';
import { parseMoneyAmount } from '../accounts/money-amount.js';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { accountForPosting, isFailure } from './account-for-posting.js';
import { type BalanceFailure, invalid } from './balance-failure.js';
import type { LedgerTransactionView, TopUpBody } from './balance-schemas.js';
import { findMainBucket } from './balance-store.js';
import { readLedgerTransaction } from './ledger-store.js';
import { postLedgerTransaction } from './post-ledger-transaction.js';

export type LedgerResult =
  | { readonly ok: true; readonly transaction: LedgerTransactionView }
  | BalanceFailure;

/**
 * Puts money into the account's main bucket from the tenant's top-up book: a payment the
 * customer made, or a credit by an operator. The method has no column of its own: it is kept in
 * the audit entry, and as the description when none is given.
 */
export async function topUpAccount(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  accountId: string,
  input: TopUpBody,
  now: Date,
): Promise<LedgerResult> {
  return db.transaction().execute(async (trx): Promise<LedgerResult> => {
    const account = await accountForPosting(trx, tenantId, accountId);
    if (isFailure(account)) return account;
    const amount = parseMoneyAmount(input.amount, account.currency);
    if (!amount.ok) return invalid('/amount', amount.message);
    if (amount.micros === 0n) return invalid('/amount', 'a top-up must be more than zero');
    const main = await findMainBucket(trx, tenantId, accountId);
    const posted = await postLedgerTransaction(trx, {
      tenantId,
      accountId,
      kind: 'topup',
      reference: input.reference ?? null,
      description: input.description ?? (input.method === 'payment' ? 'payment' : 'operator top-up'),
      entries: creditEntries(main.id, account.currency, amount.micros, 'topup'),
      now,
    });
    if (!posted.ok) throw new Error('a credit cannot be refused');
    const transaction = await readLedgerTransaction(trx, tenantId, posted.transactionId);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'ledger.topup',
      objectType: 'ledger_transaction',
      objectId: posted.transactionId,
      before: null,
      after: { ...transaction, method: input.method },
      occurredAt: now,
    });
    return { ok: true, transaction: transaction! };
  });
}
