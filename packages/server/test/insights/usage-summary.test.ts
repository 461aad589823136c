import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { addTariffVersion } from '../../src/catalog/add-tariff-version.js';
import { DEMO_TARIFF_PATH } from '../../src/seed/demo-tariff-path.js';
import { TEST_ACTOR } from '../mediation/mediation-fixture.js';
import { DATABASE_LABEL } from '../test-database.js';
import { type InsightsFixture, openInsightsFixture } from './insights-fixture.js';

const LINE_A = '+4915200000101';
const LINE_B = '+4915200000102';
const BERLIN = '+4930123456';

/**
 * Usage of one postpaid account in March 2026 (Europe/Berlin, winter time, UTC+1), priced by the
 * demo tariff: Berlin fixed at peak (weekdays 08-19) 0.02 connect + 0.05 the first minute + 0.05
 * a minute by the second; off-peak 0.02 a minute by the minute; German mobile 0.05 connect + 0.19
 * a minute by 30 s; USA 0.09 the first minute, then 0.09 a minute by 6 s; SMS 0.09; data
 * 0.000000012 a byte by the kilobyte, rounded up to 4 decimals.
 */
const EVENTS = [
  // Monday 10:00, peak, 90 s: 0.02 + 0.05 + 30 × 0.05 / 60 = 0.095
  {
    id: 'sum-1',
    subscriber: LINE_A,
    service: 'call',
    destination: BERLIN,
    startedAt: '2026-03-02T10:00:00+01:00',
    units: 90,
  },
  // Monday 23:30, off-peak, 90 s: two minutes at 0.02 = 0.04
  {
    id: 'sum-2',
    subscriber: LINE_A,
    service: 'call',
    destination: BERLIN,
    startedAt: '2026-03-02T23:30:00+01:00',
    units: 90,
  },
  // Tuesday 00:30 in Berlin, still Monday 23:30 in UTC: German mobile, 60 s: 0.05 + 0.19 = 0.24
  {
    id: 'sum-3',
    subscriber: LINE_A,
    service: 'call',
    destination: '+4915112345678',
    startedAt: '2026-03-03T00:30:00+01:00',
    units: 60,
  },
  // Tuesday 09:15, line B: one SMS, 0.09
  {
    id: 'sum-4',
    subscriber: LINE_B,
    service: 'sms',
    destination: '+4917611111111',
    startedAt: '2026-03-03T09:15:00+01:00',
    units: 1,
  },
  // Tuesday 09:45, line B: 1 000 000 bytes = 1000 kB × 0.000012 = 0.012
  {
    id: 'sum-5',
    subscriber: LINE_B,
    service: 'data',
    destination: 'internet',
    startedAt: '2026-03-03T09:45:00+01:00',
    units: 1_000_000,
  },
  // Wednesday 15:00, USA, 120 s: 0.09 + 60 × 0.09 / 60 = 0.18
  {
    id: 'sum-6',
    subscriber: LINE_A,
    service: 'call',
    destination: '+12125550100',
    startedAt: '2026-03-04T15:00:00+01:00',
    units: 120,
  },
];

