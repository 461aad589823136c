import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatScaled } from '../money/decimal.js';
import { compileTariff } from '../tariff/compile-tariff.js';
import type { CompiledTariff } from '../tariff/compiled-tariff.js';
import type { RateDocument, RatingProfileDocument, TariffDocument } from '../tariff/tariff-schema.js';
import { parseQuantity } from '../units/quantity.js';
import { explainRating } from './explain-rating.js';
import { rateUsage } from './rate-usage.js';
import { spanGroup } from './rating-types.js';

const WEEKDAYS = [1, 2, 3, 4, 5];

function tariff(overrides: Partial<TariffDocument>): CompiledTariff {
  const compiled = compileTariff(document(overrides));
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.error, null, 2));
  return compiled.value;
}

function document(overrides: Partial<TariffDocument>): TariffDocument {
  return {
    format: 'tollgate.tariff/v1',
    id: 'test',
    currency: 'EUR',
    timeZone: 'UTC',
    rounding: { method: 'up', decimals: 4 },
    destinations: [
      { id: 'DE_BERLIN', prefixes: ['+4930'] },
      { id: 'DE', prefixes: ['49'] },
      { id: 'VOICEMAIL', prefixes: ['voicemail'] },
    ],
    rates: [
      rate('RT_20CNT', '0.4', [
        ['0s', '0.2', '60s', '60s'],
        ['60s', '0.1', '60s', '1s'],
      ]),
      rate('RT_PEAK', '0', [['0s', '0.6', '60s', '1s']]),
      rate('RT_OFFPEAK', '0', [['0s', '0.06', '60s', '1s']]),
      rate('RT_FREE', '0', [['0s', '0', '60s', '60s']]),
      rate('RT_DATA', '0', [[0, '0.000001', 1, 1024]]),
    ],
    ratingPlans: [
      {
        id: 'RP_STANDARD',
        bindings: [
          { destination: 'DE', rate: 'RT_20CNT', weight: 10 },
          { destination: 'VOICEMAIL', rate: 'RT_FREE', weight: 10 },
        ],
      },
    ],
    ratingProfiles: [profile('call', '*any', 'RP_STANDARD')],
    ...overrides,
  };
}

function rate(
  id: string,
  connectFee: string,
  groups: [string | number, string, string | number, string | number][],
): RateDocument {
  return {
    id,
    connectFee,
    groups: groups.map(([from, price, per, increment]) => ({ from, price, per, increment })),
  };
}

function profile(
  category: string,
  subject: string,
  ratingPlan: string,
  extra: Partial<RatingProfileDocument> = {},
) {
  return { tenant: 't1', category, subject, activationTime: '2020-01-01T00:00:00Z', ratingPlan, ...extra };
}

function rate1(
  compiled: CompiledTariff,
  destination: string,
  at: string,
  usage: string | number,
  subject = 'alice',
  category = 'call',
) {
  const quantity = parseQuantity(usage);
  if (!quantity.ok) throw new Error(quantity.error.message);
  return rateUsage(compiled, {
    tenant: 't1',
    category,
    subject,
    destination,
    answerTimeMs: Date.parse(at),
    usage: quantity.value,
  });
}

function cost(
  compiled: CompiledTariff,
  destination: string,
  at: string,
  usage: string | number,
  subject = 'alice',
) {
  const result = rate1(compiled, destination, at, usage, subject);
  if (!result.ok) return `error:${result.error.code}`;
  return formatScaled(result.value.cost.amountMicros, 6);
}

const MONDAY_NINE = '2026-03-09T09:00:00Z';

