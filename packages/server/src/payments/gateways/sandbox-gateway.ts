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
import { readSandboxEvent, type SandboxEvent, type SandboxEventType } from './sandbox-event.js';
import { SANDBOX_SIGNATURE_HEADER, signSandboxPayload, verifySandboxSignature } from './sandbox-signature.js';
import {
  isSandboxTestToken,
  SANDBOX_TEST_TOKENS,
  type SandboxOutcome,
  type SandboxTestTokenName,
} from './sandbox-test-tokens.js';
import { toMinorUnits } from './to-minor-units.js';

export { SANDBOX_TEST_TOKENS } from './sandbox-test-tokens.js';

export interface SandboxGatewayOptions {
  /** The secret the sandbox signs its webhook events with (TOLLGATE_SANDBOX_WEBHOOK_SECRET). */
  readonly webhookSecret: string;
  /** Charges, methods and refunds each kept at most; the state lives in memory (default 100,000). */
  readonly maxRecords?: number;
}

/** A charge the sandbox made, as tests read it. */
export interface SandboxCharge extends GatewayCharge {
  readonly idempotencyKey: string;
  readonly tenantId: string;
  readonly accountId: string;
  readonly paymentId: string;
  readonly methodToken: string;
  readonly refundedMicros: bigint;
  readonly disputedMicros: bigint;
}

/** A signed webhook request as the sandbox would deliver it. */
export interface SignedSandboxEvent {
  readonly rawBody: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

interface StoredMethod {
  readonly customer: string;
  readonly testToken: SandboxTestTokenName;
  detached: boolean;
}

interface ChargeRecord {
  state: SandboxCharge;
  /** The first answer, replayed for a repeated idempotency key as Stripe replays its own. */
  readonly answer: GatewayCharge;
}

interface RefundRecord {
  readonly chargeReference: string;
  readonly amountMicros: bigint;
  readonly refund: GatewayRefund;
}

const DEFAULT_MAX_RECORDS = 100_000;
const TEST_TOKEN_PREFIX = 'tok_sandbox_';

/** A method this process did not attach (it attached before a restart), from its token `pm_sandbox_<n>_<card>`. */
function methodNamedBy(token: string): StoredMethod | undefined {
  const card = /^pm_sandbox_\d+_([a-z_]+)$/.exec(token)?.[1];
  const testToken = `${TEST_TOKEN_PREFIX}${card}`;
  if (card === undefined || !isSandboxTestToken(testToken)) return undefined;
  return { customer: 'cus_sandbox_unknown', testToken, detached: false };
}

/**
 * The built-in gateway: it stands in for a real one in the demo and the tests, and takes no money.
 * Its test tokens (SANDBOX_TEST_TOKENS) choose how charges end, so every path of a real gateway
 * (success, decline, 3-D Secure, no answer) can be walked without a network.
 *
 * State is in memory, per process: customers, methods, charges and refunds are gone when the
 * process stops, and two processes do not share them (a charge made through one is unknown to the
 * other). Only saved methods outlive a restart: their token names the test card they stand for. That is enough for a demo and for tests, which is all the sandbox is for; see
 * docs/decisions/0015-payment-gateways.md.
 *
 * Every method that changes state does so without an await between reading and writing, so
 * concurrent calls with one idempotency key find each other's record (Node runs one at a time).
 */
export class SandboxGateway implements PaymentGateway {
  readonly name = 'sandbox';
  readonly #webhookSecret: string;
  readonly #maxRecords: number;
  readonly #methods = new Map<string, StoredMethod>();
  readonly #charges = new Map<string, ChargeRecord>();
  readonly #chargesByKey = new Map<string, ChargeRecord>();
  readonly #refundsByKey = new Map<string, RefundRecord>();
  #customers = 0;
  #events = 0;

