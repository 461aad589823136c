import Stripe from 'stripe';
import { gatewayFailure, gatewayOk } from './gateway-result.js';
import type {
  AttachedMethod,
  AttachMethodRequest,
  ChargeRequest,
  GatewayCharge,
  GatewayEvent,
  GatewayRefund,
  GatewayResult,
  PaymentGateway,
  RefundRequest,
  StoredMethodRef,
  WebhookRequest,
} from './payment-gateway.js';
import { fromStripeAmount, toStripeAmount } from './stripe-amount.js';
import { readStripeEvent } from './stripe-event.js';
import { stripeFailure } from './stripe-failure.js';

export interface StripeGatewayOptions {
  /** The secret API key (sk_live_..., sk_test_... or a restricted rk_...). Never logged. */
  readonly secretKey: string;
  /** The signing secret of the webhook endpoint (whsec_...). Never logged. */
  readonly webhookSecret: string;
  /** Where the API is, when not at https://api.stripe.com (tests point it at a local server). */
  readonly apiBase?: string;
  /** How long one request may take; the SDK's default (80 s) when not given. */
  readonly timeoutMs?: number;
  /** Retries of a request that got no answer or a 5xx, with the same idempotency key (default 2). */
  readonly maxNetworkRetries?: number;
}

type StripeConfig = NonNullable<ConstructorParameters<typeof Stripe>[1]>;

/** Stripe's recommended tolerance, and the SDK's default: replays older than this are refused. */
const WEBHOOK_TOLERANCE_SECONDS = 300;

/** The refund reasons Stripe's API takes; any other reason goes into the refund's metadata. */
const STRIPE_REFUND_REASONS: ReadonlySet<string> = new Set([
  'duplicate',
  'fraudulent',
  'requested_by_customer',
]);

const { StripeCardError, StripeSignatureVerificationError } = Stripe.errors;

/**
 * Stripe, through its official SDK (docs/decisions/0015-payment-gateways.md): methods are
 * PaymentMethods attached to a Customer, charges are PaymentIntents confirmed off-session,
 * refunds are Refunds of an intent, and webhooks are verified with the endpoint's signing secret.
 * Amounts are converted to Stripe's integer amounts by Stripe's own currency rules (stripe-amount.ts).
 */
export class StripeGateway implements PaymentGateway {
  readonly name = 'stripe';
  // Private fields: the keys cannot leak through a log line that prints the gateway.
  readonly #stripe: Stripe;
  readonly #webhookSecret: string;

  constructor(options: StripeGatewayOptions) {
    if (options.secretKey === '' || options.webhookSecret === '') {
      throw new RangeError('Stripe needs a secret key and a webhook signing secret');
    }
    this.#stripe = new Stripe(options.secretKey, stripeConfig(options));
    this.#webhookSecret = options.webhookSecret;
  }