describe('increments and groups', () => {
  const standard = tariff({});
  it.each([
    ['1s', '0.6'],
    ['45s', '0.6'],
    ['60s', '0.6'],
    ['61s', '0.6017'], // 0.6 + 0.1/60 = 0.60166.., rounded up to 4 decimals
    ['2m', '0.7'], // exact: CGRateS's float arithmetic gives 0.7002
    ['2m10s', '0.7167'],
    ['1h', '6.5'],
    ['0s', '0'],
    ['PT90S', '0.65'],
    ['1.5s', '0.6'],
  ])('a %s call costs %s', (usage, expected) => {
    expect(cost(standard, '+4930123456', MONDAY_NINE, usage)).toBe(expected);
  });

  it('bills a started increment in full and explains every span', () => {
    const result = rate1(standard, '+4930123456', MONDAY_NINE, '61.5s');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const explanation = explainRating(result.value);
    expect(explanation.spans).toMatchObject([
      {
        group: 0,
        startOffset: '0',
        used: '60',
        increment: '60',
        increments: 1,
        billed: '60',
        price: '0.2',
        cost: '0.2',
      },
      { group: 1, startOffset: '60', used: '1.5', increment: '1', increments: 2, billed: '2', price: '0.1' },
    ]);
    expect(explanation).toMatchObject({
      ratedSubject: '*any',
      profile: { ratingPlan: 'RP_STANDARD' },
      destination: { matchedPrefix: '49', destinationId: 'DE' },
      connectFee: '0.4',
      rounding: { method: 'up', decimals: 4 },
      cost: '0.6034',
    });
    expect(explanation.exactCost).toBe('181/300');
  });

  it('rates volumes by their own increments', () => {
    const data = tariff({
      ratingPlans: [{ id: 'RP_DATA', bindings: [{ destination: '*any', rate: 'RT_DATA' }] }],
      ratingProfiles: [profile('data', '*any', 'RP_DATA')],
    });
    const result = rateUsage(data, {
      tenant: 't1',
      category: 'data',
      subject: 'x',
      destination: '',
      answerTimeMs: Date.parse(MONDAY_NINE),
      usage: { kind: 'volume', volumeBytes: 1500 },
    });
    expect(result.ok && formatScaled(result.value.cost.amountMicros, 6)).toBe('0.0021'); // 2048 B × 0.000001, up to 4 dp
  });
});

describe('destinations', () => {
  const standard = tariff({});
  it.each([
    ['+4930123', '0.6'],
    ['4930123', '0.6'],
    ['+491701234', '0.6'],
    ['voicemail', '0'],
    ['voicemail-box-7', '0'],
    ['+331234', 'error:no_rate_for_destination'],
    ['', 'error:no_rate_for_destination'],
  ])('%s costs %s for 30s', (destination, expected) => {
    expect(cost(standard, destination, MONDAY_NINE, '30s')).toBe(expected);
  });

  it('prefers the longest prefix with a binding', () => {
    const compiled = tariff({
      ratingPlans: [
        {
          id: 'RP_STANDARD',
          bindings: [
            { destination: 'DE', rate: 'RT_OFFPEAK' },
            { destination: 'DE_BERLIN', rate: 'RT_PEAK' },
          ],
        },
      ],
    });
    expect(cost(compiled, '+4930123', MONDAY_NINE, '60s')).toBe('0.6');
    expect(cost(compiled, '+4940123', MONDAY_NINE, '60s')).toBe('0.06');
  });
});

