import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import { invoiceOutstandingMicros } from '../billing/invoice-outstanding.js';
import type { Database } from '../db/database-schema.js';
import { conflict, notFound, type UseCaseFailure, unprocessable } from '../outcomes/use-case-failure.js';
import type { PaymentGateways } from './gateways/payment-gateway.js';
import { accountToday, lockAccountForPayments } from './lock-account-for-payments.js';
import { paymentRequestHash } from './payment-request-hash.js';
import { findPayment, type PaymentRow, readAccountReceivable } from './payment-store.js';
import type { PaymentPurpose } from './payment-tables.js';
import { settleGatewayCharge } from './settle-gateway-charge.js';

export interface CollectPaymentInput {
  readonly accountId: string;
  readonly purpose: PaymentPurpose;
  /** Default: the invoice's amount due, or all the account owes. */
  readonly amountMicros?: bigint;
  readonly invoiceId?: string;
  /** Default: the account's default method. */
  readonly paymentMethodId?: string;
  readonly idempotencyKey: string;
  readonly description?: string;
}

export type CollectPaymentResult =
  | { readonly ok: true; readonly payment: PaymentRow; readonly replayed: boolean }
  | UseCaseFailure;

/**
 * A request still 'pending' after this long was cut off (the process died, the gateway did not
 * answer): a retry with the same key may ask the gateway again, with the same gateway
 * idempotency key, so it learns the outcome instead of charging twice.
 */
const IN_FLIGHT_LEASE_MS = 60_000;

/**
 * Charges an account's stored payment method through its gateway. The payment row is written
 * first (pending, under the account's lock and the idempotency key), then the gateway is asked
 * outside any transaction with an idempotency key derived from the payment's id, then the answer
 * is settled. However often the request is repeated, at once or later, one payment exists and
 * the gateway charges once.
 */
export async function collectPayment(
  db: Kysely<Database>,
  gateways: PaymentGateways,
  tenantId: string,
  actor: Actor,
  input: CollectPaymentInput,
  now: Date,
): Promise<CollectPaymentResult> {
  const requestHash = paymentRequestHash({
    accountId: input.accountId,
    purpose: input.purpose,
    amountMicros: input.amountMicros?.toString() ?? null,
    invoiceId: input.invoiceId ?? null,
    paymentMethodId: input.paymentMethodId ?? null,
  });
  const claimed = await db.transaction().execute(async (trx): Promise<Claim> => {
    const account = await lockAccountForPayments(trx, tenantId, input.accountId);
    if (account === undefined) return { kind: 'failure', failure: notFound(`no account ${input.accountId}`) };
    const existing = await trx
      .selectFrom('payments')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('idempotency_key', '=', input.idempotencyKey)
      .executeTakeFirst();
    if (existing !== undefined) {
      if (existing.request_hash !== requestHash)
        return {
          kind: 'failure',
          failure: conflict(`idempotency key ${input.idempotencyKey} was used for another payment request`),
        };
      const stale = now.getTime() - existing.updated_at.getTime() >= IN_FLIGHT_LEASE_MS;
      if (existing.status !== 'pending' || !stale) return { kind: 'done', payment: existing };
      await trx.updateTable('payments').set({ updated_at: now }).where('id', '=', existing.id).execute();
      return { kind: 'charge', payment: existing };
    }
    const method = await trx
      .selectFrom('payment_methods')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('account_id', '=', input.accountId)
      .where('status', '=', 'active')
      .$if(input.paymentMethodId === undefined, (q) => q.where('is_default', '=', true))
      .$if(input.paymentMethodId !== undefined, (q) => q.where('id', '=', input.paymentMethodId as string))
      .executeTakeFirst();
    if (method === undefined)
      return {
        kind: 'failure',
        failure: unprocessable(
          '/paymentMethodId',
          input.paymentMethodId === undefined
            ? `account ${input.accountId} has no default payment method`
            : `account ${input.accountId} has no active payment method ${input.paymentMethodId}`,
        ),
      };
    if (!gateways.has(method.gateway))
      return {
        kind: 'failure',
        failure: unprocessable(
          '/paymentMethodId',
          `the ${method.gateway} gateway is not configured on this server`,
        ),
      };
    let amountMicros = input.amountMicros;
    if (input.invoiceId !== undefined) {
      const invoice = await trx
        .selectFrom('invoices')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', input.invoiceId)
        .executeTakeFirst();
      if (invoice === undefined || invoice.account_id !== input.accountId)
        return {
          kind: 'failure',
          failure: unprocessable(
            '/invoiceId',
            `account ${input.accountId} has no invoice ${input.invoiceId}`,
          ),
        };
      amountMicros ??= invoiceOutstandingMicros(invoice);
    }
    amountMicros ??= (await readAccountReceivable(trx, tenantId, input.accountId, accountToday(account, now)))
      .outstandingMicros;
    if (amountMicros <= 0n)
      return {
        kind: 'failure',
        failure: conflict(`nothing to collect from account ${input.accountId}`, '/amount'),
      };
    const payment = await trx
      .insertInto('payments')
      .values({
        tenant_id: tenantId,
        account_id: input.accountId,
        source: 'gateway',
        purpose: input.purpose,
        gateway: method.gateway,
        payment_method_id: method.id,
        invoice_id: input.invoiceId ?? null,
        amount_micros: amountMicros,
        currency: account.currency,
        status: 'pending',
        failure_code: null,
        failure_message: null,
        gateway_reference: null,
        reference: null,
        note: input.description ?? null,
        idempotency_key: input.idempotencyKey,
        request_hash: requestHash,
        received_at: null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'payment.requested',
      objectType: 'payment',
      objectId: payment.id,
      before: null,
      after: { purpose: input.purpose, amountMicros: amountMicros.toString(), paymentMethodId: method.id },
      occurredAt: now,
    });
    return { kind: 'charge', payment };
  });
  if (claimed.kind === 'failure') return claimed.failure;
  if (claimed.kind === 'done') return { ok: true, payment: claimed.payment, replayed: true };
  const payment = await chargeAndSettle(db, gateways, tenantId, claimed.payment, now);
  return { ok: true, payment, replayed: false };
}

