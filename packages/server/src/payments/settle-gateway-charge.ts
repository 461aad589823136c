import type { Transaction } from 'kysely';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { recordWebhookEvent } from '../webhooks/record-webhook-event.js';
import { applyAccountCredit } from './apply-account-credit.js';
import type { GatewayCharge } from './gateways/payment-gateway.js';
import { lockAccountForPayments } from './lock-account-for-payments.js';
import { findPayment, type PaymentRow } from './payment-store.js';
import type { PaymentStatus } from './payment-tables.js';

/** What the gateway said of a charge: its state, or that it did not answer (outcome unknown). */
export type ChargeAnswer =
  | { readonly kind: 'charge'; readonly charge: GatewayCharge }
  | { readonly kind: 'unavailable'; readonly message: string };

/**
 * Brings a payment to the state the gateway reports, once: a succeeded payment never goes back
 * (a late 'failed' webhook of an earlier attempt changes nothing); a failed one may still succeed
 * (the customer authenticated, another attempt went through). Money that arrives is applied to
 * the account's invoices in the same transaction, and the change is told by webhook.
 */
export async function settleGatewayCharge(
  trx: Transaction<Database>,
  tenantId: string,
  paymentId: string,
  answer: ChargeAnswer,
  now: Date,
  actor: Actor = { type: 'system', id: 'payments' },
): Promise<PaymentRow> {
  const before = await findPayment(trx, tenantId, paymentId);
  if (before === undefined) throw new Error(`settleGatewayCharge: no payment ${paymentId}`);
  const account = await lockAccountForPayments(trx, tenantId, before.account_id);
  if (account === undefined) throw new Error(`settleGatewayCharge: no account ${before.account_id}`);
  const payment = (await findPayment(trx, tenantId, paymentId, true)) as PaymentRow;
  if (payment.status === 'succeeded') return payment;
  if (answer.kind === 'unavailable') {
    // The gateway may or may not have charged: stay pending; the same idempotency key settles it.
    await trx
      .updateTable('payments')
      .set({ failure_code: 'gateway_unavailable', failure_message: answer.message.slice(0, 1000) })
      .where('id', '=', paymentId)
      .execute();
    return (await findPayment(trx, tenantId, paymentId)) as PaymentRow;
  }
  const { charge } = answer;
  const status: PaymentStatus = charge.status;
  if (status === payment.status && charge.reference === payment.gateway_reference) return payment;
  await trx
    .updateTable('payments')
    .set({
      status,
      gateway_reference: charge.reference,
      failure_code:
        status === 'failed' || status === 'requires_action' ? (charge.failureCode ?? status) : null,
      failure_message: status === 'failed' ? (charge.failureMessage?.slice(0, 1000) ?? null) : null,
      received_at: status === 'succeeded' ? now : null,
      updated_at: now,
    })
    .where('id', '=', paymentId)
    .execute();
  const applied =
    status === 'succeeded'
      ? await applyAccountCredit(trx, tenantId, account, now, { paymentId, invoiceId: payment.invoice_id })
      : null;
  if (status !== payment.status) {
    await recordWebhookEvent(trx, {
      tenantId,
      type:
        status === 'succeeded'
          ? 'payment.succeeded'
          : status === 'failed'
            ? 'payment.failed'
            : 'payment.requires_action',
      occurredAt: now,
      data: {
        paymentId,
        accountId: payment.account_id,
        invoiceId: payment.invoice_id,
        purpose: payment.purpose,
        amount: formatMoneyAmount(BigInt(payment.amount_micros), payment.currency),
        currency: payment.currency,
        failureCode: status === 'succeeded' ? null : (charge.failureCode ?? null),
        paidInvoiceIds: applied?.paidInvoiceIds ?? [],
      },
    });
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: `payment.${status}`,
      objectType: 'payment',
      objectId: paymentId,
      before: { status: payment.status },
      after: { status, gatewayReference: charge.reference, failureCode: charge.failureCode },
      occurredAt: now,
    });
  }
  return (await findPayment(trx, tenantId, paymentId)) as PaymentRow;
}