describe('time bands', () => {
  const banded = (timeZone = 'UTC', holidays = false) =>
    tariff({
      timeZone,
      timeBands: [
        { id: 'PEAK', weekDays: WEEKDAYS, startTime: '08:00:00' },
        { id: 'OFFPEAK_MORNING', weekDays: WEEKDAYS, startTime: '00:00:00' },
        { id: 'OFFPEAK_EVENING', weekDays: WEEKDAYS, startTime: '19:00:00' },
        { id: 'WEEKEND', weekDays: [6, 0] },
        ...(holidays ? [{ id: 'HOLIDAY', holidays: ['DE'] }] : []),
      ],
      holidays: [{ id: 'DE', dates: ['2026-12-25'] }],
      ratingPlans: [
        {
          id: 'RP_STANDARD',
          bindings: [
            { destination: 'DE', rate: 'RT_PEAK', timeBand: 'PEAK', weight: 10 },
            { destination: 'DE', rate: 'RT_OFFPEAK', timeBand: 'OFFPEAK_MORNING', weight: 10 },
            { destination: 'DE', rate: 'RT_OFFPEAK', timeBand: 'OFFPEAK_EVENING', weight: 10 },
            { destination: 'DE', rate: 'RT_OFFPEAK', timeBand: 'WEEKEND', weight: 10 },
            ...(holidays ? [{ destination: 'DE', rate: 'RT_FREE', timeBand: 'HOLIDAY', weight: 20 }] : []),
          ],
        },
      ],
    });

  it.each([
    ['2026-03-09T09:00:00Z', '0.6', 'later start wins at equal weight: PEAK over OFFPEAK_MORNING'],
    ['2026-03-09T07:59:00Z', '0.06', 'before peak'],
    ['2026-03-09T20:00:00Z', '0.06', 'OFFPEAK_EVENING over PEAK'],
    ['2026-03-14T12:00:00Z', '0.06', 'Saturday'],
    ['2026-03-15T12:00:00Z', '0.06', 'Sunday as weekday 0'],
  ])('at %s a minute costs %s (%s)', (at, expected) => {
    expect(cost(banded(), '+4930123', at, '60s')).toBe(expected);
  });

  it('splits a call at a band boundary and prices each part by its band', () => {
    const result = rate1(banded(), '+4930123', '2026-03-09T18:59:30Z', '2m');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const explanation = explainRating(result.value);
    expect(explanation.spans.map((s) => [s.timeBand, s.used, s.cost])).toEqual([
      ['PEAK', '30', '0.3'],
      ['OFFPEAK_EVENING', '90', '0.09'],
    ]);
    expect(explanation.cost).toBe('0.39');
  });

  it('splits a call across midnight into the weekend', () => {
    const result = rate1(banded(), '+4930123', '2026-03-13T23:59:00Z', '2m'); // Friday night
    expect(result.ok && explainRating(result.value).spans.map((s) => [s.timeBand, s.used])).toEqual([
      ['OFFPEAK_EVENING', '60'],
      ['WEEKEND', '60'],
    ]);
  });

  it('evaluates bands in the tariff time zone, across a daylight-saving change', () => {
    const berlin = banded('Europe/Berlin');
    // 07:30 UTC is 08:30 in Berlin in winter (peak) ...
    expect(cost(berlin, '+4930123', '2026-03-09T07:30:00Z', '60s')).toBe('0.6');
    // ... and 09:30 in summer; 06:30 UTC is 08:30 in summer.
    expect(cost(berlin, '+4930123', '2026-07-06T06:30:00Z', '60s')).toBe('0.6');
    expect(cost(berlin, '+4930123', '2026-07-06T05:30:00Z', '60s')).toBe('0.06');
    // Night of 2026-03-29 (Sunday): clocks jump 02:00 -> 03:00; Sunday stays WEEKEND all along.
    const result = rate1(berlin, '+4930123', '2026-03-29T00:30:00Z', '1h');
    expect(result.ok && explainRating(result.value).cost).toBe('3.6');
    // Monday 2026-03-30 07:59:30 local = 05:59:30 UTC: 30 s off-peak then 30 s peak.
    const monday = rate1(berlin, '+4930123', '2026-03-30T05:59:30Z', '60s');
    expect(monday.ok && explainRating(monday.value).spans.map((s) => [s.timeBand, s.used])).toEqual([
      ['OFFPEAK_MORNING', '30'],
      ['PEAK', '30'],
    ]);
  });

  it('lets a holiday band of higher weight override the weekday bands', () => {
    const compiled = banded('UTC', true);
    expect(cost(compiled, '+4930123', '2026-12-25T10:00:00Z', '5m')).toBe('0');
    expect(cost(compiled, '+4930123', '2026-12-24T10:00:00Z', '5m')).toBe('3');
  });
});

