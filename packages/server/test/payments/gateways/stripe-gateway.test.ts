import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChargeRequest, GatewayResult } from '../../../src/payments/gateways/payment-gateway.js';
import { fromStripeAmount, toStripeAmount } from '../../../src/payments/gateways/stripe-amount.js';
import { StripeGateway } from '../../../src/payments/gateways/stripe-gateway.js';
import { FakeStripe, nested } from './fake-stripe.js';

const SECRET_KEY = 'sk_test_tollgate';
const WEBHOOK_SECRET = 'whsec_tollgate_test';
const NOW_MS = Date.UTC(2026, 2, 1, 12, 0, 0);

let fake: FakeStripe;
let gateway: StripeGateway;

beforeAll(async () => {
  fake = await FakeStripe.start();
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.reset();
  // No retries here: the tests count requests; a retry would resend with the same key anyway.
  gateway = new StripeGateway({
    secretKey: SECRET_KEY,
    webhookSecret: WEBHOOK_SECRET,
    apiBase: fake.url,
    maxNetworkRetries: 0,
  });
});

function value<T>(result: GatewayResult<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

function chargeRequest(
  paymentMethod: string,
  key: string,
  overrides: Partial<ChargeRequest> = {},
): ChargeRequest {
  return {
    tenantId: 'tenant-1',
    accountId: 'account-1',
    paymentId: 'payment-1',
    amountMicros: 12_340_000n,
    currency: 'EUR',
    method: { gatewayCustomer: 'cus_existing', token: paymentMethod },
    description: 'Invoice 2026-0001',
    idempotencyKey: key,
    ...overrides,
  };
}

function attachRequest(token: string, gatewayCustomer: string | null = null) {
  return {
    tenantId: 'tenant-1',
    accountId: 'account-1',
    gatewayCustomer,
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    token,
  };
}

describe('StripeGateway methods', () => {
  it('creates a customer keyed by the account, attaches the method and reads its card', async () => {
    const attached = value(await gateway.attachMethod(attachRequest('pm_card_visa')));
    expect(attached).toEqual({
      gatewayCustomer: expect.stringMatching(/^cus_test_/),
      token: 'pm_card_visa',
      kind: 'card',
      brand: 'visa',
      last4: '4242',
      expMonth: 12,
      expYear: 2034,
    });
    const [customer, attach] = fake.requests;
    expect(customer).toMatchObject({
      method: 'POST',
      path: '/v1/customers',
      idempotencyKey: 'tollgate-customer-tenant-1-account-1',
      // The version the SDK is typed for, pinned rather than left to the account's default.
      stripeVersion: Stripe.API_VERSION,
    });
    expect(nested(customer?.params ?? new URLSearchParams(), 'metadata')).toEqual({
      tenant_id: 'tenant-1',
      account_id: 'account-1',
    });
    expect(customer?.params.get('email')).toBe('ada@example.com');
    expect(attach).toMatchObject({ method: 'POST', path: '/v1/payment_methods/pm_card_visa/attach' });
    expect(attach?.params.get('customer')).toBe(attached.gatewayCustomer);
  });

  it('finds the customer of a failed first attempt again instead of creating a second', async () => {
    const failed = await gateway.attachMethod(attachRequest('pm_card_unknown'));
    expect(failed).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(failed.ok ? '' : failed.error.message).toContain("No such payment_method: 'pm_card_unknown'");
    const attached = value(await gateway.attachMethod(attachRequest('pm_card_visa')));
    const customers = fake.requestsTo('POST', '/v1/customers');
    expect(customers.map((request) => request.replayed)).toEqual([false, true]);
    const attaches = fake.requests.filter((request) => request.path.endsWith('/attach'));
    expect(attaches.map((request) => request.params.get('customer'))).toEqual([
      attached.gatewayCustomer,
      attached.gatewayCustomer,
    ]);
  });

  it('uses the stored customer and reads SEPA, bank account and wallet methods', async () => {
    const sepa = value(await gateway.attachMethod(attachRequest('pm_sepa_debit', 'cus_existing')));
    const bank = value(await gateway.attachMethod(attachRequest('pm_us_bank_account', 'cus_existing')));
    const wallet = value(await gateway.attachMethod(attachRequest('pm_card_applePay', 'cus_existing')));
    expect(sepa).toMatchObject({
      gatewayCustomer: 'cus_existing',
      kind: 'sepa_debit',
      last4: '3000',
      brand: null,
    });
    expect(bank).toMatchObject({ kind: 'bank_account', last4: '6789', expMonth: null });
    expect(wallet).toMatchObject({ kind: 'wallet', brand: 'visa', last4: '1881' });
    expect(fake.requestsTo('POST', '/v1/customers')).toEqual([]);
  });

  it('detaches a method', async () => {
    expect(
      value(await gateway.detachMethod({ gatewayCustomer: 'cus_existing', token: 'pm_card_visa' })),
    ).toBeNull();
    expect(fake.requests.map((request) => request.path)).toEqual(['/v1/payment_methods/pm_card_visa/detach']);
  });
});

describe('StripeGateway charges', () => {
  it('confirms a payment intent off-session and maps a success', async () => {
    const charge = value(await gateway.charge(chargeRequest('pm_card_visa', 'charge-success')));
    expect(charge).toEqual({
      reference: expect.stringMatching(/^pi_test_/),
      status: 'succeeded',
      amountMicros: 12_340_000n,
      currency: 'EUR',
      failureCode: null,
      failureMessage: null,
    });
    const [request] = fake.requests;
    expect(request).toMatchObject({ path: '/v1/payment_intents', idempotencyKey: 'charge-success' });
    const params = Object.fromEntries(request?.params ?? []);
    expect(params).toMatchObject({
      amount: '1234',
      currency: 'eur',
      customer: 'cus_existing',
      payment_method: 'pm_card_visa',
      off_session: 'true',
      confirm: 'true',
      description: 'Invoice 2026-0001',
      'metadata[tenant_id]': 'tenant-1',
      'metadata[account_id]': 'account-1',
      'metadata[payment_id]': 'payment-1',
    });
  });

  it('answers a declined card (HTTP 402) as a failed charge with the decline code', async () => {
    const charge = value(
      await gateway.charge(chargeRequest('pm_card_chargeDeclinedInsufficientFunds', 'charge-declined')),
    );
    expect(charge).toMatchObject({
      reference: expect.stringMatching(/^pi_test_/),
      status: 'failed',
      failureCode: 'insufficient_funds',
      failureMessage: 'Your card has insufficient funds.',
      amountMicros: 12_340_000n,
    });
    expect(fake.intents.get(charge.reference)?.status).toBe('requires_payment_method');
  });

  it('answers authentication_required as a charge that requires action', async () => {
    const charge = value(await gateway.charge(chargeRequest('pm_card_authenticationRequired', 'charge-3ds')));
    expect(charge).toMatchObject({ status: 'requires_action', failureCode: 'authentication_required' });
  });

  it('answers a server error as unavailable: the outcome is unknown', async () => {
    const result = await gateway.charge(chargeRequest('pm_card_serverError', 'charge-500'));
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('answers unavailable when Stripe cannot be reached', async () => {
    const closed = await FakeStripe.start();
    const unreachableBase = closed.url;
    await closed.close();
    const unreachable = new StripeGateway({
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
      apiBase: unreachableBase,
      maxNetworkRetries: 0,
    });
    const result = await unreachable.charge(chargeRequest('pm_card_visa', 'charge-unreachable'));
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('retries with the same key: Stripe replays the first answer, one intent is created', async () => {
    const first = value(await gateway.charge(chargeRequest('pm_card_visa', 'charge-retried')));
    const second = value(await gateway.charge(chargeRequest('pm_card_visa', 'charge-retried')));
    expect(second).toEqual(first);
    const sent = fake.requestsTo('POST', '/v1/payment_intents');
    expect(sent.map((request) => [request.idempotencyKey, request.replayed])).toEqual([
      ['charge-retried', false],
      ['charge-retried', true],
    ]);
    expect(fake.intents.size).toBe(1);
  });

  it('answers a request Stripe refuses as invalid_request, with its message', async () => {
    const result = await gateway.charge(chargeRequest('pm_card_unknown', 'charge-unknown-method'));
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(result.ok ? '' : result.error.message).toContain("No such payment_method: 'pm_card_unknown'");
    const reused = await gateway.charge(chargeRequest('pm_card_visa', 'charge-unknown-method'));
    expect(reused).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('answers a bad API key as invalid_request, without the key in the message', async () => {
    const badKey = new StripeGateway({
      secretKey: 'pk_test_wrong_kind_of_key',
      webhookSecret: WEBHOOK_SECRET,
      apiBase: fake.url,
      maxNetworkRetries: 0,
    });
    const result = await badKey.retrieveCharge('pi_test_1');
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(JSON.stringify(result)).not.toContain('pk_test_wrong_kind_of_key');
  });

  it('charges a zero-decimal currency in whole units (JPY 500 is amount 500)', async () => {
    const charge = value(
      await gateway.charge(
        chargeRequest('pm_card_visa', 'charge-jpy', { amountMicros: 500_000_000n, currency: 'JPY' }),
      ),
    );
    expect(charge).toMatchObject({ amountMicros: 500_000_000n, currency: 'JPY', status: 'succeeded' });
    expect(fake.requests[0]?.params.get('amount')).toBe('500');
    expect(fake.requests[0]?.params.get('currency')).toBe('jpy');
  });

  it.each([
    ['EUR 12.345', 12_345_000n, 'EUR'],
    ['JPY 0.5', 500_000n, 'JPY'],
    ['ISK 10.50', 10_500_000n, 'ISK'],
    ['KWD 1.005 (Stripe wants the last digit 0)', 1_005_000n, 'KWD'],
    ['EUR 0', 0n, 'EUR'],
    ['an unknown currency', 1_000_000n, 'XYZ'],
  ])('refuses %s without a request', async (_, amountMicros, currency) => {
    const result = await gateway.charge(
      chargeRequest('pm_card_visa', `refused-${currency}`, { amountMicros, currency }),
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(fake.requests).toEqual([]);
  });

  it('retrieves the intent as it is now: processing is pending', async () => {
    const charge = value(await gateway.charge(chargeRequest('pm_sepa_debit', 'charge-sepa')));
    expect(charge.status).toBe('pending');
    const intent = fake.intents.get(charge.reference);
    if (intent !== undefined) intent.status = 'succeeded';
    expect(value(await gateway.retrieveCharge(charge.reference))).toEqual({ ...charge, status: 'succeeded' });
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: `/v1/payment_intents/${charge.reference}`,
    });
  });

  it.each([
    ['succeeded', 'succeeded'],
    ['processing', 'pending'],
    ['requires_capture', 'pending'],
    ['requires_action', 'requires_action'],
    ['requires_confirmation', 'requires_action'],
    ['requires_payment_method', 'failed'],
    ['canceled', 'failed'],
  ])('maps the intent status %s to %s', async (stripeStatus, status) => {
    const charge = value(await gateway.charge(chargeRequest('pm_card_visa', `status-${stripeStatus}`)));
    const intent = fake.intents.get(charge.reference);
    if (intent !== undefined) intent.status = stripeStatus;
    expect(value(await gateway.retrieveCharge(charge.reference)).status).toBe(status);
  });

  it('answers an unknown charge reference as invalid_request', async () => {
    const result = await gateway.retrieveCharge('pi_test_missing');
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });
});

describe('StripeGateway refunds', () => {
  it('refunds part of an intent with its key, reason in Stripe’s words or in metadata', async () => {
    const charge = value(await gateway.charge(chargeRequest('pm_card_visa', 'charge-for-refund')));
    const refund = (key: string, amountMicros: bigint, reason: string | null) =>
      gateway.refund({
        chargeReference: charge.reference,
        amountMicros,
        currency: 'EUR',
        reason,
        idempotencyKey: key,
      });
    expect(value(await refund('refund-1', 2_000_000n, 'requested_by_customer'))).toEqual({
      reference: expect.stringMatching(/^re_test_/),
      status: 'succeeded',
    });
    value(await refund('refund-2', 1_000_000n, 'goodwill'));
    const [first, second] = fake.requestsTo('POST', '/v1/refunds');
    expect(first?.idempotencyKey).toBe('refund-1');
    expect(Object.fromEntries(first?.params ?? [])).toEqual({
      payment_intent: charge.reference,
      amount: '200',
      reason: 'requested_by_customer',
    });
    expect(Object.fromEntries(second?.params ?? [])).toEqual({
      payment_intent: charge.reference,
      amount: '100',
      'metadata[reason]': 'goodwill',
    });
    const tooMuch = await refund('refund-3', 20_000_000n, null);
    expect(tooMuch).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });
});

describe('StripeGateway webhooks', () => {
  const stripe = new Stripe(SECRET_KEY);

  function signed(event: object, signedAtMs: number, secret = WEBHOOK_SECRET) {
    const payload = JSON.stringify(event);
    const header = stripe.webhooks.generateTestHeaderString({
      payload,
      secret,
      timestamp: signedAtMs / 1000,
    });
    return { rawBody: Buffer.from(payload), headers: { 'stripe-signature': header } };
  }

  function stripeEvent(type: string, object: object) {
    return { id: 'evt_test_1', object: 'event', type, created: NOW_MS / 1000, data: { object } };
  }

  const intent = { id: 'pi_test_9', object: 'payment_intent', metadata: { tenant_id: 'tenant-1' } };

  it.each([
    'payment_intent.succeeded',
    'payment_intent.payment_failed',
    'payment_intent.processing',
    'payment_intent.requires_action',
    'payment_intent.canceled',
  ])('reads %s as charge_updated', (type) => {
    const event = value(
      gateway.verifyWebhook({ ...signed(stripeEvent(type, intent), NOW_MS), nowMs: NOW_MS }),
    );
    expect(event).toMatchObject({
      id: 'evt_test_1',
      type,
      kind: 'charge_updated',
      chargeReference: 'pi_test_9',
      amountMicros: null,
      createdAtMs: NOW_MS,
      tenantId: 'tenant-1',
    });
  });

  it('reads charge.refunded with the total refunded so far', () => {
    const charge = {
      id: 'ch_test_1',
      object: 'charge',
      payment_intent: 'pi_test_9',
      amount: 1234,
      amount_refunded: 300,
      currency: 'eur',
      metadata: { tenant_id: 'tenant-1' },
    };
    const event = value(
      gateway.verifyWebhook({ ...signed(stripeEvent('charge.refunded', charge), NOW_MS), nowMs: NOW_MS }),
    );
    expect(event).toMatchObject({
      kind: 'charge_refunded',
      chargeReference: 'pi_test_9',
      amountMicros: 3_000_000n,
      tenantId: 'tenant-1',
    });
  });

  it('reads charge.dispute.created with the disputed amount, in Stripe’s units for the currency', () => {
    const dispute = {
      id: 'dp_test_1',
      object: 'dispute',
      payment_intent: 'pi_test_9',
      amount: 500,
      currency: 'jpy',
    };
    const event = value(
      gateway.verifyWebhook({
        ...signed(stripeEvent('charge.dispute.created', dispute), NOW_MS),
        nowMs: NOW_MS,
      }),
    );
    expect(event).toMatchObject({
      kind: 'dispute_opened',
      chargeReference: 'pi_test_9',
      amountMicros: 500_000_000n,
      tenantId: null,
    });
  });

  it('ignores other event types', () => {
    const customer = { id: 'cus_test_1', object: 'customer' };
    const event = value(
      gateway.verifyWebhook({ ...signed(stripeEvent('customer.updated', customer), NOW_MS), nowMs: NOW_MS }),
    );
    expect(event).toMatchObject({ kind: 'ignored', chargeReference: null, amountMicros: null });
  });

  it('refuses a tampered body, another secret and a missing header as invalid_signature', () => {
    const request = signed(stripeEvent('payment_intent.succeeded', intent), NOW_MS);
    const tampered = Buffer.from(request.rawBody.toString().replace('pi_test_9', 'pi_test_8'));
    const otherSecret = signed(stripeEvent('payment_intent.succeeded', intent), NOW_MS, 'whsec_other');
    for (const attempt of [
      { ...request, rawBody: tampered },
      otherSecret,
      { ...request, headers: {} },
      { ...request, headers: { 'stripe-signature': 'garbage' } },
    ]) {
      expect(gateway.verifyWebhook({ ...attempt, nowMs: NOW_MS })).toMatchObject({
        ok: false,
        error: { code: 'invalid_signature' },
      });
    }
  });

  it.each([
    ['301 s old', -301_000, 'stale_event'],
    ['301 s in the future', 301_000, 'stale_event'],
    ['300 s old', -300_000, null],
  ] as const)('judges a timestamp %s against the request’s clock', (_, offsetMs, code) => {
    const request = signed(stripeEvent('payment_intent.succeeded', intent), NOW_MS + offsetMs);
    const result = gateway.verifyWebhook({ ...request, nowMs: NOW_MS });
    expect(result.ok ? null : result.error.code).toBe(code);
  });

  it('refuses a signed body that is not an event as invalid_event', () => {
    const payload = '{"not":"an event"';
    const header = stripe.webhooks.generateTestHeaderString({
      payload,
      secret: WEBHOOK_SECRET,
      timestamp: NOW_MS / 1000,
    });
    const result = gateway.verifyWebhook({
      rawBody: Buffer.from(payload),
      headers: { 'stripe-signature': header },
      nowMs: NOW_MS,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_event' } });
    const notAnEvent = signed({ hello: 'world' }, NOW_MS);
    expect(gateway.verifyWebhook({ ...notAnEvent, nowMs: NOW_MS })).toMatchObject({
      ok: false,
      error: { code: 'invalid_event' },
    });
  });
});

describe('toStripeAmount and fromStripeAmount (Stripe’s currency rules)', () => {
  it.each([
    ['EUR', 12_340_000n, 1234],
    ['USD', 10_000_000n, 1000],
    ['JPY', 500_000_000n, 500],
    ['KRW', 1_000_000n, 1],
    ['CLP', 990_000_000n, 990],
    // ISO 4217 says 2 decimals; Stripe takes whole ariary.
    ['MGA', 7_000_000n, 7],
    // Whole units, written with two decimals that are always 00 (Stripe's special cases).
    ['ISK', 5_000_000n, 500],
    ['UGX', 5_000_000n, 500],
    // Two-decimal charges; their special case concerns payouts only.
    ['HUF', 10_450_000n, 1045],
    ['TWD', 800_450_000n, 80045],
    // Three decimals with the last one 0.
    ['KWD', 5_120_000n, 5120],
    ['BHD', 1_230_000n, 1230],
  ])('%s: %s micro-units are amount %s, and back', (currency, amountMicros, amount) => {
    expect(value(toStripeAmount(amountMicros, currency))).toEqual({
      amount,
      currency: currency.toLowerCase(),
    });
    expect(fromStripeAmount(amount, currency.toLowerCase())).toBe(amountMicros);
  });

  it.each([
    ['EUR', 10_001_000n],
    ['JPY', 1_500_000n],
    ['MGA', 7_500_000n],
    ['ISK', 5_500_000n],
    ['UGX', 5_010_000n],
    ['KWD', 5_124_000n],
    ['XAU', 1_000_000n],
    ['EUR', -1_000_000n],
  ])('%s: refuses %s micro-units, never rounds', (currency, amountMicros) => {
    expect(toStripeAmount(amountMicros, currency)).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  });

  it('cannot read an amount that is not an integer, or in an unknown currency', () => {
    expect(fromStripeAmount(12.5, 'eur')).toBeNull();
    expect(fromStripeAmount(100, 'xyz')).toBeNull();
    expect(fromStripeAmount('100', 'eur')).toBeNull();
  });
});
