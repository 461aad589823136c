import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import type {
  GatewayCharge,
  GatewayEvent,
  PaymentGateway,
  WebhookRequest,
} from './gateways/payment-gateway.js';
import { findPayment, type PaymentRow } from './payment-store.js';
import { recordChargebackIn } from './record-chargeback.js';
import { completeReversal, lockPayment } from './refund-payment.js';
import { settleGatewayCharge } from './settle-gateway-charge.js';

export type GatewayEventResult =
  | { readonly ok: true; readonly eventId: string; readonly outcome: string }
  | {
      readonly ok: false;
      readonly code: 'invalid_signature' | 'stale_event' | 'invalid_event';
      readonly message: string;
    };

const GATEWAY_ACTOR: Actor = { type: 'system', id: 'gateway-webhook' };

/**
 * Takes a gateway's webhook: verified by signature and age first, then acted on once per event
 * id (the id is stored in the transaction that acts on it; a replay finds it and changes
 * nothing). Events may arrive in any order, so a charge event is not trusted for the charge's
 * state: the charge is read again from the gateway and the payment brought to that state, which
 * never moves a succeeded payment back. Refund events carry the total refunded so far, so a late
 * one cannot refund twice.
 */
export async function processGatewayEvent(
  db: Kysely<Database>,
  gateway: PaymentGateway,
  request: WebhookRequest,
  now: Date,
): Promise<GatewayEventResult> {
  const verified = gateway.verifyWebhook(request);
  if (!verified.ok) {
    const code = verified.error.code;
    return {
      ok: false,
      code: code === 'stale_event' || code === 'invalid_signature' ? code : 'invalid_event',
      message: verified.error.message,
    };
  }
  const event = verified.value;
  const seen = await db
    .selectFrom('gateway_events')
    .select('outcome')
    .where('gateway', '=', gateway.name)
    .where('event_id', '=', event.id)
    .executeTakeFirst();
  if (seen !== undefined) return { ok: true, eventId: event.id, outcome: `duplicate (${seen.outcome})` };
  const payment = await paymentOf(db, gateway.name, event);
  // The charge's current state, read before the transaction: no lock waits on the network.
  const charge =
    event.kind === 'charge_updated' && payment !== undefined && event.chargeReference !== null
      ? await gateway.retrieveCharge(event.chargeReference)
      : null;
  return db
    .transaction()
    .execute(async (trx): Promise<GatewayEventResult> => {
      const outcome = await actOn(trx, event, payment, charge?.ok === true ? charge.value : null, now);
      const inserted = await trx
        .insertInto('gateway_events')
        .values({
          gateway: gateway.name,
          event_id: event.id,
          tenant_id: payment?.tenant_id ?? event.tenantId,
          type: event.type,
          payload: JSON.stringify(event.payload),
          received_at: now,
          outcome: charge !== null && !charge.ok ? `charge not read: ${charge.error.message}` : outcome,
        })
        .onConflict((c) => c.columns(['gateway', 'event_id']).doNothing())
        .returning('event_id')
        .executeTakeFirst();
      // Another process took the same event at the same moment: undo ours.
      if (inserted === undefined) throw new DuplicateEvent();
      return { ok: true, eventId: event.id, outcome };
    })
    .catch((error: unknown) => {
      if (error instanceof DuplicateEvent)
        return { ok: true as const, eventId: event.id, outcome: 'duplicate' };
      throw error;
    });
}

class DuplicateEvent extends Error {}

async function paymentOf(
  db: Kysely<Database>,
  gateway: string,
  event: GatewayEvent,
): Promise<PaymentRow | undefined> {
  if (event.chargeReference === null) return undefined;
  let query = db
    .selectFrom('payments')
    .selectAll()
    .where('gateway', '=', gateway)
    .where('gateway_reference', '=', event.chargeReference);
  if (event.tenantId !== null) query = query.where('tenant_id', '=', event.tenantId);
  return query.executeTakeFirst();
}