describe('rating profiles', () => {
  const plans = [
    { id: 'RP_CHEAP', bindings: [{ destination: 'DE', rate: 'RT_OFFPEAK' }] },
    { id: 'RP_DEAR', bindings: [{ destination: 'DE', rate: 'RT_PEAK' }] },
    { id: 'RP_BERLIN_ONLY', bindings: [{ destination: 'DE_BERLIN', rate: 'RT_FREE' }] },
  ];

  it('uses the newest activation not after the usage start', () => {
    const compiled = tariff({
      ratingPlans: plans,
      ratingProfiles: [
        profile('call', 'alice', 'RP_DEAR', { activationTime: '2026-01-01T00:00:00Z' }),
        profile('call', 'alice', 'RP_CHEAP', { activationTime: '2026-06-01T00:00:00+02:00' }),
      ],
    });
    expect(cost(compiled, '+4930123', '2025-12-31T23:59:59Z', '60s')).toBe('error:no_rating_profile');
    expect(cost(compiled, '+4930123', '2026-05-31T21:59:59Z', '60s')).toBe('0.6');
    expect(cost(compiled, '+4930123', '2026-05-31T22:00:00Z', '60s')).toBe('0.06');
  });

  it('falls back to *any when the subject has no profile, and to fallback subjects when its plan has no rate', () => {
    const compiled = tariff({
      ratingPlans: plans,
      ratingProfiles: [
        profile('call', '*any', 'RP_DEAR'),
        profile('call', 'bob', 'RP_BERLIN_ONLY', { fallbackSubjects: ['cheap'] }),
        profile('call', 'cheap', 'RP_CHEAP'),
        profile('call', 'loop', 'RP_BERLIN_ONLY', { fallbackSubjects: ['loop'] }),
      ],
    });
    expect(cost(compiled, '+4940123', MONDAY_NINE, '60s', 'carol')).toBe('0.6');
    expect(cost(compiled, '+4930123', MONDAY_NINE, '60s', 'bob')).toBe('0');
    const fallback = rate1(compiled, '+4940123', MONDAY_NINE, '60s', 'bob');
    expect(fallback.ok && [fallback.value.ratedSubject, fallback.value.fallbackPath]).toEqual([
      'cheap',
      ['bob'],
    ]);
    expect(cost(compiled, '+4940123', MONDAY_NINE, '60s', 'loop')).toBe('error:no_rate_for_destination');
  });

  it('names what it could not find', () => {
    const result = rate1(tariff({}), '+4930123', MONDAY_NINE, '60s', 'alice', 'sms');
    expect(result.ok ? null : result.error).toMatchObject({
      code: 'no_rating_profile',
      message: expect.stringContaining('"sms"'),
    });
  });
});

describe('minimum and maximum cost, rounding', () => {
  const capped = (strategy: 'free' | 'disconnect', minimumCharge?: string) =>
    tariff({
      rates: [
        {
          id: 'RT_SEC',
          ...(minimumCharge ? { minimumCharge } : {}),
          groups: [{ price: '0.01', per: '1s', increment: '1s' }],
        },
      ],
      ratingPlans: [
        {
          id: 'RP',
          bindings: [{ destination: '*any', rate: 'RT_SEC', maxCost: { amount: '0.12', strategy } }],
        },
      ],
      ratingProfiles: [profile('call', '*any', 'RP')],
    });

  it.each([
    ['free', '10s', '0.1', false],
    ['free', '20s', '0.12', true],
    ['disconnect', '20s', '0.2', true],
  ] as const)('max cost %s: %s costs %s', (strategy, usage, expected, reached) => {
    const result = rate1(capped(strategy), '1003', MONDAY_NINE, usage);
    expect(result.ok && [explainRating(result.value).cost, result.value.maxCost?.reached]).toEqual([
      expected,
      reached,
    ]);
  });

  it('applies a minimum charge to answered usage only', () => {
    expect(cost(capped('disconnect', '0.05'), '1003', MONDAY_NINE, '2s')).toBe('0.05');
    expect(cost(capped('disconnect', '0.05'), '1003', MONDAY_NINE, '9s')).toBe('0.09');
    expect(cost(capped('disconnect', '0.05'), '1003', MONDAY_NINE, '0s')).toBe('0');
  });

  it.each([
    ['up', 2, '0.02'],
    ['down', 2, '0.01'],
    ['half-up', 2, '0.02'],
    ['half-even', 2, '0.02'],
    ['half-even', 3, '0.015'],
    ['half-up', 1, '0'],
  ] as const)('rounds 0.015 %s to %s decimals as %s', (method, decimals, expected) => {
    const compiled = tariff({
      rates: [rate('RT', '0', [['0s', '0.0005', '1s', '1s']])],
      ratingPlans: [
        { id: 'RP', bindings: [{ destination: '*any', rate: 'RT', rounding: { method, decimals } }] },
      ],
      ratingProfiles: [profile('call', '*any', 'RP')],
    });
    expect(cost(compiled, '1', MONDAY_NINE, '30s')).toBe(expected);
  });

  it('rounds half-even to the even neighbour', () => {
    const compiled = tariff({
      rates: [rate('RT', '0', [['0s', '0.0005', '1s', '1s']])],
      ratingPlans: [
        {
          id: 'RP',
          bindings: [{ destination: '*any', rate: 'RT', rounding: { method: 'half-even', decimals: 2 } }],
        },
      ],
      ratingProfiles: [profile('call', '*any', 'RP')],
    });
    expect(cost(compiled, '1', MONDAY_NINE, '50s')).toBe('0.02'); // 0.025 -> 0.02
    expect(cost(compiled, '1', MONDAY_NINE, '70s')).toBe('0.04'); // 0.035 -> 0.04
  });
});

