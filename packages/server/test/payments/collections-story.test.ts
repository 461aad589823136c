import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPaymentsFixture, type PaymentsFixture } from './payments-fixture.js';

const MSISDN = '+4915200000101';

/** Noon in Berlin on a day counted from an ISO date. */
function noonAfter(isoDate: string, days: number): Date {
  const day = new Date(`${isoDate}T10:00:00Z`);
  return new Date(day.getTime() + days * 86_400_000);
}

describe('collections: autopay, dunning, suspension and restoration', () => {
  let f: PaymentsFixture;
  beforeEach(async () => {
    f = await openPaymentsFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  const call = (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: object,
    headers?: Record<string, string>,
  ) => f.call(method, url, payload, headers);
  let accountIds: string[] = [];
  const collect = async () => {
    const run = await call('POST', '/v1/collection-runs', { accountIds });
    expect(run.statusCode).toBe(200);
    return run.json();
  };
  const sms = async (id: string, destination = '+4915199999999') =>
    (
      await call('POST', '/v1/charging/events', {
        eventId: id,
        subscriber: { kind: 'msisdn', value: MSISDN },
        services: [{ ratingGroup: 2, destination, requestedUnits: 1 }],
      })
    ).json();

  it('declines autopay, reminds, retries, suspends, then restores service the moment the customer pays', async () => {
    const policy = await call(
      'PUT',
      '/v1/dunning-policies/default',
      {
        name: 'Residential',
        graceDays: 7,
        steps: [
          { day: -3, action: 'reminder' },
          { day: 0, action: 'reminder' },
          { day: 1, action: 'retry' },
          { day: 3, action: 'retry' },
          { day: 5, action: 'late_fee', feeMicros: '5000000' },
          { day: 7, action: 'suspend', notify: true },
          { day: 30, action: 'terminate' },
        ],
      },
      f.headers.admin,
    );
    expect([200, 201]).toContain(policy.statusCode);
    const { accountId: account, invoiceId, subscriptionId: line } = await f.billedAccount(MSISDN);
    accountIds = [account];
    const card = await call('POST', `/v1/accounts/${account}/payment-methods`, {
      token: 'tok_sandbox_decline',
    });
    expect(card.statusCode).toBe(201);
    expect(card.json()).toMatchObject({ gateway: 'sandbox', isDefault: true });
    const dueOn: string = (await call('GET', `/v1/invoices/${invoiceId}`)).json().dueOn;

    // Autopay right after the run: declined.
    expect((await collect()).autopay).toMatchObject({ attempted: 1, failed: 1 });
    const payments = (await call('GET', `/v1/payments?accountId=${account}`)).json().items;
    expect(payments).toMatchObject([
      { purpose: 'autopay', status: 'failed', failureCode: 'card_declined', amount: '71.40' },
    ]);
    expect((await sms('before-1')).services[0].resultCode).toBe('success');

    // Three days before the due date, on it, then the retries: all declined.
    for (const [day, action] of [
      [-3, 'reminder'],
      [0, 'reminder'],
      [1, 'retry'],
      [3, 'retry'],
      [5, 'late_fee'],
    ] as const) {
      f.clock.now = noonAfter(dueOn, day);
      const run = await collect();
      expect(run.dunning.steps[action], `day ${day}`).toBe(1);
    }
    expect((await call('GET', `/v1/payments?accountId=${account}&status=failed`)).json().items).toHaveLength(
      3,
    );
    const { charges } = await f.database.db
      .selectFrom('account_charges')
      .select((eb) => eb.fn.countAll<string>().as('charges'))
      .where('account_id', '=', account)
      .where('code', '=', 'late_fee')
      .executeTakeFirstOrThrow();
    expect(Number(charges)).toBe(1);

    // Day 7: suspended. Charging refuses the line, but not an emergency call.
    f.clock.now = noonAfter(dueOn, 7);
    expect((await collect()).dunning.steps.suspend).toBe(1);
    const again = await collect();
    expect(Object.values(again.dunning.steps).every((count) => count === 0)).toBe(true);
    const suspended = await f.database.db
      .selectFrom('subscriptions')
      .select('status')
      .where('id', '=', line)
      .executeTakeFirstOrThrow();
    expect(suspended.status).toBe('suspended');
    expect((await sms('suspended-1')).services[0].resultCode).toBe('service_denied');
    const emergency = await call('POST', '/v1/charging/authorisations', {
      subscriber: { kind: 'msisdn', value: MSISDN },
      services: [{ ratingGroup: 1, destination: '112', requestedUnits: 60 }],
    });
    expect(emergency.json().services?.[0]?.resultCode ?? emergency.json().code).not.toBe('service_denied');
    const cases = (await call('GET', `/v1/accounts/${account}/dunning-cases`)).json().items;
    expect(cases).toMatchObject([{ status: 'open', service: 'suspended', anchorDueOn: dueOn }]);
    expect(cases[0].steps.map((s: { action: string }) => s.action)).toEqual([
      'reminder',
      'reminder',
      'retry',
      'retry',
      'late_fee',
      'suspend',
    ]);

    // The customer gives a good card and pays what is owed: service is back at once.
    f.clock.now = noonAfter(dueOn, 9);
    const good = await call('POST', `/v1/accounts/${account}/payment-methods`, {
      token: 'tok_sandbox_success',
    });
    expect(good.json().isDefault).toBe(true);
    const paid = await call(
      'POST',
      `/v1/accounts/${account}/payment-collections`,
      {},
      {
        ...f.headers.operator,
        'idempotency-key': 'customer-pays-1',
      },
    );
    expect(paid.statusCode).toBe(201);
    expect(paid.json()).toMatchObject({ status: 'succeeded', amount: '71.40', unallocated: '0.00' });
    expect((await call('GET', `/v1/invoices/${invoiceId}`)).json()).toMatchObject({
      status: 'paid',
      amountDue: '0.00',
    });
    const restored = await f.database.db
      .selectFrom('subscriptions')
      .select('status')
      .where('id', '=', line)
      .executeTakeFirstOrThrow();
    expect(restored.status).toBe('active');
    expect((await sms('after-1')).services[0].resultCode).toBe('success');
    expect((await call('GET', `/v1/accounts/${account}/dunning-cases`)).json().items[0]).toMatchObject({
      status: 'resolved',
      service: 'active',
    });
    // Dunning ends with the case: a later run does nothing, termination never comes.
    f.clock.now = noonAfter(dueOn, 31);
    expect(Object.values((await collect()).dunning.steps).every((count) => count === 0)).toBe(true);
    expect(f.sandbox.charges().filter((c) => c.status === 'succeeded')).toHaveLength(1);

    const events = await f.database.db
      .selectFrom('webhook_events')
      .select('type')
      .where('tenant_id', '=', f.tenantId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const types = events.map((e) => e.type);
    for (const type of [
      'invoice.finalized',
      'payment.failed',
      'dunning.reminder',
      'dunning.late_fee',
      'subscription.suspended',
      'payment.succeeded',
      'invoice.paid',
      'subscription.restored',
    ])
      expect(types, type).toContain(type);
    expect(types.filter((t) => t === 'payment.failed')).toHaveLength(3);
  });

  it('terminates the lines and writes the invoices off when nobody pays', async () => {
    await call(
      'PUT',
      '/v1/dunning-policies/default',
      {
        name: 'Short',
        graceDays: 1,
        steps: [
          { day: 1, action: 'suspend' },
          { day: 2, action: 'terminate' },
          { day: 3, action: 'write_off' },
        ],
      },
      f.headers.admin,
    );
    const { accountId: account, invoiceId, subscriptionId: line } = await f.billedAccount('+4915200000102');
    accountIds = [account];
    const dueOn: string = (await call('GET', `/v1/invoices/${invoiceId}`)).json().dueOn;
    for (const [day, action] of [
      [1, 'suspend'],
      [2, 'terminate'],
      [3, 'write_off'],
    ] as const) {
      f.clock.now = noonAfter(dueOn, day);
      expect((await collect()).dunning.steps[action], `day ${day}`).toBe(1);
    }
    const ended = await f.database.db
      .selectFrom('subscriptions')
      .select('status')
      .where('id', '=', line)
      .executeTakeFirstOrThrow();
    expect(ended.status).toBe('terminated');
    expect((await call('GET', `/v1/invoices/${invoiceId}`)).json()).toMatchObject({
      status: 'uncollectible',
      amountDue: '0.00',
    });
    expect((await call('GET', `/v1/accounts/${account}/dunning-cases`)).json().items[0]).toMatchObject({
      status: 'written_off',
      service: 'terminated',
    });
    expect(await call('GET', `/v1/accounts/${account}/receivable`).then((r) => r.json())).toMatchObject({
      outstanding: '0.00',
    });
    // Nothing more happens after the write-off.
    f.clock.now = noonAfter(dueOn, 10);
    expect(Object.values((await collect()).dunning.steps).every((count) => count === 0)).toBe(true);
  });
});
