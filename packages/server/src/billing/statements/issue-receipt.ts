import { isoDateOfDay, ZoneClock } from '@tollgate/core';
import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../../audit/record-audit-entry.js';
import { findMainBucket } from '../../balances/balance-store.js';
import type { LedgerTransactionKind } from '../../balances/balance-tables.js';
import { findLedgerTransaction } from '../../balances/ledger-store.js';
import type { Database } from '../../db/database-schema.js';
import { conflict, type InvoiceFailure, notFound } from '../invoice-failure.js';
import { numberInvoices } from '../number-invoices.js';
import { movementDetail } from './balance-movement-line.js';
import { loadDocumentParties } from './load-document-parties.js';
import { receiptDocumentOf } from './receipt-document.js';
import { findReceipt, type ReceiptRow } from './receipt-store.js';
import { transactionOnBucket } from './statement-store.js';

/** The tenant's gapless series of receipt numbers: RCT-000001, RCT-000002, ... */
export const RECEIPT_SERIES = 'RCT';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Money the customer put on the balance: paid, automatically collected, or a redeemed voucher. */
const RECEIPTED_KINDS: readonly LedgerTransactionKind[] = ['topup', 'auto_recharge', 'voucher'];

export type IssueReceiptResult =
  | { readonly ok: true; readonly created: boolean; readonly receipt: ReceiptRow }
  | InvoiceFailure;

/**
 * Issues the receipt of a top-up or voucher redemption, or returns the one issued before: a
 * transaction has one receipt, whoever asks and however often. The ledger transaction's row is
 * locked first, so two requests for one receipt queue there and the second finds the first's
 * receipt; the number is taken in the same transaction, so a series has no gap.
 */
export async function issueReceipt(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  ledgerTransactionId: string,
  now: Date,
): Promise<IssueReceiptResult> {
  if (!UUID.test(ledgerTransactionId)) return notFound(`no ledger transaction ${ledgerTransactionId}`);
  const issued = await findReceipt(db, tenantId, ledgerTransactionId);
  if (issued !== undefined) return { ok: true, created: false, receipt: issued };
  return db.transaction().execute(async (trx): Promise<IssueReceiptResult> => {
    const transaction = await findLedgerTransaction(trx, tenantId, ledgerTransactionId, true);
    if (transaction === undefined) return notFound(`no ledger transaction ${ledgerTransactionId}`);
    const raced = await findReceipt(trx, tenantId, ledgerTransactionId);
    if (raced !== undefined) return { ok: true, created: false, receipt: raced };
    if (!RECEIPTED_KINDS.includes(transaction.kind))
      return conflict(
        `ledger transaction ${ledgerTransactionId} is a ${transaction.kind}: receipts are for top-ups and voucher redemptions`,
      );
    const parties = await loadDocumentParties(trx, tenantId, transaction.account_id);
    if (parties === undefined) throw new Error(`the account of ledger transaction ${transaction.id} is gone`);
    const main = await findMainBucket(trx, tenantId, transaction.account_id);
    const moved = await transactionOnBucket(trx, tenantId, main.id, transaction.id);
    if (moved === undefined || moved.amountMicros <= 0n)
      return conflict(`ledger transaction ${ledgerTransactionId} put no money on the main balance`);
    const [number] = await numberInvoices(trx, tenantId, RECEIPT_SERIES, 1);
    if (number === undefined) throw new Error('numberInvoices gave no number');
    const clock = new ZoneClock(parties.header.timeZone);
    const dayOf = (at: Date) => isoDateOfDay(clock.localTime(at.getTime()).dayNumber);
    const document = receiptDocumentOf(parties.header, {
      number: number.number,
      issuedOn: dayOf(now),
      paidOn: dayOf(transaction.created_at),
      movement: transaction.kind,
      detail: movementDetail(transaction.reference, transaction.description),
      amountMicros: moved.amountMicros,
      balanceAfterMicros: moved.balanceAfterMicros,
    });
    const receipt = await trx
      .insertInto('receipts')
      .values({
        ledger_transaction_id: transaction.id,
        tenant_id: tenantId,
        account_id: transaction.account_id,
        series: RECEIPT_SERIES,
        sequence: number.sequence,
        number: number.number,
        document: JSON.stringify(document),
        created_at: now,
      })
      .onConflict((oc) => oc.column('ledger_transaction_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    // Under the lock no one else can have issued it; throwing gives the number back.
    if (receipt === undefined) throw new Error(`ledger transaction ${transaction.id} got a second receipt`);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'receipt.issue',
      objectType: 'receipt',
      objectId: transaction.id,
      before: null,
      after: {
        number: receipt.number,
        accountId: receipt.account_id,
        amountMicros: String(moved.amountMicros),
      },
      occurredAt: now,
    });
    return { ok: true, created: true, receipt };
  });
}
