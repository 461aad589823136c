import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChargeRequest, GatewayResult } from '../../../src/payments/gateways/payment-gateway.js';
import type { SandboxEvent } from '../../../src/payments/gateways/sandbox-event.js';
import { SANDBOX_TEST_TOKENS, SandboxGateway } from '../../../src/payments/gateways/sandbox-gateway.js';

const SECRET = 'whsec_sandbox_test';
const NOW_MS = Date.UTC(2026, 2, 1, 12, 0, 0);

function sandbox(): SandboxGateway {
  return new SandboxGateway({ webhookSecret: SECRET });
}

function value<T>(result: GatewayResult<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function attach(gateway: SandboxGateway, token: string) {
  return value(
    await gateway.attachMethod({
      tenantId: 'tenant-1',
      accountId: 'account-1',
      gatewayCustomer: null,
      email: 'ada@example.com',
      name: 'Ada',
      token,
    }),
  );
}

function chargeRequest(
  method: { gatewayCustomer: string | null; token: string },
  key: string,
): ChargeRequest {
  return {
    tenantId: 'tenant-1',
    accountId: 'account-1',
    paymentId: `payment-${key}`,
    amountMicros: 12_340_000n,
    currency: 'EUR',
    method: { gatewayCustomer: method.gatewayCustomer, token: method.token },
    description: 'Invoice 2026-0001',
    idempotencyKey: key,
  };
}

function sandboxEvent(type: SandboxEvent['type'], amountMicros: string): SandboxEvent {
  return {
    id: 'evt_test_1',
    type,
    created: NOW_MS / 1000,
    data: { reference: 'ch_sandbox_1', amountMicros, tenantId: 'tenant-1' },
  };
}

describe('SandboxGateway test tokens', () => {
  it('attaches a token as a new customer and method token with its display details', async () => {
    const gateway = sandbox();
    const first = await attach(gateway, 'tok_sandbox_success');
    expect(first).toEqual({
      gatewayCustomer: 'cus_sandbox_1',
      token: 'pm_sandbox_1_success',
      kind: 'card',
      brand: 'visa',
      last4: '4242',
      expMonth: 12,
      expYear: 2034,
    });
    const second = value(
      await gateway.attachMethod({
        tenantId: 'tenant-1',
        accountId: 'account-1',
        gatewayCustomer: first.gatewayCustomer,
        email: null,
        name: 'Ada',
        token: 'tok_sandbox_decline',
      }),
    );
    expect(second).toMatchObject({
      gatewayCustomer: 'cus_sandbox_1',
      token: 'pm_sandbox_2_decline',
      last4: '0002',
    });
  });

  it('refuses an unknown token, naming it and the valid ones', async () => {
    const result = await sandbox().attachMethod({
      tenantId: 'tenant-1',
      accountId: 'account-1',
      gatewayCustomer: null,
      email: null,
      name: 'Ada',
      token: 'tok_visa',
    });
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.error.message;
    expect(result.ok ? null : result.error.code).toBe('invalid_request');
    expect(message).toContain('tok_visa');
    for (const token of Object.keys(SANDBOX_TEST_TOKENS)) expect(message).toContain(token);
  });

  it.each([
    ['tok_sandbox_success', 'succeeded', null],
    ['tok_sandbox_decline', 'failed', 'card_declined'],
    ['tok_sandbox_insufficient_funds', 'failed', 'insufficient_funds'],
    ['tok_sandbox_authentication_required', 'requires_action', 'authentication_required'],
  ] as const)('charges a %s method to %s (%s)', async (token, status, failureCode) => {
    const gateway = sandbox();
    const method = await attach(gateway, token);
    const charge = value(await gateway.charge(chargeRequest(method, 'key-1')));
    expect(charge).toMatchObject({
      reference: 'ch_sandbox_1',
      status,
      failureCode,
      amountMicros: 12_340_000n,
    });
    expect(value(await gateway.retrieveCharge(charge.reference))).toEqual(charge);
  });

  it('charges a saved method after a restart, as its token names its test card', async () => {
    const saved = await attach(sandbox(), 'tok_sandbox_decline');
    const restarted = sandbox();
    expect(value(await restarted.charge(chargeRequest(saved, 'key-1')))).toMatchObject({
      status: 'failed',
      failureCode: 'card_declined',
    });
    const forged = await restarted.charge(chargeRequest({ ...saved, token: 'pm_sandbox_1_stolen' }, 'key-2'));
    expect(forged).toMatchObject({ ok: false });
  });

  it('answers unavailable for the network error token and takes nothing, also on retry', async () => {
    const gateway = sandbox();
    const method = await attach(gateway, 'tok_sandbox_network_error');
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await gateway.charge(chargeRequest(method, 'key-1'));
      expect(result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    }
    expect(gateway.charges()).toEqual([]);
  });

  it('follows the stored method token, and refuses a detached or unknown one', async () => {
    const gateway = sandbox();
    const method = await attach(gateway, 'tok_sandbox_decline');
    const byToken = await gateway.charge({
      ...chargeRequest(method, 'key-1'),
      method: { gatewayCustomer: null, token: 'tok_sandbox_success' },
    });
    expect(byToken).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(value(await gateway.detachMethod(method))).toBeNull();
    const detached = await gateway.charge(chargeRequest(method, 'key-2'));
    expect(detached).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('refuses an amount that is not a whole number of minor units, or not positive', async () => {
    const gateway = sandbox();
    const method = await attach(gateway, 'tok_sandbox_success');
    for (const [amountMicros, currency] of [
      [12_345_000n, 'JPY'],
      [1_005_000n, 'EUR'],
      [1_000_500n, 'KWD'],
      [0n, 'EUR'],
      [-1_000_000n, 'EUR'],
    ] as const) {
      const result = await gateway.charge({
        ...chargeRequest(method, `key-${currency}-${amountMicros}`),
        amountMicros,
        currency,
      });
      expect(result, `${amountMicros} ${currency}`).toMatchObject({
        ok: false,
        error: { code: 'invalid_request' },
      });
    }
    const yen = await gateway.charge({
      ...chargeRequest(method, 'key-yen'),
      amountMicros: 500_000_000n,
      currency: 'JPY',
    });
    expect(value(yen).status).toBe('succeeded');
    expect(gateway.charges()).toHaveLength(1);
  });
});

describe('SandboxGateway idempotency', () => {
  it('makes one charge for 1,000 calls with one key, 50 at a time', async () => {
    const gateway = sandbox();
    const method = await attach(gateway, 'tok_sandbox_success');
    const references = new Set<string>();
    for (let batch = 0; batch < 20; batch++) {
      const results = await Promise.all(
        Array.from({ length: 50 }, () => gateway.charge(chargeRequest(method, 'one-key'))),
      );
      for (const result of results) references.add(value(result).reference);
    }
    expect([...references]).toEqual(['ch_sandbox_1']);
    expect(gateway.charges()).toHaveLength(1);
  });

  it('refuses a used key for another amount or method', async () => {
    const gateway = sandbox();
    const method = await attach(gateway, 'tok_sandbox_success');
    const other = await attach(gateway, 'tok_sandbox_success');
    value(await gateway.charge(chargeRequest(method, 'key-1')));
    const otherAmount = await gateway.charge({ ...chargeRequest(method, 'key-1'), amountMicros: 1_000_000n });
    const otherMethod = await gateway.charge(chargeRequest(other, 'key-1'));
    expect(otherAmount).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(otherMethod).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(gateway.charges()).toHaveLength(1);
  });

  it('replays the first answer for a repeated key, while retrieveCharge tells the state now', async () => {
    const gateway = sandbox();
    const method = await attach(gateway, 'tok_sandbox_authentication_required');
    const first = value(await gateway.charge(chargeRequest(method, 'key-1')));
    gateway.completeAuthentication(first.reference, true, NOW_MS);
    expect(value(await gateway.charge(chargeRequest(method, 'key-1')))).toEqual(first);
    expect(value(await gateway.retrieveCharge(first.reference)).status).toBe('succeeded');
  });
});

describe('SandboxGateway refunds', () => {
  async function succeededCharge(gateway: SandboxGateway) {
    const method = await attach(gateway, 'tok_sandbox_success');
    return value(await gateway.charge(chargeRequest(method, 'charge-key')));
  }

  it('refunds in parts, never beyond the charge', async () => {
    const gateway = sandbox();
    const charge = await succeededCharge(gateway);
    const refund = (key: string, amountMicros: bigint) =>
      gateway.refund({
        chargeReference: charge.reference,
        amountMicros,
        currency: 'EUR',
        reason: 'requested_by_customer',
        idempotencyKey: key,
      });
    expect(value(await refund('r1', 10_000_000n))).toEqual({
      reference: 're_sandbox_1',
      status: 'succeeded',
    });
    expect(await refund('r2', 2_350_000n)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(value(await refund('r3', 2_340_000n))).toEqual({ reference: 're_sandbox_2', status: 'succeeded' });
    expect(await refund('r4', 10_000n)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(gateway.charges()[0]?.refundedMicros).toBe(12_340_000n);
  });

  it('is idempotent by key, also concurrently, and refuses a used key for another refund', async () => {
    const gateway = sandbox();
    const charge = await succeededCharge(gateway);
    const request = {
      chargeReference: charge.reference,
      amountMicros: 12_340_000n,
      currency: 'EUR',
      reason: null,
      idempotencyKey: 'refund-key',
    };
    const results = await Promise.all(Array.from({ length: 50 }, () => gateway.refund(request)));
    expect(new Set(results.map((result) => value(result).reference))).toEqual(new Set(['re_sandbox_1']));
    expect(gateway.charges()[0]?.refundedMicros).toBe(12_340_000n);
    const other = await gateway.refund({ ...request, amountMicros: 1_000_000n });
    expect(other).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('refuses to refund a failed charge, another currency, or an unknown charge', async () => {
    const gateway = sandbox();
    const declined = await attach(gateway, 'tok_sandbox_decline');
    const failed = value(await gateway.charge(chargeRequest(declined, 'declined-key')));
    const charge = await succeededCharge(gateway);
    const base = { amountMicros: 1_000_000n, currency: 'EUR', reason: null };
    const attempts = [
      { ...base, chargeReference: failed.reference, idempotencyKey: 'a' },
      { ...base, chargeReference: charge.reference, currency: 'USD', idempotencyKey: 'b' },
      { ...base, chargeReference: 'ch_sandbox_404', idempotencyKey: 'c' },
    ];
    for (const attempt of attempts) {
      expect(await gateway.refund(attempt)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    }
  });
});

describe('SandboxGateway 3-D Secure', () => {
  it.each([
    [true, 'succeeded', null, 'charge.succeeded'],
    [false, 'failed', 'authentication_failed', 'charge.failed'],
  ] as const)(
    'completes authentication (succeed: %s) and signs the event',
    async (succeed, status, code, type) => {
      const gateway = sandbox();
      const method = await attach(gateway, 'tok_sandbox_authentication_required');
      const charge = value(await gateway.charge(chargeRequest(method, 'key-1')));
      const signed = gateway.completeAuthentication(charge.reference, succeed, NOW_MS);
      expect(value(await gateway.retrieveCharge(charge.reference))).toMatchObject({
        status,
        failureCode: code,
      });
      const event = value(gateway.verifyWebhook({ ...signed, nowMs: NOW_MS }));
      expect(event).toMatchObject({
        id: 'evt_sandbox_1',
        type,
        kind: 'charge_updated',
        chargeReference: charge.reference,
        amountMicros: null,
        createdAtMs: NOW_MS,
        tenantId: 'tenant-1',
      });
      expect(() => gateway.completeAuthentication(charge.reference, true, NOW_MS)).toThrow(
        /not requires_action/,
      );
    },
  );

  it('announces a dispute with the disputed amount', async () => {
    const gateway = sandbox();
    const method = await attach(gateway, 'tok_sandbox_success');
    const charge = value(await gateway.charge(chargeRequest(method, 'key-1')));
    const signed = gateway.disputeCharge(charge.reference, 5_000_000n, NOW_MS);
    expect(value(gateway.verifyWebhook({ ...signed, nowMs: NOW_MS }))).toMatchObject({
      type: 'charge.disputed',
      kind: 'dispute_opened',
      chargeReference: charge.reference,
      amountMicros: 5_000_000n,
    });
    expect(gateway.charges()[0]?.disputedMicros).toBe(5_000_000n);
  });
});

describe('SandboxGateway webhooks', () => {
  const gateway = sandbox();

  it('reads a validly signed event of each type', () => {
    const kinds = [
      ['charge.succeeded', 'charge_updated', null],
      ['charge.failed', 'charge_updated', null],
      ['charge.refunded', 'charge_refunded', 4_000_000n],
      ['charge.disputed', 'dispute_opened', 4_000_000n],
    ] as const;
    for (const [type, kind, amountMicros] of kinds) {
      const signed = gateway.signEvent(sandboxEvent(type, '4000000'), NOW_MS);
      expect(value(gateway.verifyWebhook({ ...signed, nowMs: NOW_MS + 1_000 }))).toMatchObject({
        id: 'evt_test_1',
        type,
        kind,
        chargeReference: 'ch_sandbox_1',
        amountMicros,
        tenantId: 'tenant-1',
        createdAtMs: NOW_MS,
      });
    }
  });

  it('checks the signature with the secret, as documented (HMAC-SHA256 of "<t>.<body>")', () => {
    const rawBody = Buffer.from(JSON.stringify(sandboxEvent('charge.succeeded', '1')));
    const t = NOW_MS / 1000;
    const v1 = createHmac('sha256', SECRET).update(`${t}.${rawBody.toString()}`).digest('hex');
    const headers = { 'tollgate-sandbox-signature': `t=${t},v1=${v1}` };
    expect(gateway.verifyWebhook({ rawBody, headers, nowMs: NOW_MS }).ok).toBe(true);
    const otherSecret = new SandboxGateway({ webhookSecret: 'whsec_other' });
    expect(otherSecret.verifyWebhook({ rawBody, headers, nowMs: NOW_MS })).toMatchObject({
      ok: false,
      error: { code: 'invalid_signature' },
    });
  });

  it('refuses a tampered body', () => {
    const signed = gateway.signEvent(sandboxEvent('charge.refunded', '4000000'), NOW_MS);
    const rawBody = Buffer.from(signed.rawBody.toString().replace('4000000', '9000000'));
    expect(gateway.verifyWebhook({ rawBody, headers: signed.headers, nowMs: NOW_MS })).toMatchObject({
      ok: false,
      error: { code: 'invalid_signature' },
    });
  });

  it.each([
    ['301 s old', -301_000, 'stale_event'],
    ['301 s in the future', 301_000, 'stale_event'],
    ['300 s old', -300_000, null],
    ['300 s in the future', 300_000, null],
  ] as const)('judges a timestamp %s', (_, offsetMs, code) => {
    const signed = gateway.signEvent(sandboxEvent('charge.succeeded', '1'), NOW_MS + offsetMs);
    const result = gateway.verifyWebhook({ ...signed, nowMs: NOW_MS });
    expect(result.ok ? null : result.error.code).toBe(code);
  });

  it.each([
    ['missing', {}],
    ['empty', { 'tollgate-sandbox-signature': '' }],
    ['repeated', { 'tollgate-sandbox-signature': ['t=1,v1=00', 't=1,v1=00'] }],
    ['without a timestamp', { 'tollgate-sandbox-signature': `v1=${'0'.repeat(64)}` }],
    ['without a signature', { 'tollgate-sandbox-signature': `t=${NOW_MS / 1000}` }],
    ['with a short signature', { 'tollgate-sandbox-signature': `t=${NOW_MS / 1000},v1=abcd` }],
    ['garbled', { 'tollgate-sandbox-signature': 'nonsense' }],
  ] satisfies Array<[string, Record<string, string | string[]>]>)(
    'refuses a header that is %s',
    (_, headers) => {
      const { rawBody } = gateway.signEvent(sandboxEvent('charge.succeeded', '1'), NOW_MS);
      expect(gateway.verifyWebhook({ rawBody, headers, nowMs: NOW_MS })).toMatchObject({
        ok: false,
        error: { code: 'invalid_signature' },
      });
    },
  );

  it('refuses a signed body that is not a sandbox event, and ignores an unknown type', () => {
    const sign = (body: string) => {
      const rawBody = Buffer.from(body);
      const t = NOW_MS / 1000;
      const v1 = createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex');
      return { rawBody, headers: { 'tollgate-sandbox-signature': `t=${t},v1=${v1}` }, nowMs: NOW_MS };
    };
    expect(gateway.verifyWebhook(sign('{not json'))).toMatchObject({
      ok: false,
      error: { code: 'invalid_event' },
    });
    expect(gateway.verifyWebhook(sign('{"id":"evt_1"}'))).toMatchObject({
      ok: false,
      error: { code: 'invalid_event' },
    });
    const unknown = { ...sandboxEvent('charge.succeeded', '1'), type: 'charge.expired' };
    expect(value(gateway.verifyWebhook(sign(JSON.stringify(unknown))))).toMatchObject({
      kind: 'ignored',
      chargeReference: null,
    });
  });
});
