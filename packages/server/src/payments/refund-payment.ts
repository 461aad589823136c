import type { Kysely, Selectable, Transaction } from 'kysely';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { conflict, notFound, type UseCaseFailure, unprocessable } from '../outcomes/use-case-failure.js';
import { recordWebhookEvent } from '../webhooks/record-webhook-event.js';
import type { PaymentGateways } from './gateways/payment-gateway.js';
import { lockAccountForPayments } from './lock-account-for-payments.js';
import { findPayment, netMicros, type PaymentRow } from './payment-store.js';
import type { PaymentReversalTable } from './payment-tables.js';
import { takeBackFromPayment } from './take-back-payment.js';

export type ReversalRow = Selectable<PaymentReversalTable>;
export type ReversalResult =
  | { readonly ok: true; readonly reversal: ReversalRow; readonly replayed: boolean }
  | UseCaseFailure;

export interface RefundInput {
  readonly paymentId: string;
  /** Default: all that can still be refunded. */
  readonly amountMicros?: bigint;
  readonly reason?: string;
  readonly idempotencyKey: string;
}

/**
 * Gives money back to the payer: through the gateway that took it (with an idempotency key, so
 * a retried refund never pays twice), or, for money received by hand, recorded as paid back. The
 * amount comes first out of the account's credit, then out of the invoices the payment paid,
 * which are owed again.
 */
