import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { conflict, type InvoiceFailure, notFound } from './invoice-failure.js';

export type MarkInvoicePaidResult = { readonly ok: true; readonly invoiceId: string } | InvoiceFailure;

/**
 * Records that a finalised invoice was paid in full (by bank transfer, at a shop): the payment
 * gateways record their own payments; this is the operator's hand. Paying twice is a conflict.
 */
export async function markInvoicePaid(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  invoiceId: string,
  now: Date,
): Promise<MarkInvoicePaidResult> {
  return db.transaction().execute(async (trx): Promise<MarkInvoicePaidResult> => {
    const invoice = await trx
      .selectFrom('invoices')
      .select(['id', 'status', 'kind'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', invoiceId)
      .forUpdate()
      .executeTakeFirst();
    if (invoice === undefined) return notFound(`no invoice ${invoiceId}`);
    if (invoice.kind !== 'invoice') return conflict(`${invoiceId} is a credit note: it is not paid`);
    if (invoice.status !== 'finalized')
      return conflict(`invoice ${invoiceId} is ${invoice.status}: only a finalized invoice can be paid`);
    await trx
      .updateTable('invoices')
      .set({ status: 'paid', paid_at: now })
      .where('id', '=', invoiceId)
      .execute();
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'invoice.paid',
      objectType: 'invoice',
      objectId: invoiceId,
      before: { status: 'finalized' },
      after: { status: 'paid' },
      occurredAt: now,
    });
    return { ok: true, invoiceId };
  });
}
