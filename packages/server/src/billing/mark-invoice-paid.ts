import type { Kysely } from 'kysely';
import type { Actor } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { lockAccountForPayments } from '../payments/lock-account-for-payments.js';
import { paymentRequestHash } from '../payments/payment-request-hash.js';
import { recordPaymentIn } from '../payments/record-payment.js';
import { conflict, type InvoiceFailure, notFound } from './invoice-failure.js';
import { invoiceOutstandingMicros } from './invoice-outstanding.js';

export type MarkInvoicePaidResult = { readonly ok: true; readonly invoiceId: string } | InvoiceFailure;

/**
 * Records that a finalised invoice was paid in full outside Tollgate (at a shop, by a transfer
 * nobody imported): a payment of what it still owes, source 'other', applied to it. Marking it
 * twice is a conflict; money with a known source is better recorded as a payment.
 */
export async function markInvoicePaid(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  invoiceId: string,
  now: Date,
): Promise<MarkInvoicePaidResult> {
  return db.transaction().execute(async (trx): Promise<MarkInvoicePaidResult> => {
    const owner = await trx
      .selectFrom('invoices')
      .select('account_id')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', invoiceId)
      .executeTakeFirst();
    if (owner === undefined) return notFound(`no invoice ${invoiceId}`);
    await lockAccountForPayments(trx, tenantId, owner.account_id);
    const invoice = await trx
      .selectFrom('invoices')
      .selectAll()
      .where('id', '=', invoiceId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (invoice.kind !== 'invoice') return conflict(`${invoiceId} is a credit note: it is not paid`);
    if (invoice.status !== 'finalized')
      return conflict(`invoice ${invoiceId} is ${invoice.status}: only a finalized invoice can be paid`);
    const owed = invoiceOutstandingMicros(invoice);
    if (owed === 0n) return conflict(`invoice ${invoiceId} owes nothing`);
    const input = {
      source: 'other' as const,
      currency: invoice.currency,
      invoiceId,
      note: 'marked paid by hand',
    };
    const recorded = await recordPaymentIn(
      trx,
      tenantId,
      actor,
      invoice.account_id,
      input,
      owed,
      now,
      `mark-paid:${invoiceId}:${BigInt(invoice.paid_micros)}`,
      paymentRequestHash({ ...input, amount: owed.toString() }),
      now,
    );
    if (!recorded.ok) return conflict(recorded.message);
    return { ok: true, invoiceId };
  });
}
