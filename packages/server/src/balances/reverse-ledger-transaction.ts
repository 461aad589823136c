import { type EntryDraft, type LedgerBook, reversalEntries } from '@tollgate/core';
import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { accountForPosting, isFailure } from './account-for-posting.js';
import { conflict, notFound } from './balance-failure.js';
import { insufficientBalance } from './insufficient-balance.js';
import { entriesOf, findLedgerTransaction, readLedgerTransaction } from './ledger-store.js';
import { postLedgerTransaction } from './post-ledger-transaction.js';
import type { LedgerResult } from './top-up-account.js';

/**
 * Undoes a posted transaction the only way an append-only ledger allows: a new transaction with
 * every entry negated, pointing at the original. A transaction is reversed at most once (the
 * original row is locked, and reverses_id is unique), and a reversal that would take a bucket
 * below its floor (money already spent) is refused.
 */
export async function reverseLedgerTransaction(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  transactionId: string,
  reason: string,
  now: Date,
): Promise<LedgerResult> {
  return db.transaction().execute(async (trx): Promise<LedgerResult> => {
    const original = await findLedgerTransaction(trx, tenantId, transactionId, true);
    if (original === undefined) return notFound(`no ledger transaction ${transactionId}`);
    const earlier = await trx
      .selectFrom('ledger_transactions')
      .select('id')
      .where('reverses_id', '=', transactionId)
      .executeTakeFirst();
    if (earlier !== undefined)
      return conflict(`transaction ${transactionId} is already reversed by ${earlier.id}`);
    const account = await accountForPosting(trx, tenantId, original.account_id);
    if (isFailure(account)) return account;
    const rows = (await entriesOf(trx, tenantId, [transactionId])).get(transactionId) ?? [];
    const drafts: EntryDraft[] = rows.map((e) => ({
      bucketId: e.bucket_id,
      book: e.book as LedgerBook,
      unit: e.unit,
      amount: e.amount,
    }));
    const posted = await postLedgerTransaction(trx, {
      tenantId,
      accountId: original.account_id,
      kind: 'reversal',
      reversesId: transactionId,
      reference: original.reference,
      description: reason,
      entries: reversalEntries(drafts),
      now,
    });
    if (!posted.ok) {
      const unit = drafts.find((d) => d.bucketId === posted.bucketId)?.unit ?? account.currency;
      return insufficientBalance(posted, unit);
    }
    const transaction = (await readLedgerTransaction(trx, tenantId, posted.transactionId))!;
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'ledger.reversed',
      objectType: 'ledger_transaction',
      objectId: posted.transactionId,
      before: null,
      after: transaction,
      occurredAt: now,
    });
    return { ok: true, transaction };
  });
}
