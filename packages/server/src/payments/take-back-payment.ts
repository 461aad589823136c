import { type Allocation, takeBackPayment } from '@tollgate/core';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { recordWebhookEvents } from '../webhooks/record-webhook-event.js';
import type { PaymentRow } from './payment-store.js';
import { netMicros } from './payment-store.js';

/**
 * Takes an amount back from a payment (refund, chargeback): first from what it left as credit,
 * then from the invoices it paid, most recent first. Those invoices are owed again: a paid one
 * goes back to 'finalized' (and into dunning, when it is past due). Writes the negative
 * allocations and the payment's new refunded/charged-back total; the caller holds the account's
 * payment lock and the payment's row lock.
 */
export async function takeBackFromPayment(
  trx: Transaction<Database>,
  payment: PaymentRow,
  kind: 'refund' | 'chargeback',
  amountMicros: bigint,
  now: Date,
): Promise<Allocation[]> {
  const { rows } = await sql<{ invoice_id: string; paid_micros: bigint; last_id: bigint }>`
    select invoice_id, sum(amount_micros) as paid_micros, max(id) as last_id
    from payment_allocations where payment_id = ${payment.id}
    group by invoice_id`.execute(trx);
  const paid = rows.map((row) => ({
    invoiceId: row.invoice_id,
    paidMicros: BigInt(row.paid_micros),
    lastAllocatedAt: Number(row.last_id),
  }));
  const allocated = paid.reduce((sum, invoice) => sum + invoice.paidMicros, 0n);
  const allocations = takeBackPayment(amountMicros, netMicros(payment) - allocated, paid);
  if (allocations.length > 0)
    await trx
      .insertInto('payment_allocations')
      .values(
        allocations.map((allocation) => ({
          tenant_id: payment.tenant_id,
          account_id: payment.account_id,
          payment_id: payment.id,
          invoice_id: allocation.invoiceId,
          amount_micros: allocation.amountMicros,
          reason: kind,
        })),
      )
      .execute();
  for (const allocation of allocations) {
    await trx
      .updateTable('invoices')
      .set((eb) => ({
        paid_micros: eb('paid_micros', '+', allocation.amountMicros),
        status: sql<'finalized'>`case when status = 'paid' then 'finalized' else status end`,
        paid_at: sql<null>`case when status = 'paid' then null else paid_at end`,
      }))
      .where('id', '=', allocation.invoiceId)
      .execute();
  }
  await trx
    .updateTable('payments')
    .set((eb) =>
      kind === 'refund'
        ? { refunded_micros: eb('refunded_micros', '+', amountMicros), updated_at: now }
        : { charged_back_micros: eb('charged_back_micros', '+', amountMicros), updated_at: now },
    )
    .where('id', '=', payment.id)
    .execute();
  await recordWebhookEvents(
    trx,
    payment.tenant_id,
    allocations.map((allocation) => ({
      tenantId: payment.tenant_id,
      type: 'invoice.reopened' as const,
      occurredAt: now,
      data: {
        invoiceId: allocation.invoiceId,
        accountId: payment.account_id,
        paymentId: payment.id,
        reason: kind,
      },
    })),
  );
  return allocations;
}
