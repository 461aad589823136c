import { gatewayFailure, gatewayOk } from './gateway-result.js';
import type { GatewayEvent, GatewayResult } from './payment-gateway.js';
import { fromStripeAmount } from './stripe-amount.js';

/**
 * The payment intent events that mean "the charge changed state". Tollgate does not take the new
 * state from the event: Stripe does not promise delivery order, so the caller re-reads the intent
 * (retrieveCharge) and acts on what it says now.
 */
const CHARGE_UPDATED_TYPES: ReadonlySet<string> = new Set([
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.processing',
  'payment_intent.requires_action',
  'payment_intent.canceled',
]);

type Fields = Pick<GatewayEvent, 'id' | 'type' | 'createdAtMs' | 'payload'>;

/**
 * A verified Stripe event (https://docs.stripe.com/api/events/object) reduced to what Tollgate acts
 * on. Types Tollgate does not use are `ignored`, not refused: refusing would make Stripe retry
 * the delivery for days, and disable the endpoint in the end.
 */
export function readStripeEvent(payload: unknown): GatewayResult<GatewayEvent> {
  if (!isRecord(payload) || !isRecord(payload.data) || !isRecord(payload.data.object)) {
    return gatewayFailure('invalid_event', 'the body is not a Stripe event');
  }
  const { id, type, created } = payload;
  if (typeof id !== 'string' || typeof type !== 'string' || !Number.isSafeInteger(created)) {
    return gatewayFailure('invalid_event', 'the event has no id, type or created time');
  }
  const fields: Fields = { id, type, createdAtMs: (created as number) * 1000, payload };
  const object = payload.data.object;
  if (CHARGE_UPDATED_TYPES.has(type)) return intentEvent(fields, object);
  // A Charge's amount_refunded is the total refunded so far, as GatewayEvent wants it.
  if (type === 'charge.refunded')
    return amountEvent(fields, 'charge_refunded', object, object.amount_refunded);
  if (type === 'charge.dispute.created') return amountEvent(fields, 'dispute_opened', object, object.amount);
  return gatewayOk(ignored(fields));
}

function intentEvent(fields: Fields, intent: Record<string, unknown>): GatewayResult<GatewayEvent> {
  if (typeof intent.id !== 'string')
    return gatewayFailure('invalid_event', `${fields.type} without an intent id`);
  return gatewayOk({
    ...fields,
    kind: 'charge_updated',
    chargeReference: intent.id,
    amountMicros: null,
    tenantId: tenantOf(intent),
  });
}

/** charge.refunded (a Charge) and charge.dispute.created (a Dispute) both name their payment intent. */
function amountEvent(
  fields: Fields,
  kind: 'charge_refunded' | 'dispute_opened',
  object: Record<string, unknown>,
  amount: unknown,
): GatewayResult<GatewayEvent> {
  const intent = idOf(object.payment_intent);
  // Tollgate charges through payment intents only; a charge without one was made by something else.
  if (intent === null) return gatewayOk(ignored(fields));
  const amountMicros = fromStripeAmount(amount, object.currency);
  if (amountMicros === null)
    return gatewayFailure('invalid_event', `${fields.type} with an unreadable amount`);
  return gatewayOk({ ...fields, kind, chargeReference: intent, amountMicros, tenantId: tenantOf(object) });
}

function ignored(fields: Fields): GatewayEvent {
  return { ...fields, kind: 'ignored', chargeReference: null, amountMicros: null, tenantId: null };
}

/** The tenant from the metadata Tollgate set on the payment intent (Stripe copies it to its charge). */
function tenantOf(object: Record<string, unknown>): string | null {
  const metadata = object.metadata;
  return isRecord(metadata) && typeof metadata.tenant_id === 'string' ? metadata.tenant_id : null;
}

/** An id, or an expanded object's id. */
function idOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  return isRecord(value) && typeof value.id === 'string' ? value.id : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