  async attachMethod(request: AttachMethodRequest): Promise<GatewayResult<AttachedMethod>> {
    try {
      const customer = request.gatewayCustomer ?? (await this.#createCustomer(request));
      const method = await this.#stripe.paymentMethods.attach(request.token, { customer });
      return gatewayOk(toAttachedMethod(method, customer));
    } catch (error) {
      return { ok: false, error: stripeFailure(error) };
    }
  }

  async detachMethod(method: StoredMethodRef): Promise<GatewayResult<null>> {
    try {
      await this.#stripe.paymentMethods.detach(method.token);
      return gatewayOk(null);
    } catch (error) {
      return { ok: false, error: stripeFailure(error) };
    }
  }

  async charge(request: ChargeRequest): Promise<GatewayResult<GatewayCharge>> {
    // Refused before any request: Stripe would round or refuse an amount finer than it takes.
    const amount = toStripeAmount(request.amountMicros, request.currency);
    if (!amount.ok) return amount;
    try {
      const intent = await this.#stripe.paymentIntents.create(
        {
          amount: amount.value.amount,
          currency: amount.value.currency,
          ...(request.method.gatewayCustomer === null ? {} : { customer: request.method.gatewayCustomer }),
          payment_method: request.method.token,
          // The customer is not there: Stripe applies the exemptions for merchant-initiated payments.
          off_session: true,
          confirm: true,
          // Server-side confirmation cannot follow a redirect; methods that need one are not offered.
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          description: request.description,
          metadata: {
            tenant_id: request.tenantId,
            account_id: request.accountId,
            payment_id: request.paymentId,
          },
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return toGatewayCharge(intent);
    } catch (error) {
      return chargeFailure(error);
    }
  }

  async refund(request: RefundRequest): Promise<GatewayResult<GatewayRefund>> {
    const amount = toStripeAmount(request.amountMicros, request.currency);
    if (!amount.ok) return amount;
    const reason = request.reason;
    try {
      const refund = await this.#stripe.refunds.create(
        {
          payment_intent: request.chargeReference,
          amount: amount.value.amount,
          ...(reason === null ? {} : refundReason(reason)),
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return gatewayOk({ reference: refund.id, status: refundStatus(refund.status) });
    } catch (error) {
      return { ok: false, error: stripeFailure(error) };
    }
  }

  async retrieveCharge(reference: string): Promise<GatewayResult<GatewayCharge>> {
    try {
      return toGatewayCharge(await this.#stripe.paymentIntents.retrieve(reference));
    } catch (error) {
      return { ok: false, error: stripeFailure(error) };
    }
  }

  /**
   * Verifies the Stripe-Signature header with the SDK, against the request's own clock
   * (receivedAt), then reads the event. The SDK refuses only events older than the tolerance; one
   * signed further in the future than that is refused here as well, as the sandbox does.
   */
  verifyWebhook(request: WebhookRequest): GatewayResult<GatewayEvent> {
    const header = request.headers['stripe-signature'];
    if (typeof header !== 'string' || header === '') {
      return gatewayFailure('invalid_signature', 'expected one Stripe-Signature header');
    }
    let event: unknown;
    try {
      event = this.#stripe.webhooks.constructEvent(
        request.rawBody,
        header,
        this.#webhookSecret,
        WEBHOOK_TOLERANCE_SECONDS,
        undefined,
        request.nowMs,
      );
    } catch (error) {
      return this.#webhookFailure(error, request, header);
    }
    const signedAtSeconds = Number(/(?:^|,)t=(\d{1,12})(?:,|$)/.exec(header)?.[1]);
    if (signedAtSeconds - Math.floor(request.nowMs / 1000) > WEBHOOK_TOLERANCE_SECONDS) {
      return gatewayFailure('stale_event', `signed more than ${WEBHOOK_TOLERANCE_SECONDS} s in the future`);
    }
    return readStripeEvent(event);
  }

  /**
   * Why the SDK refused a webhook. Its error says "signature" for both a bad signature and an old
   * timestamp; checking the signature again with the age check off (tolerance 0) tells them apart
   * without depending on the wording of its messages.
   */
  #webhookFailure(error: unknown, request: WebhookRequest, header: string): GatewayResult<GatewayEvent> {
    if (error instanceof SyntaxError) return gatewayFailure('invalid_event', 'the body is not JSON');
    const signature = this.#stripe.webhooks.signature;
    if (!(error instanceof StripeSignatureVerificationError) || signature === null) throw error;
    try {
      signature.verifyHeader(request.rawBody, header, this.#webhookSecret, 0);
    } catch {
      return gatewayFailure('invalid_signature', 'the signature does not match the body');
    }
    return gatewayFailure('stale_event', `signed more than ${WEBHOOK_TOLERANCE_SECONDS} s ago`);
  }

  /**
   * The idempotency key is the account's, so a retry after a lost answer (or after the attach that
   * followed failed) finds the customer created the first time instead of creating a second.
   * Stripe keeps keys for 24 hours at least.
   */
  async #createCustomer(request: AttachMethodRequest): Promise<string> {
    const customer = await this.#stripe.customers.create(
      {
        name: request.name,
        ...(request.email === null ? {} : { email: request.email }),
        metadata: { tenant_id: request.tenantId, account_id: request.accountId },
      },
      { idempotencyKey: `tollgate-customer-${request.tenantId}-${request.accountId}` },
    );
    return customer.id;
  }
}

function stripeConfig(options: StripeGatewayOptions): StripeConfig {
  return {
    // The version this SDK release is typed for: responses then match the types read here.
    apiVersion: Stripe.API_VERSION,
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
    ...(options.apiBase === undefined ? {} : apiAddress(options.apiBase)),
  };
}

/** The SDK takes host, port and protocol apart; the API's paths (/v1/...) are its own. */
function apiAddress(apiBase: string): Pick<StripeConfig, 'host' | 'port' | 'protocol'> {
  const url = new URL(apiBase);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RangeError(`the Stripe API base must be an http(s) URL, got ${url.protocol}`);
  }
  if (url.pathname !== '/' || url.search !== '') throw new RangeError('the Stripe API base takes no path');
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? (protocol === 'https' ? 443 : 80) : Number(url.port),
    protocol,
  };
}

