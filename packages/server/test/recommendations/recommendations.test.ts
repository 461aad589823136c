import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InsightsFixture, openInsightsFixture } from '../insights/insights-fixture.js';
import { SWITCH_HEADER } from '../mediation/mediation-fixture.js';

/**
 * Two customers on the demo operator (demo tariff: data 0.000000012 EUR per byte by 1 kB
 * increments, rounded up to 4 decimals per record; a peak call to Berlin fixed 0.02 connect +
 * 0.05 per started minute), VAT 19 % on every category, rounded per line. Plans of the tenant:
 *
 *   code         fee     allowances
 *   residential  9.99    300 min voice, 100 SMS, 5 GB      (demo seed)
 *   business     29.00   1000 min voice                    (demo seed)
 *   voice-1000   10.00   1000 min voice
 *   data-10gb    20.00   10 GB data
 *   unlimited    50.00   10000 min voice, 100 GB, 1000 SMS
 *   light        5.00    none
 *
 * Each month of January to March 2026: the heavy data user (on voice-1000) uses 8 192 000 000
 * bytes in one session; the light user (on unlimited) makes two 60 s peak calls to Berlin.
 */
const JAN_1 = '2026-01-01T00:00:00+01:00';
const MONTHS = [
  { name: 'jan', day: '2026-01-13', billAt: '2026-02-01T00:00:00+01:00' },
  { name: 'feb', day: '2026-02-10', billAt: '2026-03-01T00:00:00+01:00' },
  { name: 'mar', day: '2026-03-10', billAt: '2026-04-01T00:00:00+02:00' },
];
const DATA_BYTES = 8_192_000_000;

