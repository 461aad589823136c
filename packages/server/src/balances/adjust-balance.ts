import { creditEntries, debitEntries, parseMoney } from '@tollgate/core';
import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { accountForPosting, isFailure } from './account-for-posting.js';
import { invalid } from './balance-failure.js';
import type { AdjustmentBody } from './balance-schemas.js';
import { findMainBucket } from './balance-store.js';
import { insufficientBalance } from './insufficient-balance.js';
import { readLedgerTransaction } from './ledger-store.js';
import { postLedgerTransaction } from './post-ledger-transaction.js';
import type { LedgerResult } from './top-up-account.js';

/**
 * An operator's correction of the main bucket, against the tenant's adjustment book: a positive
 * amount credits, a negative one debits, and a debit that would take the bucket below its floor
 * (zero, or minus the credit limit) is refused. The reason is kept as the description.
 */
export async function adjustBalance(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  accountId: string,
  input: AdjustmentBody,
  now: Date,
): Promise<LedgerResult> {
  return db.transaction().execute(async (trx): Promise<LedgerResult> => {
    const account = await accountForPosting(trx, tenantId, accountId);
    if (isFailure(account)) return account;
    const parsed = parseMoney(input.amount, account.currency);
    if (!parsed.ok) return invalid('/amount', parsed.error.message);
    const micros = parsed.value.amountMicros;
    if (micros === 0n) return invalid('/amount', 'an adjustment of zero changes nothing');
    const main = await findMainBucket(trx, tenantId, accountId);
    const entries =
      micros > 0n
        ? creditEntries(main.id, account.currency, micros, 'adjustment')
        : debitEntries([{ bucketId: main.id, amount: -micros }], account.currency, 'adjustment');
    const posted = await postLedgerTransaction(trx, {
      tenantId,
      accountId,
      kind: 'adjustment',
      description: input.reason,
      entries,
      now,
    });
    if (!posted.ok) return insufficientBalance(posted, account.currency);
    const transaction = await readLedgerTransaction(trx, tenantId, posted.transactionId);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'ledger.adjustment',
      objectType: 'ledger_transaction',
      objectId: posted.transactionId,
      before: null,
      after: transaction,
      occurredAt: now,
    });
    return { ok: true, transaction: transaction! };
  });
}
