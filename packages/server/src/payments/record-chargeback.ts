import type { Kysely, Transaction } from 'kysely';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import type { Actor } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { conflict, unprocessable } from '../outcomes/use-case-failure.js';
import { netMicros } from './payment-store.js';
import { completeReversal, existingReversal, lockPayment, type ReversalResult } from './refund-payment.js';

export interface ChargebackInput {
  readonly paymentId: string;
  readonly amountMicros: bigint;
  readonly reason?: string;
  /** A gateway's dispute id, or the staff request's key: one chargeback per key. */
  readonly idempotencyKey: string;
  readonly gatewayReference?: string;
}

/**
 * Records that the payer's bank took a payment back (a chargeback): the money is gone at once,
 * so the invoices it paid are owed again and dunning takes them up. Staff record chargebacks
 * reported by a bank; gateway disputes arrive as webhook events.
 */
export async function recordChargeback(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  input: ChargebackInput,
  now: Date,
): Promise<ReversalResult> {
  return db.transaction().execute((trx) => recordChargebackIn(trx, tenantId, actor, input, now));
}

export async function recordChargebackIn(
  trx: Transaction<Database>,
  tenantId: string,
  actor: Actor,
  input: ChargebackInput,
  now: Date,
): Promise<ReversalResult> {
  const locked = await lockPayment(trx, tenantId, input.paymentId);
  if (!locked.ok) return locked;
  const { payment } = locked;
  const replay = await existingReversal(trx, tenantId, input.idempotencyKey, payment.id, 'chargeback');
  if (replay !== null) return replay;
  if (payment.status !== 'succeeded')
    return conflict(
      `payment ${payment.id} is ${payment.status}: only a succeeded payment can be charged back`,
    );
  const left = netMicros(payment);
  if (input.amountMicros <= 0n || input.amountMicros > left)
    return unprocessable(
      '/amount',
      `a chargeback of payment ${payment.id} is more than 0 and at most ${formatMoneyAmount(left, payment.currency)} ${payment.currency}`,
    );
  const reversal = await trx
    .insertInto('payment_reversals')
    .values({
      tenant_id: tenantId,
      account_id: payment.account_id,
      payment_id: payment.id,
      kind: 'chargeback',
      amount_micros: input.amountMicros,
      status: 'succeeded',
      gateway_reference: input.gatewayReference ?? null,
      reason: input.reason ?? null,
      idempotency_key: input.idempotencyKey,
      failure_message: null,
      created_at: now,
      completed_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await completeReversal(trx, payment, reversal, actor, now);
  return { ok: true, reversal, replayed: false };
}
