/**
 * A payment gateway as Tollgate uses it: store a payment method as the gateway's token, charge it,
 * refund a charge, read a charge's state, and verify the gateway's signed webhook events. Card
 * data never reaches Tollgate: the customer's browser or app hands the card to the gateway, which
 * gives back a token; Tollgate keeps the token and the display details only.
 *
 * Amounts are micro-units of the currency (the gateway adapter converts to the gateway's minor
 * units; an amount finer than the currency's minor unit is refused, never rounded). Every request
 * that moves money carries an idempotency key: the same key never charges or refunds twice.
 */
export interface PaymentGateway {
  /** The adapter's name, stored with payment methods and payments: 'sandbox', 'stripe'. */
  readonly name: string;
  /** Stores a method given by the customer (a token from the gateway's client library). */
  attachMethod(request: AttachMethodRequest): Promise<GatewayResult<AttachedMethod>>;
  /** Forgets a stored method (the customer removed it). */
  detachMethod(method: StoredMethodRef): Promise<GatewayResult<null>>;
  /**
   * Charges a stored method, the customer not present (off-session). A decline is a business
   * outcome, answered ok with status failed; ok: false means the gateway refused the request itself
   * (invalid_request: nothing was charged) or its outcome is unknown (unavailable: ask again with
   * the same idempotency key, which can never charge twice).
   */
  charge(request: ChargeRequest): Promise<GatewayResult<GatewayCharge>>;
  /** Gives back part or all of a succeeded charge; the gateway refuses more than was taken. */
  refund(request: RefundRequest): Promise<GatewayResult<GatewayRefund>>;
  /** The current state of a charge, as the gateway knows it now (webhooks may arrive out of order). */
  retrieveCharge(reference: string): Promise<GatewayResult<GatewayCharge>>;
  /** Checks an incoming webhook's signature and age, and reads the event. */
  verifyWebhook(request: WebhookRequest): GatewayResult<GatewayEvent>;
}

export type GatewayResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: GatewayError };

export interface GatewayError {
  /**
   * - invalid_request: the gateway refused the request itself (bad token, bad amount);
   * - unavailable: no answer, a timeout, a 5xx: the outcome is unknown, retry with the same key;
   * - invalid_signature / stale_event / invalid_event: a webhook that must be refused.
   */
  readonly code: 'invalid_request' | 'unavailable' | 'invalid_signature' | 'stale_event' | 'invalid_event';
  readonly message: string;
}

export interface AttachMethodRequest {
  readonly tenantId: string;
  readonly accountId: string;
  /** The gateway's customer for the account, when one was created before. */
  readonly gatewayCustomer: string | null;
  readonly email: string | null;
  readonly name: string;
  /** What the gateway's client library gave the customer (a Stripe PaymentMethod id, a sandbox test token). */
  readonly token: string;
}

export interface AttachedMethod {
  readonly gatewayCustomer: string | null;
  /** The token to charge from now on (may differ from the one given). */
  readonly token: string;
  readonly kind: 'card' | 'sepa_debit' | 'bank_account' | 'wallet';
  readonly brand: string | null;
  readonly last4: string | null;
  readonly expMonth: number | null;
  readonly expYear: number | null;
}

export interface StoredMethodRef {
  readonly gatewayCustomer: string | null;
  readonly token: string;
}

export interface ChargeRequest {
  readonly tenantId: string;
  readonly accountId: string;
  readonly paymentId: string;
  readonly amountMicros: bigint;
  readonly currency: string;
  readonly method: StoredMethodRef;
  readonly description: string;
  readonly idempotencyKey: string;
}

/**
 * A charge's state:
 * - succeeded: the money is taken;
 * - failed: declined, insufficient funds, ... (failureCode says which); nothing was taken;
 * - requires_action: the customer must authenticate (3-D Secure) before it can succeed;
 * - pending: the gateway is still processing (bank debits); a webhook will tell.
 */
export interface GatewayCharge {
  readonly reference: string;
  readonly status: 'succeeded' | 'failed' | 'requires_action' | 'pending';
  readonly amountMicros: bigint;
  readonly currency: string;
  /** card_declined, insufficient_funds, authentication_required, expired_card, ... */
  readonly failureCode: string | null;
  readonly failureMessage: string | null;
}

export interface RefundRequest {
  readonly chargeReference: string;
  readonly amountMicros: bigint;
  readonly currency: string;
  readonly reason: string | null;
  readonly idempotencyKey: string;
}

export interface GatewayRefund {
  readonly reference: string;
  readonly status: 'succeeded' | 'failed' | 'pending';
}

export interface WebhookRequest {
  /** The body exactly as received: signatures cover the bytes, not a re-serialisation. */
  readonly rawBody: Buffer;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly nowMs: number;
}

/** A gateway event reduced to what Tollgate acts on. */
export interface GatewayEvent {
  readonly id: string;
  /** The gateway's own type name, kept for the record. */
  readonly type: string;
  /**
   * - charge_updated: a charge changed state (re-read it with retrieveCharge);
   * - charge_refunded: money was given back (amountMicros of it, in total so far);
   * - dispute_opened: the cardholder's bank took the money back (chargeback);
   * - ignored: an event Tollgate does not act on.
   */
  readonly kind: 'charge_updated' | 'charge_refunded' | 'dispute_opened' | 'ignored';
  /** The charge the event is about (a payment intent id). */
  readonly chargeReference: string | null;
  /** charge_refunded: the total refunded so far; dispute_opened: the disputed amount. */
  readonly amountMicros: bigint | null;
  readonly createdAtMs: number;
  /** The tenant the charge was made for, from the charge's metadata, when the gateway echoes it. */
  readonly tenantId: string | null;
  readonly payload: unknown;
}

/** The gateways a process can use, by name. */
export type PaymentGateways = ReadonlyMap<string, PaymentGateway>;
