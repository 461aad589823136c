import type { Kysely, Transaction } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { conflict, type InvoiceFailure, invalid, notFound } from './invoice-failure.js';

export type VoidInvoiceResult = { readonly ok: true; readonly invoiceId: string } | InvoiceFailure;

/**
 * Voids an invoice that was issued in error. Its number stays taken (a gapless series keeps the
 * void document), and everything it billed goes to the account's next invoice: its recurring fees
 * no longer count as billed, its usage records and one-time charges are released. A draft is
 * deleted instead; a paid or credited invoice is corrected with a credit note, not voided.
 */
export async function voidInvoice(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  invoiceId: string,
  reason: string,
  now: Date,
): Promise<VoidInvoiceResult> {
  if (reason.trim().length === 0) return invalid('/reason', 'a void needs a reason');
  return db.transaction().execute(async (trx): Promise<VoidInvoiceResult> => {
    const invoice = await trx
      .selectFrom('invoices')
      .select(['id', 'status', 'kind', 'credited_micros', 'paid_micros'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', invoiceId)
      .forUpdate()
      .executeTakeFirst();
    if (invoice === undefined) return notFound(`no invoice ${invoiceId}`);
    if (invoice.status === 'draft') {
      await releaseBilled(trx, invoiceId);
      await trx.deleteFrom('invoices').where('id', '=', invoiceId).execute();
    } else {
      if (invoice.status !== 'finalized')
        return conflict(`invoice ${invoiceId} is ${invoice.status}: it cannot be voided`);
      if (invoice.credited_micros > 0n)
        return conflict(`invoice ${invoiceId} has credit notes: correct it with another credit note`);
      // Payments stay where they were applied: a paid invoice is corrected by a credit note,
      // which hands the money back to the account as credit.
      if (BigInt(invoice.paid_micros) > 0n)
        return conflict(`invoice ${invoiceId} is paid in part or in full: correct it with a credit note`);
      await releaseBilled(trx, invoiceId);
      await trx
        .updateTable('invoices')
        .set({ status: 'void', voided_at: now, void_reason: reason })
        .where('id', '=', invoiceId)
        .execute();
    }
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: invoice.status === 'draft' ? 'invoice.deleted' : 'invoice.voided',
      objectType: 'invoice',
      objectId: invoiceId,
      before: { status: invoice.status },
      after: invoice.status === 'draft' ? null : { status: 'void', reason },
      occurredAt: now,
    });
    return { ok: true, invoiceId };
  });
}

async function releaseBilled(trx: Transaction<Database>, invoiceId: string): Promise<void> {
  await trx.deleteFrom('invoiced_usage').where('invoice_id', '=', invoiceId).execute();
  await trx
    .updateTable('account_charges')
    .set({ invoice_id: null })
    .where('invoice_id', '=', invoiceId)
    .execute();
}
