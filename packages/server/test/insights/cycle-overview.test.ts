import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_LABEL } from '../test-database.js';
import { type InsightsFixture, openInsightsFixture } from './insights-fixture.js';

const LINE_A = '+4915200000301';
const LINE_B = '+4915200000302';
/** Saturday 11 April 2026, noon in Berlin (summer time, UTC+2): day 11 of the April cycle. */
const NOW = new Date('2026-04-11T12:00:00+02:00');

/**
 * A postpaid account billed on the 1st (Europe/Berlin) with two lines on a 9.99 plan that includes
 * 10 minutes of calls a month: line A since March, line B since 6 April.
 */
describe(`the cycle overview (${DATABASE_LABEL})`, () => {
  let f: InsightsFixture;
  let accountId: string;
  let lineA: string;
  let lineB: string;

  beforeAll(async () => {
    f = await openInsightsFixture();
    const b = f.billing;
    const plan = await b.plan('overview-basic', {
      name: 'Basic',
      recurringFee: '9.99',
      allowances: [{ service: 'voice', amount: '10m' }],
    });
    b.clock.now = new Date('2026-02-25T12:00:00Z');
    accountId = await b.account();
    lineA = await b.line(accountId, LINE_A, plan, '2026-03-01T00:00:00+01:00');
    lineB = await b.line(accountId, LINE_B, plan, '2026-04-06T00:00:00+02:00');
    // April's allowances: line A 600 s; line B, on the plan 25 of the cycle's 30 days, 500 s.
    await b.renew('2026-04-11T00:00:00+02:00');
    b.clock.now = NOW;
    const limited = await f.app.inject({
      method: 'PATCH',
      url: `/v1/accounts/${accountId}`,
      headers: { authorization: `Bearer ${f.keys.operator}` },
      payload: { creditLimit: '50.00' },
    });
    expect(limited.statusCode).toBe(200);
    const loaded = await f.post(
      '/v1/usage',
      {
        events: [
          // 31 March in Berlin: the cycle before, not counted.
          {
            id: 'ov-0',
            subscriber: LINE_A,
            service: 'sms',
            destination: '+4917611111111',
            startedAt: '2026-03-31T23:30:00+02:00',
            units: 1,
          },
          // 1 April, ten past midnight in Berlin (still 31 March in UTC): two SMS, 0.18.
          {
            id: 'ov-1',
            subscriber: LINE_A,
            service: 'sms',
            destination: '+4917611111111',
            startedAt: '2026-04-01T00:10:00+02:00',
            units: 2,
          },
          // 7 minutes from line A's allowance: nothing to pay.
          {
            id: 'ov-2',
            subscriber: LINE_A,
            service: 'call',
            destination: '+4930123456',
            startedAt: '2026-04-07T10:00:00+02:00',
            units: 420,
          },
          // 1 000 000 bytes of data: 0.012.
          {
            id: 'ov-3',
            subscriber: LINE_A,
            service: 'data',
            destination: 'internet',
            startedAt: '2026-04-08T09:00:00+02:00',
            units: 1_000_000,
          },
          // A minute from line B's allowance, and three SMS: 0.27.
          {
            id: 'ov-4',
            subscriber: LINE_B,
            service: 'call',
            destination: '+4915112345678',
            startedAt: '2026-04-09T10:00:00+02:00',
            units: 60,
          },
          {
            id: 'ov-5',
            subscriber: LINE_B,
            service: 'sms',
            destination: '+4917611111111',
            startedAt: '2026-04-10T18:00:00+02:00',
            units: 3,
          },
        ],
      },
      'operator',
    );
    expect(loaded.json()).toMatchObject({ loaded: 6, suspended: 0 });
  }, 120_000);
  afterAll(async () => {
    await f?.close();
  });

  const overview = (role: 'read-only' | 'support' = 'read-only') =>
    f.get(`/v1/accounts/${accountId}/cycle-overview`, role);

  it("states the cycle holding now, in the account's zone", async () => {
    const body = (await overview()).json();
    expect(body).toMatchObject({
      accountId,
      currency: 'EUR',
      timeZone: 'Europe/Berlin',
      asOf: NOW.toISOString(),
      cycle: {
        start: '2026-04-01',
        end: '2026-04-30',
        startsAt: '2026-03-31T22:00:00.000Z',
        endsAt: '2026-04-30T22:00:00.000Z',
        daysElapsed: 11,
        daysTotal: 30,
      },
    });
  });

  it('adds the usage so far to the recurring fees, prorated as a bill prorates them', async () => {
    const body = (await overview()).json();
    // Line A pays the whole cycle: 9.99. Line B pays 25 of 30 days: 9.99 × 25 / 30 = 8.325,
    // rounded half up to the cent: 8.33.
    expect(body.recurringFees).toHaveLength(2);
    expect(body.recurringFees).toEqual(
      expect.arrayContaining([
        {
          subscriptionId: lineA,
          line: LINE_A,
          planId: expect.any(String),
          label: 'Basic',
          from: '2026-04-01',
          to: '2026-04-30',
          days: 30,
          windowDays: 30,
          fee: '9.99',
          amount: '9.99',
        },
        {
          subscriptionId: lineB,
          line: LINE_B,
          planId: expect.any(String),
          label: 'Basic',
          from: '2026-04-06',
          to: '2026-04-30',
          days: 25,
          windowDays: 30,
          fee: '9.99',
          amount: '8.33',
        },
      ]),
    );
    // Usage after allowances: 0.18 + 0.012 + 0.27 = 0.462 (the calls were in the allowances).
    expect(body.spend).toEqual({ usage: '0.462', recurring: '18.32', total: '18.782' });
    // 0.462 × 30 / 11 = 1.26 exactly; the fees do not grow with the days.
    expect(body.estimate).toEqual({ usage: '1.26', recurring: '18.32', total: '19.58' });
  });

  it('lists each line’s allowances with what is used and what remains', async () => {
    const body = (await overview()).json();
    const byLine = Object.fromEntries(
      body.allowances.map((a: { subscriptionId: string }) => [a.subscriptionId, a]),
    );
    expect(byLine[lineA]).toMatchObject({
      line: LINE_A,
      service: null,
      unit: 'seconds',
      total: '600',
      used: '420',
      remaining: '180',
      validFrom: '2026-03-31T22:00:00.000Z',
      validTo: '2026-04-30T22:00:00.000Z',
    });
    expect(byLine[lineB]).toMatchObject({ line: LINE_B, total: '500', used: '60', remaining: '440' });
  });

  it('shows the balance and the thresholds fired this cycle', async () => {
    const body = (await overview()).json();
    // Accrued usage waits for the invoice; the main balance has not moved.
    expect(body.balance).toEqual({ main: '0.00', availableToSpend: '50.00', creditLimit: '50.00' });
    // Line A used 70% of its allowance: the default 50% level fired, the 80% one not yet.
    expect(body.alerts).toEqual([
      expect.objectContaining({
        kind: 'allowance_used',
        level: '50',
        subscriptionId: lineA,
        subject: body.allowances.find((a: { subscriptionId: string }) => a.subscriptionId === lineA).bucketId,
        firedAt: NOW.toISOString(),
      }),
    ]);
  });

  it('projects nothing beyond the usage on the last day of the cycle', async () => {
    f.billing.clock.now = new Date('2026-04-30T23:00:00+02:00');
    try {
      const body = (await overview()).json();
      expect(body.cycle).toMatchObject({ daysElapsed: 30, daysTotal: 30 });
      // 0.462 × 30 / 30, rounded to the cent.
      expect(body.estimate).toEqual({ usage: '0.46', recurring: '18.32', total: '18.78' });
    } finally {
      f.billing.clock.now = NOW;
    }
  });

  it('is the customer’s own, and 404 for anything else', async () => {
    expect((await f.get(`/v1/accounts/${randomUUID()}/cycle-overview`)).statusCode).toBe(404);
    const cookies = await f.customerSession(accountId);
    const own = await f.app.inject({ url: `/v1/accounts/${accountId}/cycle-overview`, cookies });
    expect(own.statusCode).toBe(200);
    expect(own.json().spend.total).toBe('18.782');
    const other = await f.app.inject({
      url: `/v1/accounts/${f.billing.postpaid.accountId}/cycle-overview`,
      cookies,
    });
    expect(other.statusCode).toBe(404);
  });
});