describe('bad usage', () => {
  it('refuses a count where the rate prices time', () => {
    expect(cost(tariff({}), '+4930', MONDAY_NINE, 5)).toBe('error:usage_unit_mismatch');
  });
  it('refuses a negative or fractional usage', () => {
    const compiled = tariff({});
    const base = { tenant: 't1', category: 'call', subject: 'a', destination: '49', answerTimeMs: 0 };
    expect(rateUsage(compiled, { ...base, usage: { kind: 'duration', durationMs: -1 } }).ok).toBe(false);
    expect(rateUsage(compiled, { ...base, usage: { kind: 'count', count: 0.5 } }).ok).toBe(false);
  });
});

describe('properties', () => {
  const groupArb = fc.record({
    price: fc.integer({ min: 0, max: 100_000 }).map((n) => formatScaled(BigInt(n), 4)),
    per: fc.constantFrom('1s', '60s', '30s'),
    increment: fc.constantFrom('1s', '6s', '30s', '60s'),
  });
  const rateArb = fc.record({
    connectFee: fc.integer({ min: 0, max: 1000 }).map((n) => formatScaled(BigInt(n), 3)),
    groups: fc.array(groupArb, { minLength: 1, maxLength: 3 }),
    minimumCharge: fc.option(
      fc.integer({ min: 0, max: 5000 }).map((n) => formatScaled(BigInt(n), 3)),
      { nil: undefined },
    ),
  });
  const randomDocument = (
    r: {
      connectFee: string;
      minimumCharge?: string | undefined;
      groups: { price: string; per: string; increment: string }[];
    },
    bands: boolean,
  ) =>
    document({
      rates: [
        {
          id: 'R',
          connectFee: r.connectFee,
          ...(r.minimumCharge === undefined ? {} : { minimumCharge: r.minimumCharge }),
          groups: r.groups.map((g, i) => ({ ...g, from: `${i * 60}s` })),
        },
        { id: 'R2', groups: [{ price: '0.3', per: '60s', increment: '1s' }] },
      ],
      timeBands: [{ id: 'DAY', startTime: '08:00' }, { id: 'NIGHT', startTime: '20:00' }, { id: 'ALL' }],
      ratingPlans: [
        {
          id: 'RP',
          bindings: bands
            ? [
                { destination: '*any', rate: 'R', timeBand: 'DAY' },
                { destination: '*any', rate: 'R2', timeBand: 'NIGHT' },
                { destination: '*any', rate: 'R', timeBand: 'ALL' },
              ]
            : [{ destination: '*any', rate: 'R' }],
        },
      ],
      ratingProfiles: [profile('call', '*any', 'RP')],
    });
  const compileRandom = (r: Parameters<typeof randomDocument>[0], bands: boolean) => {
    const compiled = compileTariff(randomDocument(r, bands));
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.error));
    return compiled.value;
  };
  const microsOf = (compiled: CompiledTariff, at: number, ms: number) => {
    const result = rateUsage(compiled, {
      tenant: 't1',
      category: 'call',
      subject: 'a',
      destination: '1',
      answerTimeMs: at,
      usage: { kind: 'duration', durationMs: ms },
    });
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  };
  const instant = fc.integer({
    min: Date.parse('2026-01-01T00:00:00Z'),
    max: Date.parse('2027-01-01T00:00:00Z'),
  });

  it('a longer usage never costs less', () => {
    fc.assert(
      fc.property(
        rateArb,
        fc.boolean(),
        instant,
        fc.integer({ min: 0, max: 7_200_000 }),
        fc.integer({ min: 0, max: 600_000 }),
        (r, bands, at, ms, extra) => {
          const compiled = compileRandom(r, bands);
          expect(microsOf(compiled, at, ms + extra).cost.amountMicros).toBeGreaterThanOrEqual(
            microsOf(compiled, at, ms).cost.amountMicros,
          );
        },
      ),
    );
  });

  it('increments never under-bill', () => {
    fc.assert(
      fc.property(
        rateArb,
        fc.boolean(),
        instant,
        fc.integer({ min: 1, max: 7_200_000 }),
        (r, bands, at, ms) => {
          const charge = microsOf(compileRandom(r, bands), at, ms);
          const billed = charge.spans.reduce((sum, s) => sum + s.billedUnits, 0);
          expect(billed).toBeGreaterThanOrEqual(ms);
          expect(charge.spans.reduce((sum, s) => sum + s.usedUnits, 0)).toBe(ms);
          for (const span of charge.spans) {
            expect(span.billedUnits).toBeGreaterThanOrEqual(span.usedUnits);
            expect(span.billedUnits - span.usedUnits).toBeLessThan(spanGroup(span).incrementUnits);
          }
          // Each span costs at least its usage priced without increments.
          for (const span of charge.spans) {
            expect(span.costNumerator).toBeGreaterThanOrEqual(
              BigInt(span.usedUnits) * spanGroup(span).multiplier,
            );
          }
        },
      ),
    );
  });

  it('the packed fast path and the bigint path agree on every charge', () => {
    fc.assert(
      fc.property(
        rateArb,
        fc.boolean(),
        instant,
        fc.integer({ min: 0, max: 7_200_000 }),
        (r, bands, at, ms) => {
          const document = randomDocument(r, bands);
          const fast = compileTariff(document);
          const general = compileTariff(document, { fastPricing: false });
          if (!fast.ok || !general.ok) throw new Error('tariff does not compile');
          const request = {
            tenant: 't1',
            category: 'call',
            subject: 'a',
            destination: '1',
            answerTimeMs: at,
            usage: { kind: 'duration', durationMs: ms },
          } as const;
          const a = rateUsage(fast.value, request);
          const b = rateUsage(general.value, request);
          expect(a.ok && explainRating(a.value)).toEqual(b.ok && explainRating(b.value));
        },
      ),
    );
  });

  it('splitting a usage at a band boundary prices each part by its band', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3600 }),
        fc.integer({ min: 1, max: 3600 }),
        fc.integer({ min: 0, max: 364 }),
        (before, after, day) => {
          const compiled = compileRandom(
            { connectFee: '0', groups: [{ price: '0.6', per: '60s', increment: '1s' }] },
            true,
          );
          const boundary = Date.parse('2026-01-01T20:00:00Z') + day * 86_400_000;
          const whole = microsOf(compiled, boundary - before * 1000, (before + after) * 1000);
          // 0.6/min before 20:00 (DAY), 0.3/min after (NIGHT): exactly 0.01 and 0.005 per second.
          expect((whole.exactNumerator * 1_000_000n) / whole.exactDenominator).toBe(
            BigInt(before) * 10_000n + BigInt(after) * 5_000n,
          );
        },
      ),
    );
  });
});