describe(`the usage summary (${DATABASE_LABEL})`, () => {
  let f: InsightsFixture;
  let accountId: string;
  let lineA: string;
  let lineB: string;

  beforeAll(async () => {
    f = await openInsightsFixture();
    const b = f.billing;
    const plan = await b.plan('summary-flat', { recurringFee: '10.00' });
    // The account opens (and its main balance is valid) before its usage.
    b.clock.now = new Date('2026-02-25T12:00:00Z');
    accountId = await b.account();
    lineA = await b.line(accountId, LINE_A, plan, '2026-03-01T00:00:00+01:00');
    lineB = await b.line(accountId, LINE_B, plan, '2026-03-01T00:00:00+01:00');
    const loaded = await f.post('/v1/usage', { events: EVENTS }, 'operator');
    expect(loaded.json()).toMatchObject({ loaded: 6, suspended: 0 });

    // Online charging spends a balance: a postpaid account without a credit limit has none.
    await b.topUp(accountId, '10.00');
    // Online charging on Thursday: two Berlin calls of 60 s at peak, 0.07 each. The switch sends
    // a record of the second session later (reconciled with it); the first has none yet.
    const session = async (sessionId: string, at: string) => {
      b.clock.now = new Date(at);
      const subscriber = { kind: 'msisdn', value: LINE_A };
      const started = await f.post(
        '/v1/charging/sessions',
        { sessionId, subscriber, services: [{ ratingGroup: 1, destination: BERLIN, requestedUnits: 60 }] },
        'operator',
      );
      expect(started.json(), started.body).toMatchObject({ services: [{ resultCode: 'success' }] });
      const ended = await f.post(
        `/v1/charging/sessions/${sessionId}/termination`,
        { requestNumber: 1, services: [{ ratingGroup: 1, usedUnits: 60 }] },
        'operator',
      );
      expect(ended.json(), ended.body).toMatchObject({ services: [{ charged: '0.07' }] });
    };
    await session('sum-online-1', '2026-03-05T10:00:00+01:00');
    await session('sum-online-2', '2026-03-05T11:00:00+01:00');
    const reconciled = await f.post(
      '/v1/usage',
      {
        events: [
          {
            id: 'sum-7',
            subscriber: LINE_A,
            service: 'call',
            destination: BERLIN,
            startedAt: '2026-03-05T11:00:00+01:00',
            units: 60,
            chargingSession: 'sum-online-2',
          },
        ],
      },
      'operator',
    );
    expect(reconciled.json()).toMatchObject({ loaded: 1 });
    b.clock.now = new Date('2026-03-20T12:00:00+01:00');
  }, 120_000);
  afterAll(async () => {
    await f?.close();
  });

  const summary = (query: string, role: 'support' | 'read-only' = 'support') =>
    f.get(`/v1/accounts/${accountId}/usage-summary?${query}`, role);

  it('counts each usage once: rated records, and online sessions no record was reconciled with', async () => {
    const response = await summary('from=2026-03-01&to=2026-03-31');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      accountId,
      subscriptionId: null,
      currency: 'EUR',
      timeZone: 'Europe/Berlin',
      from: '2026-03-01',
      to: '2026-03-31',
      // 0.095 + 0.04 + 0.24 + 0.18 + 0.07 + 0.07 (calls) + 0.09 (SMS) + 0.012 (data)
      total: { records: 8, amount: '0.797' },
    });
    expect(body.services).toEqual([
      // 90 + 90 + 60 + 120 + 60 + 60 seconds
      {
        service: 'call',
        unit: 'seconds',
        records: 6,
        quantity: '480',
        allowanceQuantity: '0',
        amount: '0.695',
      },
      {
        service: 'data',
        unit: 'bytes',
        records: 1,
        quantity: '1000000',
        allowanceQuantity: '0',
        amount: '0.012',
      },
      { service: 'sms', unit: 'messages', records: 1, quantity: '1', allowanceQuantity: '0', amount: '0.09' },
    ]);
  });

  it("puts each usage on the account's local day, and gives every day of the period", async () => {
    const body = (await summary('from=2026-03-01&to=2026-03-31')).json();
    expect(body.days).toHaveLength(31);
    const day = (date: string) => body.days.find((d: { date: string }) => d.date === date);
    expect(day('2026-03-01')).toEqual({ date: '2026-03-01', records: 0, amount: '0.00', services: [] });
    expect(day('2026-03-02')).toEqual({
      date: '2026-03-02',
      records: 2,
      amount: '0.135',
      services: [{ service: 'call', unit: 'seconds', quantity: '180' }],
    });
    // The call at 00:30 in Berlin is Tuesday's, though it was still Monday in UTC.
    expect(day('2026-03-03')).toEqual({
      date: '2026-03-03',
      records: 3,
      amount: '0.342',
      services: [
        { service: 'call', unit: 'seconds', quantity: '60' },
        { service: 'data', unit: 'bytes', quantity: '1000000' },
        { service: 'sms', unit: 'messages', quantity: '1' },
      ],
    });
    expect(day('2026-03-04')).toMatchObject({ records: 1, amount: '0.18' });
    expect(day('2026-03-05')).toMatchObject({
      records: 2,
      amount: '0.14',
      services: [{ service: 'call', unit: 'seconds', quantity: '120' }],
    });
    const sum = body.days.reduce((n: number, d: { records: number }) => n + d.records, 0);
    expect(sum).toBe(8);
  });

  it('sums the hours of the day in local time', async () => {
    const body = (await summary('from=2026-03-01&to=2026-03-31')).json();
    expect(body.hours).toHaveLength(24);
    const busy = body.hours
      .filter((h: { records: number }) => h.records !== 0)
      .map((h: { hour: number; records: number; amount: string }) => [h.hour, h.records, h.amount]);
    expect(busy).toEqual([
      [0, 1, '0.24'],
      [9, 2, '0.102'],
      [10, 2, '0.165'],
      [11, 1, '0.07'],
      [15, 1, '0.18'],
      [23, 1, '0.04'],
    ]);
  });

  it('ranks destinations by amount, then count, with the names the tariff gives them', async () => {
    const body = (await summary('from=2026-03-01&to=2026-03-31')).json();
    expect(body.topDestinations.slice(0, 3)).toEqual([
      { destinationId: 'DE_MOBILE', name: 'German mobile', records: 1, amount: '0.24' },
      // 0.095 + 0.04 + the reconciled session's 0.07
      { destinationId: 'DE_BERLIN', name: 'Berlin fixed', records: 3, amount: '0.205' },
      { destinationId: 'NANP', name: 'USA and Canada', records: 1, amount: '0.18' },
    ]);
    // The session without a record was priced without a destination group.
    expect(body.topDestinations).toContainEqual({
      destinationId: null,
      name: null,
      records: 1,
      amount: '0.07',
    });
  });

  it('narrows to one line, and to the days asked', async () => {
    const lineOnly = (await summary(`from=2026-03-01&to=2026-03-31&subscriptionId=${lineB}`)).json();
    expect(lineOnly).toMatchObject({ subscriptionId: lineB, total: { records: 2, amount: '0.102' } });
    const oneDay = (await summary(`from=2026-03-02&to=2026-03-02&subscriptionId=${lineA}`)).json();
    expect(oneDay.days).toHaveLength(1);
    expect(oneDay.total).toEqual({ records: 2, amount: '0.135' });
  });

  it('defaults to the bill cycle so far', async () => {
    const body = (await summary('')).json();
    expect(body).toMatchObject({ from: '2026-03-01', to: '2026-03-20', total: { records: 8 } });
  });

  it('refuses periods that are reversed or longer than 400 days, and other accounts’ lines', async () => {
    expect((await summary('from=2026-03-10&to=2026-03-01')).json()).toMatchObject({
      code: 'validation_failed',
    });
    // 2025-02-01 to 2026-03-07: 365 + 28 + 7 = 400 days, the most a summary covers.
    expect((await summary('from=2025-01-31&to=2026-03-07')).statusCode).toBe(400);
    expect((await summary('from=2025-02-01&to=2026-03-07')).statusCode).toBe(200);
    expect((await summary('from=2026-02-30&to=2026-03-07')).statusCode).toBe(400);
    const other = f.billing.postpaid.accountId;
    const demoLine = await f.billing.database.db
      .selectFrom('subscriptions')
      .select('id')
      .where('account_id', '=', other)
      .executeTakeFirstOrThrow();
    const foreign = await summary(`subscriptionId=${demoLine.id}`);
    expect(foreign.statusCode).toBe(404);
    expect((await f.get(`/v1/accounts/${randomUUID()}/usage-summary`)).statusCode).toBe(404);
  });

  it('is for support staff and for the customer who holds the account', async () => {
    expect((await summary('', 'read-only')).statusCode).toBe(403);
    const cookies = await f.customerSession(accountId);
    const own = await f.app.inject({ url: `/v1/accounts/${accountId}/usage-summary`, cookies });
    expect(own.statusCode).toBe(200);
    expect(own.json().total.records).toBe(8);
    const other = await f.app.inject({
      url: `/v1/accounts/${f.billing.postpaid.accountId}/usage-summary`,
      cookies,
    });
    expect(other.statusCode).toBe(404);
  });

  // Last: it changes the tariff for everything after it.
  it('counts a rerated record once, at its new price', async () => {
    // A correction: no connect fee at peak from the start of the year. Only sum-1 is a peak Berlin
    // record (the reconciled session's record is not rerated: the session charged it).
    const document = parseYaml(await readFile(DEMO_TARIFF_PATH, 'utf8')) as {
      rates: { id: string; connectFee?: string }[];
    };
    for (const rate of document.rates) if (rate.id === 'LOCAL_PEAK') rate.connectFee = '0';
    const { db } = f.billing.database;
    const added = await addTariffVersion(
      db,
      f.billing.tenantId,
      TEST_ACTOR,
      f.billing.tariffId,
      { activatesAt: new Date('2026-01-01T00:00:00+01:00'), source: { format: 'native', document } },
      new Date('2026-03-20T00:00:00Z'),
    );
    expect(added.ok).toBe(true);
    const rerated = await f.post(
      '/v1/rerates',
      { from: '2026-03-01T00:00:00+01:00', to: '2026-04-01T00:00:00+02:00', accountId },
      'admin',
    );
    expect(rerated.json()).toMatchObject({ changed: 1 });
    const body = (await summary('from=2026-03-01&to=2026-03-31')).json();
    // sum-1 costs 0.075 instead of 0.095: a reversal (-1 record, -0.095) and a new charge.
    expect(body.total).toEqual({ records: 8, amount: '0.777' });
    expect(body.days.find((d: { date: string }) => d.date === '2026-03-02')).toMatchObject({
      records: 2,
      amount: '0.115',
      services: [{ service: 'call', unit: 'seconds', quantity: '180' }],
    });
  });
});