/** Display details of a PaymentMethod: what Tollgate may keep (never a card number). */
function toAttachedMethod(method: Stripe.PaymentMethod, customer: string): AttachedMethod {
  const none = { brand: null, last4: null, expMonth: null, expYear: null };
  const base = { gatewayCustomer: customer, token: method.id };
  if (method.type === 'card' && method.card !== undefined) {
    const { card } = method;
    const details = {
      brand: card.brand,
      last4: card.last4,
      expMonth: card.exp_month,
      expYear: card.exp_year,
    };
    // A card in Apple Pay or Google Pay is shown as the wallet it was paid with.
    return { ...base, ...details, kind: card.wallet ? 'wallet' : 'card' };
  }
  if (method.type === 'sepa_debit') {
    return { ...base, ...none, kind: 'sepa_debit', last4: method.sepa_debit?.last4 ?? null };
  }
  if (method.type === 'us_bank_account') {
    const account = method.us_bank_account;
    return {
      ...base,
      ...none,
      kind: 'bank_account',
      brand: account?.bank_name ?? null,
      last4: account?.last4 ?? null,
    };
  }
  // Link, PayPal and the like: a wallet, named by its type.
  return { ...base, ...none, kind: 'wallet', brand: method.type };
}

/**
 * A PaymentIntent's state as a charge. A requires_confirmation intent is one the customer must
 * come back to, as requires_action; canceled and requires_payment_method intents took nothing.
 */
function toGatewayCharge(intent: Stripe.PaymentIntent): GatewayResult<GatewayCharge> {
  const amountMicros = fromStripeAmount(intent.amount, intent.currency);
  if (amountMicros === null) {
    return gatewayFailure(
      'invalid_request',
      `Stripe answered an amount in ${intent.currency} Tollgate cannot read`,
    );
  }
  const error = intent.last_payment_error;
  return gatewayOk({
    reference: intent.id,
    status: chargeStatus(intent.status),
    amountMicros,
    currency: intent.currency.toUpperCase(),
    failureCode: error?.decline_code ?? error?.code ?? null,
    failureMessage: error?.message ?? null,
  });
}

function chargeStatus(status: Stripe.PaymentIntent.Status): GatewayCharge['status'] {
  switch (status) {
    case 'succeeded':
      return 'succeeded';
    case 'requires_action':
    case 'requires_confirmation':
      return 'requires_action';
    case 'requires_payment_method':
    case 'canceled':
      return 'failed';
    default:
      // processing (bank debits), requires_capture (not used by Tollgate), and any state Stripe
      // adds: the money may still move, so the charge waits for a webhook.
      return 'pending';
  }
}

/**
 * A declined confirmation is an HTTP 402 whose body carries the intent: a business outcome, so
 * the charge is answered (failed, or requires_action when the bank wants 3-D Secure).
 */
function chargeFailure(error: unknown): GatewayResult<GatewayCharge> {
  if (!(error instanceof StripeCardError) || error.payment_intent === undefined) {
    return { ok: false, error: stripeFailure(error) };
  }
  const charge = toGatewayCharge(error.payment_intent);
  if (!charge.ok) return charge;
  const needsAuthentication = error.code === 'authentication_required';
  return gatewayOk({
    ...charge.value,
    status: needsAuthentication ? 'requires_action' : 'failed',
    failureCode: error.decline_code ?? error.code ?? null,
    failureMessage: error.payment_intent.last_payment_error?.message ?? error.message,
  });
}

function refundReason(reason: string): Pick<Stripe.RefundCreateParams, 'reason' | 'metadata'> {
  return STRIPE_REFUND_REASONS.has(reason)
    ? { reason: reason as Stripe.RefundCreateParams.Reason }
    : { metadata: { reason } };
}

function refundStatus(status: string | null): GatewayRefund['status'] {
  if (status === 'succeeded') return 'succeeded';
  if (status === 'failed' || status === 'canceled') return 'failed';
  return 'pending';
}