type Claim =
  | { readonly kind: 'failure'; readonly failure: UseCaseFailure }
  | { readonly kind: 'done'; readonly payment: PaymentRow }
  | { readonly kind: 'charge'; readonly payment: PaymentRow };

/** Asks the gateway (outside any transaction) and settles its answer. */
async function chargeAndSettle(
  db: Kysely<Database>,
  gateways: PaymentGateways,
  tenantId: string,
  payment: PaymentRow,
  now: Date,
): Promise<PaymentRow> {
  const gateway = gateways.get(payment.gateway ?? '');
  const method = await db
    .selectFrom('payment_methods')
    .select(['gateway_customer', 'token'])
    .where('id', '=', payment.payment_method_id ?? '00000000-0000-0000-0000-000000000000')
    .executeTakeFirst();
  if (gateway === undefined || method === undefined)
    throw new Error(`collectPayment: payment ${payment.id} has no usable gateway or method`);
  const result = await gateway.charge({
    tenantId,
    accountId: payment.account_id,
    paymentId: payment.id,
    amountMicros: BigInt(payment.amount_micros),
    currency: payment.currency,
    method: { gatewayCustomer: method.gateway_customer, token: method.token },
    description: payment.note ?? `Tollgate payment ${payment.id}`,
    idempotencyKey: `tollgate-payment-${payment.id}`,
  });
  const answer = result.ok
    ? ({ kind: 'charge', charge: result.value } as const)
    : result.error.code === 'unavailable'
      ? ({ kind: 'unavailable', message: result.error.message } as const)
      : ({
          kind: 'charge',
          charge: {
            reference: payment.gateway_reference ?? `refused-${payment.id}`,
            status: 'failed',
            amountMicros: BigInt(payment.amount_micros),
            currency: payment.currency,
            failureCode: 'invalid_request',
            failureMessage: result.error.message,
          },
        } as const);
  const settled = await db
    .transaction()
    .execute((trx) => settleGatewayCharge(trx, tenantId, payment.id, answer, now));
  return settled ?? ((await findPayment(db, tenantId, payment.id)) as PaymentRow);
}