  constructor(options: SandboxGatewayOptions) {
    if (options.webhookSecret === '') throw new RangeError('the sandbox needs a webhook secret');
    this.#webhookSecret = options.webhookSecret;
    this.#maxRecords = options.maxRecords ?? DEFAULT_MAX_RECORDS;
  }

  async attachMethod(request: AttachMethodRequest): Promise<GatewayResult<AttachedMethod>> {
    const { token } = request;
    if (!isSandboxTestToken(token)) {
      const valid = Object.keys(SANDBOX_TEST_TOKENS).join(', ');
      return gatewayFailure('invalid_request', `unknown sandbox token "${token}"; valid tokens: ${valid}`);
    }
    if (this.#methods.size >= this.#maxRecords) return this.#full('payment methods');
    const customer = request.gatewayCustomer ?? `cus_sandbox_${++this.#customers}`;
    // The method's token names its test card, so a saved method still charges after a restart.
    const methodToken = `pm_sandbox_${this.#methods.size + 1}_${token.slice(TEST_TOKEN_PREFIX.length)}`;
    this.#methods.set(methodToken, { customer, testToken: token, detached: false });
    const card = SANDBOX_TEST_TOKENS[token];
    return gatewayOk({
      gatewayCustomer: customer,
      token: methodToken,
      kind: 'card',
      brand: card.brand,
      last4: card.last4,
      expMonth: card.expMonth,
      expYear: card.expYear,
    });
  }

  async detachMethod(method: StoredMethodRef): Promise<GatewayResult<null>> {
    const stored = this.#methods.get(method.token);
    if (stored === undefined) return gatewayFailure('invalid_request', `no such method "${method.token}"`);
    // Detaching twice is harmless: the customer wanted the method gone, and it is.
    stored.detached = true;
    return gatewayOk(null);
  }

  async charge(request: ChargeRequest): Promise<GatewayResult<GatewayCharge>> {
    return this.#charge(request);
  }

  async refund(request: RefundRequest): Promise<GatewayResult<GatewayRefund>> {
    return this.#refund(request);
  }

  async retrieveCharge(reference: string): Promise<GatewayResult<GatewayCharge>> {
    const record = this.#charges.get(reference);
    if (record === undefined) return gatewayFailure('invalid_request', `no such charge "${reference}"`);
    return gatewayOk(toGatewayCharge(record.state));
  }

  verifyWebhook(request: WebhookRequest): GatewayResult<GatewayEvent> {
    const signed = verifySandboxSignature(request, this.#webhookSecret);
    if (!signed.ok) return signed;
    return readSandboxEvent(request.rawBody);
  }

  /** Every charge made so far, in order, as it stands now (for tests). */
  charges(): readonly SandboxCharge[] {
    return Object.freeze([...this.#charges.values()].map((record) => record.state));
  }

  /**
   * Ends the customer's 3-D Secure challenge of a charge in requires_action: it succeeds, or fails
   * with authentication_failed. Returns the webhook the sandbox would send about it.
   */
  completeAuthentication(reference: string, succeed: boolean, nowMs = Date.now()): SignedSandboxEvent {
    const record = this.#chargeRecord(reference);
    if (record.state.status !== 'requires_action') {
      throw new Error(`charge ${reference} is ${record.state.status}, not requires_action`);
    }
    record.state = Object.freeze({
      ...record.state,
      status: succeed ? 'succeeded' : 'failed',
      failureCode: succeed ? null : 'authentication_failed',
      failureMessage: succeed ? null : 'The customer did not complete 3-D Secure authentication.',
    });
    const type = succeed ? 'charge.succeeded' : 'charge.failed';
    return this.signEvent(this.#event(type, record.state, record.state.amountMicros, nowMs), nowMs);
  }

  /** Opens a chargeback of part or all of a succeeded charge; returns the webhook announcing it. */
  disputeCharge(reference: string, amountMicros: bigint, nowMs = Date.now()): SignedSandboxEvent {
    const record = this.#chargeRecord(reference);
    const { state } = record;
    if (state.status !== 'succeeded' || amountMicros <= 0n || amountMicros > state.amountMicros) {
      throw new RangeError(`cannot dispute ${amountMicros} of ${state.status} charge ${reference}`);
    }
    record.state = Object.freeze({ ...state, disputedMicros: amountMicros });
    return this.signEvent(this.#event('charge.disputed', record.state, amountMicros, nowMs), nowMs);
  }

  /** Signs an event as the sandbox does, so tests and the demo can deliver any event they need. */
  signEvent(event: SandboxEvent, nowMs: number): SignedSandboxEvent {
    const rawBody = Buffer.from(JSON.stringify(event), 'utf8');
    return {
      rawBody,
      headers: {
        'content-type': 'application/json',
        [SANDBOX_SIGNATURE_HEADER]: signSandboxPayload(rawBody, this.#webhookSecret, nowMs),
      },
    };
  }

  /** Synchronous on purpose: no await between looking the key up and storing the charge. */
  #charge(request: ChargeRequest): GatewayResult<GatewayCharge> {
    const previous = this.#chargesByKey.get(request.idempotencyKey);
    if (previous !== undefined) return replayCharge(previous, request);
    const minorUnits = toMinorUnits(request.amountMicros, request.currency);
    if (!minorUnits.ok) return minorUnits;
    const method = this.#methods.get(request.method.token) ?? methodNamedBy(request.method.token);
    if (method === undefined || method.detached) {
      return gatewayFailure('invalid_request', `no such payment method "${request.method.token}"`);
    }
    const outcome = SANDBOX_TEST_TOKENS[method.testToken].outcome;
    // Nothing is stored: a retry with the same key gets no answer either, and nothing was taken.
    if (outcome === 'network_error')
      return gatewayFailure('unavailable', 'the sandbox gateway did not answer');
    if (this.#charges.size >= this.#maxRecords) return this.#full('charges');
    const state = newCharge(request, `ch_sandbox_${this.#charges.size + 1}`, outcome);
    const record: ChargeRecord = { state, answer: toGatewayCharge(state) };
    this.#charges.set(state.reference, record);
    this.#chargesByKey.set(request.idempotencyKey, record);
    return gatewayOk(record.answer);
  }

  /** Synchronous on purpose, as #charge: the refunded total is read and raised in one step. */
  #refund(request: RefundRequest): GatewayResult<GatewayRefund> {
    const previous = this.#refundsByKey.get(request.idempotencyKey);
    if (previous !== undefined) return replayRefund(previous, request);
    const record = this.#charges.get(request.chargeReference);
    if (record === undefined) {
      return gatewayFailure('invalid_request', `no such charge "${request.chargeReference}"`);
    }
    const refusal = refundRefusal(record.state, request);
    if (refusal !== null) return gatewayFailure('invalid_request', refusal);
    if (this.#refundsByKey.size >= this.#maxRecords) return this.#full('refunds');
    const refund: GatewayRefund = {
      reference: `re_sandbox_${this.#refundsByKey.size + 1}`,
      status: 'succeeded',
    };
    record.state = Object.freeze({
      ...record.state,
      refundedMicros: record.state.refundedMicros + request.amountMicros,
    });
    this.#refundsByKey.set(request.idempotencyKey, {
      chargeReference: request.chargeReference,
      amountMicros: request.amountMicros,
      refund,
    });
    return gatewayOk(refund);
  }

  #chargeRecord(reference: string): ChargeRecord {
    const record = this.#charges.get(reference);
    if (record === undefined) throw new Error(`no sandbox charge ${reference}`);
    return record;
  }

  #event(type: SandboxEventType, charge: SandboxCharge, amountMicros: bigint, nowMs: number): SandboxEvent {
    return {
      id: `evt_sandbox_${++this.#events}`,
      type,
      created: Math.floor(nowMs / 1000),
      data: { reference: charge.reference, amountMicros: amountMicros.toString(), tenantId: charge.tenantId },
    };
  }

  #full<T>(what: string): GatewayResult<T> {
    return gatewayFailure(
      'invalid_request',
      `the sandbox keeps at most ${this.#maxRecords} ${what} in memory; restart the process to clear it`,
    );
  }
}

function newCharge(
  request: ChargeRequest,
  reference: string,
  outcome: Exclude<SandboxOutcome, 'network_error'>,
): SandboxCharge {
  const failure = CHARGE_OUTCOMES[outcome];
  return Object.freeze({
    reference,
    status: failure.status,
    amountMicros: request.amountMicros,
    currency: request.currency,
    failureCode: failure.failureCode,
    failureMessage: failure.failureMessage,
    idempotencyKey: request.idempotencyKey,
    tenantId: request.tenantId,
    accountId: request.accountId,
    paymentId: request.paymentId,
    methodToken: request.method.token,
    refundedMicros: 0n,
    disputedMicros: 0n,
  });
}

/** How a first charge attempt ends, by the test token's outcome. */
const CHARGE_OUTCOMES = {
  succeed: { status: 'succeeded', failureCode: null, failureMessage: null },
  decline: { status: 'failed', failureCode: 'card_declined', failureMessage: 'Your card was declined.' },
  insufficient_funds: {
    status: 'failed',
    failureCode: 'insufficient_funds',
    failureMessage: 'Your card has insufficient funds.',
  },
  // The code says why the charge waits, as Stripe's authentication_required does.
  authenticate: {
    status: 'requires_action',
    failureCode: 'authentication_required',
    failureMessage: 'The customer must complete 3-D Secure authentication.',
  },
} as const satisfies Record<
  Exclude<SandboxOutcome, 'network_error'>,
  Pick<GatewayCharge, 'status' | 'failureCode' | 'failureMessage'>
>;

function toGatewayCharge(state: SandboxCharge): GatewayCharge {
  return Object.freeze({
    reference: state.reference,
    status: state.status,
    amountMicros: state.amountMicros,
    currency: state.currency,
    failureCode: state.failureCode,
    failureMessage: state.failureMessage,
  });
}

/** A repeated key gets the first answer, if it asks for the same charge; another charge is a mistake. */
function replayCharge(previous: ChargeRecord, request: ChargeRequest): GatewayResult<GatewayCharge> {
  const { state } = previous;
  const same =
    state.amountMicros === request.amountMicros &&
    state.currency === request.currency &&
    state.methodToken === request.method.token;
  if (!same) {
    return gatewayFailure(
      'invalid_request',
      `idempotency key "${request.idempotencyKey}" was used for another charge (${state.reference})`,
    );
  }
  return gatewayOk(previous.answer);
}

function replayRefund(previous: RefundRecord, request: RefundRequest): GatewayResult<GatewayRefund> {
  if (
    previous.chargeReference !== request.chargeReference ||
    previous.amountMicros !== request.amountMicros
  ) {
    return gatewayFailure(
      'invalid_request',
      `idempotency key "${request.idempotencyKey}" was used for another refund (${previous.refund.reference})`,
    );
  }
  return gatewayOk(previous.refund);
}

/** Why a refund cannot be made, or null: only money taken, in its currency, and never more of it. */
function refundRefusal(charge: SandboxCharge, request: RefundRequest): string | null {
  if (charge.status !== 'succeeded')
    return `charge ${charge.reference} is ${charge.status}: nothing to refund`;
  if (request.currency !== charge.currency) {
    return `charge ${charge.reference} is in ${charge.currency}, not ${request.currency}`;
  }
  const minorUnits = toMinorUnits(request.amountMicros, request.currency);
  if (!minorUnits.ok) return minorUnits.error.message;
  const refundable = charge.amountMicros - charge.refundedMicros;
  if (request.amountMicros > refundable) {
    return `only ${refundable} of charge ${charge.reference} can still be refunded, not ${request.amountMicros}`;
  }
  return null;
}