describe('plan recommendations', () => {
  let f: InsightsFixture;
  let heavy: { account: string; line: string };
  let light: { account: string; line: string };
  let plans: Record<string, string>;

  beforeAll(async () => {
    f = await openInsightsFixture();
    const b = f.billing;
    await b.taxRule('DE', '*', [{ code: 'DE-VAT', name: 'USt', ratePercent: '19' }]);
    plans = {
      'voice-1000': await b.plan('voice-1000', {
        recurringFee: '10.00',
        allowances: [{ service: 'voice', amount: '1000m' }],
      }),
      'data-10gb': await b.plan('data-10gb', {
        recurringFee: '20.00',
        allowances: [{ service: 'data', amount: '10GB' }],
      }),
      unlimited: await b.plan('unlimited', {
        recurringFee: '50.00',
        allowances: [
          { service: 'voice', amount: '10000m' },
          { service: 'data', amount: '100GB' },
          { service: 'sms', amount: '1000' },
        ],
      }),
      light: await b.plan('light', { recurringFee: '5.00' }),
    };
    const heavyAccount = await b.account();
    heavy = {
      account: heavyAccount,
      line: await b.line(heavyAccount, '+4915200000101', plans['voice-1000']!, JAN_1),
    };
    const lightAccount = await b.account();
    light = {
      account: lightAccount,
      line: await b.line(lightAccount, '+4915200000102', plans.unlimited!, JAN_1),
    };
    await b.renew('2026-01-01T12:00:00+01:00');
    for (const month of MONTHS) {
      const data = [
        SWITCH_HEADER,
        `${month.name}-data,+4915200000101,,data,${month.day}T10:00:00+01:00,${DATA_BYTES},`,
      ];
      const loaded = await b.ingest(await b.file(`${month.name}-data.csv`, `${data.join('\n')}\n`));
      if (!loaded.ok || Number(loaded.run.counts.loaded) !== 1)
        throw new Error(`data ${month.name} not loaded`);
      await b.calls(`${month.name}-calls`, [
        ['+4915200000102', '+4930555123', `${month.day}T10:00:00+01:00`, 60],
        ['+4915200000102', '+4930555124', `${month.day}T10:30:00+01:00`, 60],
      ]);
      await b.billRun(month.billAt);
    }
    b.clock.now = new Date('2026-04-10T10:00:00+02:00');
  }, 120_000);

  afterAll(async () => {
    await f.close();
  });

  it('ranks a data plan first for a heavy data user on a voice plan, with the exact saving per cycle', async () => {
    const response = await f.get(`/v1/subscriptions/${heavy.line}/plan-recommendations?cycles=3`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.cycles).toEqual([
      { from: '2026-01-01', to: '2026-01-31' },
      { from: '2026-02-01', to: '2026-02-28' },
      { from: '2026-03-01', to: '2026-03-31' },
    ]);
    expect(body.current.code).toBe('voice-1000');
    // Per cycle (8 192 000 000 B = 8 192 000 kB; x 1000 x 0.000000012 = 98.304 -> 98.30 on the bill):
    //   data-10gb   20.00 fee + 0 usage        net 20.00, VAT 3.80                      = 23.80
    //   residential 9.99 + (8.192-5 GB) 38.304 -> 38.30: net 48.29, VAT 1.90 + 7.28     = 57.47
    //   unlimited   50.00                      net 50.00, VAT 9.50                      = 59.50
    //   light       5.00 + 98.30               net 103.30, VAT 0.95 + 18.68             = 122.93
    //   voice-1000  10.00 + 98.30              net 108.30, VAT 1.90 + 18.68             = 128.88
    //   business    29.00 + 98.30              net 127.30, VAT 5.51 + 18.68             = 151.49
    const ranked = body.options.map((o: { code: string; averagePerCycle: string }) => [
      o.code,
      o.averagePerCycle,
    ]);
    expect(ranked).toEqual([
      ['data-10gb', '23.80'],
      ['residential', '57.47'],
      ['unlimited', '59.50'],
      ['light', '122.93'],
      ['voice-1000', '128.88'],
      ['business', '151.49'],
    ]);
    const best = body.options[0];
    expect(best.rank).toBe(1);
    expect(best.total).toBe('71.40');
    // 128.88 - 23.80
    expect(best.savingPerCycle).toBe('105.08');
    expect(best.cycles[0]).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
      recurringFee: '20.00',
      usage: '0.00',
      tax: '3.80',
      total: '23.80',
      allowances: [{ service: 'data', unit: 'bytes', included: '10000000000', used: String(DATA_BYTES) }],
    });
    const current = body.options.find((o: { current: boolean }) => o.current);
    expect(current.savingPerCycle).toBe('0.00');
    expect(current.cycles[2]).toMatchObject({
      recurringFee: '10.00',
      usage: '98.30',
      tax: '20.58',
      total: '128.88',
    });
  });

  it('ranks a cheap plan first for a light user on an unlimited plan, with exact figures', async () => {
    const response = await f.get(`/v1/subscriptions/${light.line}/plan-recommendations`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    // Per cycle, two peak calls to Berlin of 60 s: 2 x (0.02 + 0.05) = 0.14 unless minutes are included:
    //   light       5.00 + 0.14: net 5.14, VAT 0.95 + 0.03 (0.0266)   = 6.12
    //   residential 9.99:        VAT 1.90 (1.8981)                    = 11.89
    //   voice-1000  10.00:       VAT 1.90                             = 11.90
    //   data-10gb   20.00 + 0.14: VAT 3.80 + 0.03                     = 23.97
    //   business    29.00:       VAT 5.51                             = 34.51
    //   unlimited   50.00:       VAT 9.50                             = 59.50
    const ranked = body.options.map((o: { code: string; averagePerCycle: string }) => [
      o.code,
      o.averagePerCycle,
    ]);
    expect(ranked).toEqual([
      ['light', '6.12'],
      ['residential', '11.89'],
      ['voice-1000', '11.90'],
      ['data-10gb', '23.97'],
      ['business', '34.51'],
      ['unlimited', '59.50'],
    ]);
    // 59.50 - 6.12
    expect(body.options[0].savingPerCycle).toBe('53.38');
    expect(body.options[0].cycles[1]).toMatchObject({
      recurringFee: '5.00',
      usage: '0.14',
      tax: '0.98',
      total: '6.12',
    });
    const unlimited = body.options.find((o: { code: string }) => o.code === 'unlimited');
    expect(unlimited.cycles[0].allowances).toEqual([
      { service: 'voice', unit: 'seconds', included: '600000', used: '120' },
      { service: 'data', unit: 'bytes', included: '100000000000', used: '0' },
      { service: 'sms', unit: 'messages', included: '1000', used: '0' },
    ]);
  });

  it("re-prices the line's own plan to exactly what billing invoiced for the same cycles", async () => {
    for (const { line, account } of [heavy, light]) {
      const body = (await f.get(`/v1/subscriptions/${line}/plan-recommendations?cycles=3`)).json();
      const current = body.options.find((o: { current: boolean }) => o.current);
      expect(current.cycles).toHaveLength(3);
      // What the invoices charged for each cycle: its usage (billed on the bill closing it) and its
      // recurring fee (billed in advance, by fee window), each with its VAT.
      const { rows } = await sql<{ from_day: number; total: string }>`
        select w.from_day, sum(l.amount_micros + l.tax_micros)::text as total
        from invoice_lines l
        join invoices i on i.id = l.invoice_id and i.status <> 'void'
        cross join lateral (
          select case when l.kind in ('recurring', 'recurring_credit') then l.window_from_day else i.period_from_day end as from_day
        ) w
        where l.account_id = ${account} and l.kind in ('recurring', 'recurring_credit', 'usage')
        group by w.from_day order by w.from_day`.execute(f.billing.database.db);
      const invoiced = new Map(rows.map((r) => [r.from_day, BigInt(r.total)]));
      for (const cycle of current.cycles) {
        const fromDay = Math.round(Date.parse(`${cycle.from}T00:00:00Z`) / 86_400_000);
        const micros = invoiced.get(fromDay);
        expect(micros, `cycle ${cycle.from} was invoiced`).toBeDefined();
        expect(cycle.total).toBe(formatEur(micros!));
      }
    }
  });

  it('lists lines that would save on another plan, and lines that keep exceeding their allowance', async () => {
    const saving = (await f.get('/v1/plan-opportunities?kind=saving&cycles=3')).json();
    const bySubscription = new Map(
      saving.items.map((i: { subscriptionId: string }) => [i.subscriptionId, i]),
    );
    expect(bySubscription.get(heavy.line)).toMatchObject({
      suggestedPlan: { code: 'data-10gb' },
      currentAveragePerCycle: '128.88',
      suggestedAveragePerCycle: '23.80',
      savingPerCycle: '105.08',
      cyclesCompared: 3,
    });
    expect(saving.items[0].subscriptionId).toBe(heavy.line);
    expect(bySubscription.get(light.line)).toMatchObject({
      suggestedPlan: { code: 'light' },
      savingPerCycle: '53.38',
    });
    const upsell = (await f.get('/v1/plan-opportunities?kind=upsell')).json();
    const heavyUpsell = upsell.items.find((i: { subscriptionId: string }) => i.subscriptionId === heavy.line);
    // The voice plan has no data allowance, so the data was not "over" an allowance: not an upsell.
    expect(heavyUpsell).toBeUndefined();
  });

  it('lets a signed-in customer see their own line, and answers 404 for another customer', async () => {
    const cookies = await f.customerSession(heavy.account);
    const own = await f.app.inject({
      method: 'GET',
      url: `/v1/subscriptions/${heavy.line}/plan-recommendations`,
      cookies,
    });
    expect(own.statusCode).toBe(200);
    const other = await f.app.inject({
      method: 'GET',
      url: `/v1/subscriptions/${light.line}/plan-recommendations`,
      cookies,
    });
    expect(other.statusCode).toBe(404);
  });

  it('says clearly when a line has no complete bill cycle yet', async () => {
    const account = await f.billing.account();
    const line = await f.billing.line(account, '+4915200000103', plans.light!, '2026-04-02T00:00:00+02:00');
    const response = await f.get(`/v1/subscriptions/${line}/plan-recommendations`);
    expect(response.statusCode).toBe(409);
    expect(response.json().detail).toMatch(/no complete bill cycle yet/);
  });

  it('prices a draft fee and a draft rate against last month: the revenue change per plan and segment', async () => {
    // March 2026 is the last whole month on 10 April. The draft raises unlimited's fee 50.00 -> 55.00
    // and keeps its allowances: its one line (the light user, whose calls its minutes cover) brings
    // 5.00 more; every other plan is unchanged. Both test customers are in customer group "default".
    const body = {
      plans: [
        {
          planId: plans.unlimited,
          draft: {
            recurringFee: '55.00',
            feePeriod: 'month',
            tariffId: f.billing.tariffId,
            allowances: [
              { service: 'voice', amount: '10000m' },
              { service: 'data', amount: '100GB' },
              { service: 'sms', amount: '1000' },
            ],
          },
        },
      ],
    };
    const response = await f.post('/v1/what-if', body, 'operator');
    expect(response.statusCode).toBe(200);
    const result = response.json();
    expect(result.from).toBe('2026-03-01');
    expect(result.to).toBe('2026-03-31');
    const unlimited = result.byPlan.find((p: { code: string }) => p.code === 'unlimited');
    // 50.00 -> 55.00 for one line; usage 0 both ways: +10.00 %.
    expect(unlimited).toMatchObject({
      subscriptions: 1,
      currentRevenue: '50.00',
      proposedRevenue: '55.00',
      change: '5.00',
      changePercent: '10.00',
    });
    const voice = result.byPlan.find((p: { code: string }) => p.code === 'voice-1000');
    // 10.00 fee + 98.30 data: unchanged.
    expect(voice).toMatchObject({ currentRevenue: '108.30', change: '0.00', changePercent: '0.00' });
    const segment = result.bySegment.find((s: { segment: string }) => s.segment === 'default');
    expect(segment.change).toBe('5.00');
  });

  it('prices a draft tariff with a dearer data rate: the heavy user pays exactly double for data', async () => {
    const document = (
      await f.billing.database.db
        .selectFrom('tariff_versions')
        .select('document')
        .where('tariff_id', '=', f.billing.tariffId)
        .orderBy('version', 'desc')
        .executeTakeFirstOrThrow()
    ).document as { rates: { id: string; groups: { price: string }[] }[] };
    const draft = structuredClone(document);
    const data = draft.rates.find((r) => r.id === 'DATA')!;
    data.groups = data.groups.map((g) => ({ ...g, price: '0.000000024' }));
    const response = await f.post(
      '/v1/what-if',
      { tariffs: [{ tariffId: f.billing.tariffId, document: draft }] },
      'operator',
    );
    expect(response.statusCode).toBe(200);
    const voice = response.json().byPlan.find((p: { code: string }) => p.code === 'voice-1000');
    // March: 10.00 + 98.30 -> 10.00 + 196.61 (8 192 000 kB x 1000 x 0.000000024 = 196.608 -> 196.61): +98.31.
    expect(voice).toMatchObject({ currentRevenue: '108.30', proposedRevenue: '206.61', change: '98.31' });
    const invalid = await f.post(
      '/v1/what-if',
      { tariffs: [{ tariffId: f.billing.tariffId, document: { ...draft, rates: [] } }] },
      'operator',
    );
    expect(invalid.statusCode).toBe(422);
  });
});

function formatEur(micros: bigint): string {
  const cents = micros / 10_000n;
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}