export async function refundPayment(
  db: Kysely<Database>,
  gateways: PaymentGateways,
  tenantId: string,
  actor: Actor,
  input: RefundInput,
  now: Date,
): Promise<ReversalResult> {
  const opened = await db.transaction().execute(async (trx) => {
    const locked = await lockPayment(trx, tenantId, input.paymentId);
    if (!locked.ok) return locked;
    const { payment } = locked;
    const replay = await existingReversal(trx, tenantId, input.idempotencyKey, payment.id, 'refund');
    if (replay !== null) return replay;
    if (payment.status !== 'succeeded')
      return conflict(`payment ${payment.id} is ${payment.status}: only a succeeded payment is refunded`);
    const pending = await trx
      .selectFrom('payment_reversals')
      .select((eb) => eb.fn.sum<bigint>('amount_micros').as('total'))
      .where('payment_id', '=', payment.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    const refundable = netMicros(payment) - BigInt(pending?.total ?? 0n);
    const amountMicros = input.amountMicros ?? refundable;
    if (amountMicros <= 0n) return conflict(`payment ${payment.id} has nothing left to refund`);
    if (amountMicros > refundable)
      return unprocessable(
        '/amount',
        `payment ${payment.id} can be refunded at most ${formatMoneyAmount(refundable, payment.currency)} ${payment.currency}`,
      );
    const byHand = payment.gateway === null;
    const reversal = await trx
      .insertInto('payment_reversals')
      .values({
        tenant_id: tenantId,
        account_id: payment.account_id,
        payment_id: payment.id,
        kind: 'refund',
        amount_micros: amountMicros,
        status: byHand ? 'succeeded' : 'pending',
        gateway_reference: null,
        reason: input.reason ?? null,
        idempotency_key: input.idempotencyKey,
        failure_message: null,
        created_at: now,
        completed_at: byHand ? now : null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (byHand) await completeReversal(trx, payment, reversal, actor, now);
    return { ok: true as const, reversal, replayed: false };
  });
  if (!opened.ok || opened.replayed || opened.reversal.status !== 'pending') return opened;
  return askGatewayToRefund(db, gateways, tenantId, actor, opened.reversal, now);
}

async function askGatewayToRefund(
  db: Kysely<Database>,
  gateways: PaymentGateways,
  tenantId: string,
  actor: Actor,
  reversal: ReversalRow,
  now: Date,
): Promise<ReversalResult> {
  const payment = (await findPayment(db, tenantId, reversal.payment_id)) as PaymentRow;
  const gateway = gateways.get(payment.gateway ?? '');
  const result =
    gateway === undefined || payment.gateway_reference === null
      ? ({
          ok: false,
          error: { code: 'unavailable', message: `the ${payment.gateway} gateway is not configured` },
        } as const)
      : await gateway.refund({
          chargeReference: payment.gateway_reference,
          amountMicros: BigInt(reversal.amount_micros),
          currency: payment.currency,
          reason: reversal.reason,
          idempotencyKey: `tollgate-refund-${reversal.id}`,
        });
  return db.transaction().execute(async (trx): Promise<ReversalResult> => {
    const locked = await lockPayment(trx, tenantId, payment.id);
    if (!locked.ok) return locked;
    const current = await trx
      .selectFrom('payment_reversals')
      .selectAll()
      .where('id', '=', reversal.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (current.status !== 'pending') return { ok: true, reversal: current, replayed: true };
    if (!result.ok && result.error.code === 'unavailable') {
      await trx
        .updateTable('payment_reversals')
        .set({ failure_message: result.error.message.slice(0, 1000) })
        .where('id', '=', reversal.id)
        .execute();
    } else if (!result.ok || result.value.status === 'failed') {
      await trx
        .updateTable('payment_reversals')
        .set({
          status: 'failed',
          completed_at: now,
          failure_message: result.ok ? 'the gateway refused the refund' : result.error.message.slice(0, 1000),
          gateway_reference: result.ok ? result.value.reference : null,
        })
        .where('id', '=', reversal.id)
        .execute();
    } else {
      const done = await trx
        .updateTable('payment_reversals')
        .set({ status: 'succeeded', completed_at: now, gateway_reference: result.value.reference })
        .where('id', '=', reversal.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await completeReversal(trx, locked.payment, done, actor, now);
    }
    const after = await trx
      .selectFrom('payment_reversals')
      .selectAll()
      .where('id', '=', reversal.id)
      .executeTakeFirstOrThrow();
    return { ok: true, reversal: after, replayed: false };
  });
}

/** Takes the reversed amount back from the payment and tells of it. */
export async function completeReversal(
  trx: Transaction<Database>,
  payment: PaymentRow,
  reversal: ReversalRow,
  actor: Actor,
  now: Date,
): Promise<void> {
  const allocations = await takeBackFromPayment(
    trx,
    payment,
    reversal.kind,
    BigInt(reversal.amount_micros),
    now,
  );
  await recordWebhookEvent(trx, {
    tenantId: payment.tenant_id,
    type: reversal.kind === 'refund' ? 'payment.refunded' : 'payment.charged_back',
    occurredAt: now,
    data: {
      paymentId: payment.id,
      reversalId: reversal.id,
      accountId: payment.account_id,
      amount: formatMoneyAmount(BigInt(reversal.amount_micros), payment.currency),
      currency: payment.currency,
      reopenedInvoiceIds: allocations.map((allocation) => allocation.invoiceId),
    },
  });
  await recordAuditEntry(trx, {
    tenantId: payment.tenant_id,
    actor,
    action: `payment.${reversal.kind}`,
    objectType: 'payment',
    objectId: payment.id,
    before: null,
    after: {
      reversalId: reversal.id,
      amountMicros: reversal.amount_micros.toString(),
      reason: reversal.reason,
    },
    occurredAt: now,
  });
}

/** Locks the payment's account, then the payment: the order every payment change takes. */
export async function lockPayment(
  trx: Transaction<Database>,
  tenantId: string,
  paymentId: string,
): Promise<{ readonly ok: true; readonly payment: PaymentRow } | UseCaseFailure> {
  const found = await findPayment(trx, tenantId, paymentId);
  if (found === undefined) return notFound(`no payment ${paymentId}`);
  await lockAccountForPayments(trx, tenantId, found.account_id);
  const payment = (await findPayment(trx, tenantId, paymentId, true)) as PaymentRow;
  return { ok: true, payment };
}

/** The reversal a key already made (a retry), or a conflict when the key was used for something else. */
export async function existingReversal(
  trx: Transaction<Database>,
  tenantId: string,
  idempotencyKey: string,
  paymentId: string,
  kind: 'refund' | 'chargeback',
): Promise<ReversalResult | null> {
  const existing = await trx
    .selectFrom('payment_reversals')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
  if (existing === undefined) return null;
  if (existing.payment_id !== paymentId || existing.kind !== kind)
    return conflict(`idempotency key ${idempotencyKey} was used for another ${existing.kind}`);
  return { ok: true, reversal: existing, replayed: true };
}
