import { isoDateOfDay, zoneClockFor } from '@tollgate/core';
import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { recordWebhookEvent } from '../webhooks/record-webhook-event.js';
import { conflict, type InvoiceFailure, notFound } from './invoice-failure.js';
import { invoiceFinalizedData } from './invoice-finalized-data.js';
import { numberInvoices } from './number-invoices.js';

export type FinalizeInvoiceResult = { readonly ok: true; readonly invoiceId: string } | InvoiceFailure;

/**
 * Finalises a draft: takes the next number of the tenant's series, dates it today in the
 * account's zone with its due date after the account's payment terms, and from then on the
 * invoice never changes (the database refuses). Finalising a finalised invoice is a conflict.
 */
export async function finalizeInvoice(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  invoiceId: string,
  now: Date,
): Promise<FinalizeInvoiceResult> {
  return db.transaction().execute(async (trx): Promise<FinalizeInvoiceResult> => {
    const invoice = await trx
      .selectFrom('invoices as i')
      .innerJoin('accounts as a', 'a.id', 'i.account_id')
      .select([
        'i.id',
        'i.status',
        'i.kind',
        'i.document',
        'i.account_id',
        'i.currency',
        'i.total_micros',
        'a.time_zone',
        'a.payment_terms_days',
      ])
      .where('i.tenant_id', '=', tenantId)
      .where('i.id', '=', invoiceId)
      .forUpdate('i')
      .executeTakeFirst();
    if (invoice === undefined) return notFound(`no invoice ${invoiceId}`);
    if (invoice.status !== 'draft') return conflict(`invoice ${invoiceId} is ${invoice.status}, not a draft`);
    const profile = await trx
      .selectFrom('billing_profiles')
      .select(['invoice_series'])
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    const series = profile?.invoice_series ?? 'INV';
    const [number] = await numberInvoices(trx, tenantId, series, 1);
    const day = zoneClockFor(invoice.time_zone).localTime(now.getTime()).dayNumber;
    const issuedOn = isoDateOfDay(day);
    const dueOn = isoDateOfDay(day + invoice.payment_terms_days);
    const document = {
      ...invoice.document,
      number: number!.number,
      status: 'finalized' as const,
      issuedOn,
      dueOn,
    };
    await trx
      .updateTable('invoices')
      .set({
        status: 'finalized',
        series,
        sequence: number!.sequence,
        number: number!.number,
        issued_on: issuedOn,
        due_on: dueOn,
        document: JSON.stringify(document),
        finalized_at: now,
      })
      .where('id', '=', invoiceId)
      .execute();
    await recordWebhookEvent(trx, {
      tenantId,
      type: 'invoice.finalized',
      occurredAt: now,
      data: invoiceFinalizedData({
        id: invoiceId,
        accountId: invoice.account_id,
        number: number!.number,
        currency: invoice.currency,
        totalMicros: BigInt(invoice.total_micros),
        issuedOn,
        dueOn,
      }),
    });
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'invoice.finalized',
      objectType: 'invoice',
      objectId: invoiceId,
      before: { status: 'draft' },
      after: { status: 'finalized', number: number!.number },
      occurredAt: now,
    });
    return { ok: true, invoiceId };
  });
}
