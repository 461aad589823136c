import type { Kysely, Transaction } from 'kysely';
import { formatMoneyAmount, parseMoneyAmount } from '../accounts/money-amount.js';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import {
  conflict,
  invalid,
  notFound,
  type UseCaseFailure,
  unprocessable,
} from '../outcomes/use-case-failure.js';
import { recordWebhookEvent } from '../webhooks/record-webhook-event.js';
import { applyAccountCredit } from './apply-account-credit.js';
import { lockAccountForPayments } from './lock-account-for-payments.js';
import { paymentRequestHash } from './payment-request-hash.js';
import type { RecordPaymentBody } from './payment-schemas.js';
import { findPayment, type PaymentRow } from './payment-store.js';

export type RecordPaymentResult =
  | { readonly ok: true; readonly payment: PaymentRow; readonly replayed: boolean }
  | UseCaseFailure;

/**
 * Records money received outside a gateway (bank transfer, cash, cheque) and applies it: to the
 * chosen invoice first, then the oldest due; what is left stays as credit for the next invoices.
 * Idempotent by key: the same key and request gives the first payment back; the same key with
 * another request is a conflict.
 */
export async function recordPayment(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  accountId: string,
  input: RecordPaymentBody,
  idempotencyKey: string,
  now: Date,
): Promise<RecordPaymentResult> {
  const amount = parseMoneyAmount(input.amount, input.currency);
  if (!amount.ok) return invalid('/amount', amount.message);
  if (amount.micros === 0n) return invalid('/amount', 'a payment is more than 0');
  const receivedAt = input.receivedAt === undefined ? now : new Date(input.receivedAt);
  if (receivedAt.getTime() > now.getTime())
    return invalid('/receivedAt', 'a payment cannot be received in the future');
  const requestHash = paymentRequestHash({ accountId, ...input, amount: amount.micros.toString() });
  return db
    .transaction()
    .execute((trx) =>
      recordPaymentIn(
        trx,
        tenantId,
        actor,
        accountId,
        input,
        amount.micros,
        receivedAt,
        idempotencyKey,
        requestHash,
        now,
      ),
    );
}

/** recordPayment inside the caller's transaction (a bank statement import records many in one). */
export async function recordPaymentIn(
  trx: Transaction<Database>,
  tenantId: string,
  actor: Actor,
  accountId: string,
  input: Omit<RecordPaymentBody, 'amount'>,
  amountMicros: bigint,
  receivedAt: Date,
  idempotencyKey: string,
  requestHash: string,
  now: Date,
): Promise<RecordPaymentResult> {
  const account = await lockAccountForPayments(trx, tenantId, accountId);
  if (account === undefined) return notFound(`no account ${accountId}`);
  const existing = await trx
    .selectFrom('payments')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
  if (existing !== undefined) {
    if (existing.request_hash !== requestHash)
      return conflict(`idempotency key ${idempotencyKey} was used for another payment request`);
    return { ok: true, payment: existing, replayed: true };
  }
  if (input.currency !== account.currency)
    return unprocessable(
      '/currency',
      `account ${accountId} is billed in ${account.currency}, not ${input.currency}`,
    );
  if (input.invoiceId !== undefined) {
    const invoice = await trx
      .selectFrom('invoices')
      .select(['account_id', 'kind'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', input.invoiceId)
      .executeTakeFirst();
    if (invoice === undefined || invoice.account_id !== accountId || invoice.kind !== 'invoice')
      return unprocessable('/invoiceId', `account ${accountId} has no invoice ${input.invoiceId}`);
  }
  const { id } = await trx
    .insertInto('payments')
    .values({
      tenant_id: tenantId,
      account_id: accountId,
      source: input.source,
      purpose: 'payment',
      gateway: null,
      payment_method_id: null,
      invoice_id: input.invoiceId ?? null,
      amount_micros: amountMicros,
      currency: account.currency,
      status: 'succeeded',
      failure_code: null,
      failure_message: null,
      gateway_reference: null,
      reference: input.reference ?? null,
      note: input.note ?? null,
      idempotency_key: idempotencyKey,
      request_hash: requestHash,
      received_at: receivedAt,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const applied = await applyAccountCredit(trx, tenantId, account, now, {
    paymentId: id,
    invoiceId: input.invoiceId ?? null,
  });
  await recordWebhookEvent(trx, {
    tenantId,
    type: 'payment.succeeded',
    occurredAt: now,
    data: {
      paymentId: id,
      accountId,
      source: input.source,
      amount: formatMoneyAmount(amountMicros, account.currency),
      currency: account.currency,
      paidInvoiceIds: applied.paidInvoiceIds,
    },
  });
  await recordAuditEntry(trx, {
    tenantId,
    actor,
    action: 'payment.recorded',
    objectType: 'payment',
    objectId: id,
    before: null,
    after: {
      source: input.source,
      amountMicros: amountMicros.toString(),
      reference: input.reference ?? null,
    },
    occurredAt: now,
  });
  const payment = await findPayment(trx, tenantId, id);
  if (payment === undefined) throw new Error(`recordPayment: payment ${id} vanished`);
  return { ok: true, payment, replayed: false };
}
