import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rateUsage } from '../rating/rate-usage.js';
import { compileTariff } from './compile-tariff.js';
import type { TariffDocument } from './tariff-schema.js';

const VALID: TariffDocument = {
  format: 'tollgate.tariff/v1',
  id: 't',
  currency: 'EUR',
  timeZone: 'Europe/Berlin',
  rounding: { method: 'up', decimals: 4 },
  destinations: [{ id: 'DE', prefixes: ['+49'] }],
  rates: [{ id: 'R', connectFee: '0.1', groups: [{ price: '0.2', per: '60s', increment: '60s' }] }],
  timeBands: [
    { id: 'PEAK', weekDays: [1, 2, 3, 4, 5], startTime: '08:00', endTime: '19:00', holidays: ['H'] },
  ],
  holidays: [{ id: 'H', dates: ['2026-12-25'] }],
  ratingPlans: [{ id: 'P', bindings: [{ destination: 'DE', rate: 'R', timeBand: 'PEAK' }] }],
  ratingProfiles: [
    {
      tenant: 'x',
      category: 'call',
      subject: '*any',
      activationTime: '2026-01-01T00:00:00Z',
      ratingPlan: 'P',
    },
  ],
};

function issuesOf(patch: (doc: TariffDocument) => unknown): string[] {
  const draft = structuredClone(VALID);
  const document = patch(draft) ?? draft;
  const result = compileTariff(document);
  return result.ok ? [] : result.error.map((issue) => `${issue.path}: ${issue.code}`);
}

describe('compileTariff', () => {
  it('compiles a valid tariff', () => {
    expect(issuesOf((d) => d)).toEqual([]);
  });

  it.each<[string, (d: TariffDocument) => unknown, string]>([
    ['unknown currency', (d) => ({ ...d, currency: 'XYZ' }), 'currency: unknown_currency'],
    ['unknown zone', (d) => ({ ...d, timeZone: 'Europe/Atlantis' }), 'timeZone: unknown_time_zone'],
    [
      'duplicate destination',
      (d) => ({ ...d, destinations: [...d.destinations, ...d.destinations] }),
      'destinations[1].id: duplicate_id',
    ],
    [
      'bare plus prefix',
      (d) => ({ ...d, destinations: [{ id: 'DE', prefixes: ['+'] }] }),
      'destinations[0].prefixes[0]: invalid_prefix',
    ],
    [
      'negative price',
      (d) => {
        d.rates[0]!.groups[0]!.price = '-1';
      },
      'rates[0].groups[0].price: negative_amount',
    ],
    [
      'bad duration',
      (d) => {
        d.rates[0]!.groups[0]!.increment = '60x';
      },
      'rates[0].groups[0].increment: invalid_quantity',
    ],
    [
      'zero increment',
      (d) => {
        d.rates[0]!.groups[0]!.increment = '0s';
      },
      'rates[0].groups[0].increment: invalid_increment',
    ],
    [
      'zero rate unit',
      (d) => {
        d.rates[0]!.groups[0]!.per = 0;
      },
      'rates[0].groups[0].per: invalid_rate_unit',
    ],
    [
      'mixed dimensions',
      (d) => {
        d.rates[0]!.groups[0]!.per = 1024;
      },
      'rates[0].groups: mixed_dimensions',
    ],
    [
      'groups out of order',
      (d) => {
        d.rates[0]!.groups = [
          { price: '1', per: '1s', increment: '1s' },
          { from: '0s', price: '1', per: '1s', increment: '1s' },
        ];
      },
      'rates[0].groups[1].from: invalid_group_start',
    ],
    [
      'first group not at 0',
      (d) => {
        d.rates[0]!.groups[0]!.from = '10s';
      },
      'rates[0].groups[0].from: invalid_group_start',
    ],
    [
      'band ends before it starts',
      (d) => {
        d.timeBands![0]!.endTime = '07:00';
      },
      'timeBands[0].endTime: invalid_time_band',
    ],
    [
      'unknown holiday list',
      (d) => {
        d.timeBands![0]!.holidays = ['NOPE'];
      },
      'timeBands[0].holidays[0]: unknown_reference',
    ],
    [
      'impossible holiday',
      (d) => {
        d.holidays![0]!.dates = ['2026-02-30'];
      },
      'holidays[0].dates[0]: invalid_date',
    ],
    [
      'unknown destination',
      (d) => {
        d.ratingPlans[0]!.bindings[0]!.destination = 'FR';
      },
      'ratingPlans[0].bindings[0].destination: unknown_reference',
    ],
    [
      'unknown rate',
      (d) => {
        d.ratingPlans[0]!.bindings[0]!.rate = 'Q';
      },
      'ratingPlans[0].bindings[0].rate: unknown_reference',
    ],
    [
      'unknown band',
      (d) => {
        d.ratingPlans[0]!.bindings[0]!.timeBand = 'NIGHT';
      },
      'ratingPlans[0].bindings[0].timeBand: unknown_reference',
    ],
    [
      'unknown plan',
      (d) => {
        d.ratingProfiles[0]!.ratingPlan = 'Q';
      },
      'ratingProfiles[0].ratingPlan: unknown_reference',
    ],
    [
      'activation without zone',
      (d) => {
        d.ratingProfiles[0]!.activationTime = '2026-01-01T00:00:00';
      },
      'ratingProfiles[0].activationTime: invalid_structure',
    ],
    [
      'duplicate profile',
      (d) => ({ ...d, ratingProfiles: [...d.ratingProfiles, ...d.ratingProfiles] }),
      'ratingProfiles[1]: duplicate_profile',
    ],
    [
      'price as a float',
      (d) => {
        (d.rates[0]!.groups[0] as { price: unknown }).price = 0.2;
      },
      'rates[0].groups[0].price: invalid_structure',
    ],
    ['unknown field', (d) => ({ ...d, colour: 'red' }), 'colour: invalid_structure'],
  ])('reports %s', (_name, patch, expected) => {
    expect(issuesOf(patch)).toContain(expected);
  });

  it('reports every problem at once', () => {
    const issues = issuesOf((d) => {
      d.currency = 'XYZ';
      d.ratingPlans[0]!.bindings[0]!.rate = 'Q';
      d.ratingProfiles[0]!.ratingPlan = 'Q';
      return d;
    });
    expect(issues).toHaveLength(3);
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(compileTariff(value).ok).toBe(false);
      }),
    );
  });

  it('never throws on a valid tariff with any one field replaced by anything', () => {
    const paths: (string | number)[][] = [];
    const walk = (value: unknown, path: (string | number)[]) => {
      if (value !== null && typeof value === 'object') {
        for (const [key, child] of Object.entries(value))
          walk(child, [...path, Array.isArray(value) ? Number(key) : key]);
      }
      paths.push(path);
    };
    walk(VALID, []);
    fc.assert(
      fc.property(
        fc.constantFrom(...paths.filter((p) => p.length > 0)),
        fc.anything(),
        (path, replacement) => {
          const document = structuredClone(VALID) as unknown as Record<string | number, unknown>;
          let parent = document;
          for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
          parent[path[path.length - 1]!] = replacement;
          const result = compileTariff(document);
          if (result.ok) {
            const rated = rateUsage(result.value, {
              tenant: 'x',
              category: 'call',
              subject: 's',
              destination: '+4930',
              answerTimeMs: Date.parse('2026-03-09T10:00:00Z'),
              usage: { kind: 'duration', durationMs: 61_000 },
            });
            expect(typeof rated.ok).toBe('boolean');
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