async function actOn(
  trx: Transaction<Database>,
  event: GatewayEvent,
  payment: PaymentRow | undefined,
  charge: GatewayCharge | null,
  now: Date,
): Promise<string> {
  if (event.kind === 'ignored') return 'ignored';
  if (payment === undefined) return `no payment has charge ${event.chargeReference ?? '(none)'}`;
  if (event.kind === 'charge_updated') {
    if (charge === null) return 'charge not read';
    const settled = await settleGatewayCharge(
      trx,
      payment.tenant_id,
      payment.id,
      { kind: 'charge', charge },
      now,
      GATEWAY_ACTOR,
    );
    return `payment ${settled.status}`;
  }
  if (event.kind === 'dispute_opened') {
    const result = await recordChargebackIn(
      trx,
      payment.tenant_id,
      GATEWAY_ACTOR,
      {
        paymentId: payment.id,
        amountMicros: event.amountMicros ?? BigInt(payment.amount_micros),
        reason: `dispute reported by ${payment.gateway} (${event.type})`,
        idempotencyKey: `gateway-dispute:${payment.gateway}:${event.id}`,
      },
      now,
    );
    return result.ok ? 'chargeback recorded' : `chargeback not recorded: ${result.message}`;
  }
  return recordGatewayRefunds(trx, payment, event.amountMicros ?? 0n, event.id, now);
}

/**
 * The gateway says `refundedMicros` in all has been refunded: complete our pending refunds that
 * fit, and record what is beyond them (a refund made in the gateway's dashboard) as a refund.
 */
async function recordGatewayRefunds(
  trx: Transaction<Database>,
  found: PaymentRow,
  refundedMicros: bigint,
  eventId: string,
  now: Date,
): Promise<string> {
  const locked = await lockPayment(trx, found.tenant_id, found.id);
  if (!locked.ok) return locked.message;
  let payment = locked.payment;
  const reversals = await trx
    .selectFrom('payment_reversals')
    .selectAll()
    .where('payment_id', '=', payment.id)
    .where('kind', '=', 'refund')
    .where('status', 'in', ['pending', 'succeeded'])
    .orderBy('created_at')
    .forUpdate()
    .execute();
  let known = BigInt(payment.refunded_micros);
  let completed = 0;
  for (const reversal of reversals.filter((r) => r.status === 'pending')) {
    if (known + BigInt(reversal.amount_micros) > refundedMicros) break;
    const done = await trx
      .updateTable('payment_reversals')
      .set({ status: 'succeeded', completed_at: now })
      .where('id', '=', reversal.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await completeReversal(trx, payment, done, GATEWAY_ACTOR, now);
    payment = (await findPayment(trx, found.tenant_id, found.id)) ?? payment;
    known += BigInt(reversal.amount_micros);
    completed += 1;
  }
  // A refund of ours still waiting is what the rest is most likely; its own answer settles it.
  const stillPending = reversals.filter((r) => r.status === 'pending').length > completed;
  const extra = refundedMicros - known;
  if (extra <= 0n || stillPending) return `refunds up to date (${completed} completed)`;
  const net =
    BigInt(payment.amount_micros) - BigInt(payment.refunded_micros) - BigInt(payment.charged_back_micros);
  const amount = extra < net ? extra : net;
  if (amount <= 0n) return 'refund beyond the payment ignored';
  const reversal = await trx
    .insertInto('payment_reversals')
    .values({
      tenant_id: payment.tenant_id,
      account_id: payment.account_id,
      payment_id: payment.id,
      kind: 'refund',
      amount_micros: amount,
      status: 'succeeded',
      gateway_reference: null,
      reason: `refunded at ${payment.gateway}`,
      idempotency_key: `gateway-refund:${payment.gateway}:${eventId}`,
      failure_message: null,
      created_at: now,
      completed_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await completeReversal(trx, payment, reversal, GATEWAY_ACTOR, now);
  return `refund of ${amount} micro-units recorded`;
}
