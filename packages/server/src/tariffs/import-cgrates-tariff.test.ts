import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTariff, type TariffDocument } from '@tollgate/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CgratesImportOptions,
  type CgratesImportResult,
  type ImportIssue,
  importCgratesTariff,
  readCgratesTariffDir,
} from './import-cgrates-tariff.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const conformanceDir = path.resolve(repoRoot, '../shared/conformance/cgrates');
const hasConformance = existsSync(conformanceDir);
const skipReason = `(skipped: ${conformanceDir} is absent; the conformance data lives beside the repository, not in it)`;
if (!hasConformance) console.warn(`CGRateS tutorial import tests ${skipReason}`);

const OPTIONS: CgratesImportOptions = { tariffId: 'imported', currency: 'EUR', timeZone: 'UTC' };

/** A small hand-written tariff plan that imports cleanly; the cases below break one line of it. */
const BASE: Readonly<Record<string, string>> = {
  'Destinations.csv': ['#Id,Prefix', 'DST_DE,49', 'DST_DE,+49', 'DST_VM,voicemail'].join('\n'),
  'Rates.csv': [
    '#Id,ConnectFee,Rate,RateUnit,RateIncrement,GroupIntervalStart',
    'RT_VOICE,0.05,0.6,60s,60s,0s',
    'RT_VOICE,,0.3,60s,1s,60s',
    'RT_DATA,0,0.0000004,1,1024,0',
  ].join('\n'),
  'DestinationRates.csv': [
    '#Id,DestinationId,RatesTag,RoundingMethod,RoundingDecimals,MaxCost,MaxCostStrategy',
    'DR_DE,DST_DE,RT_VOICE,*up,4,,',
    'DR_DATA,*any,RT_DATA,*middle,6,10,*free',
  ].join('\n'),
  'Timings.csv': [
    '#Id,Years,Months,MonthDays,WeekDays,Time',
    'TM_DAY,*any,*any,*any,1;2;3;4;5,08:00:00',
  ].join('\n'),
  'RatingPlans.csv': [
    '#Id,DestinationRatesId,TimingTag,Weight',
    'RP_MAIN,DR_DE,TM_DAY,10',
    'RP_MAIN,DR_DATA,*any,5',
  ].join('\n'),
  'RatingProfiles.csv': [
    '#Tenant,Category,Subject,ActivationTime,RatingPlanId,FallbackSubject',
    'acme,call,*any,2024-01-01T00:00:00Z,RP_MAIN,',
  ].join('\n'),
};

/** The base files with `line` (1-based) of `file` replaced by `text`. */
function patched(...patches: [file: string, line: number, text: string][]): Map<string, string> {
  const files = new Map(Object.entries(BASE));
  for (const [file, line, text] of patches) {
    const lines = (files.get(file) ?? '').split('\n');
    if (line < 1 || line > lines.length + 1) throw new Error(`patched: ${file} has no line ${line}`);
    lines[line - 1] = text;
    files.set(file, lines.join('\n'));
  }
  return files;
}

function without(file: string): Map<string, string> {
  const files = new Map(Object.entries(BASE));
  files.delete(file);
  return files;
}

function expectOk(result: CgratesImportResult): { value: TariffDocument; warnings: ImportIssue[] } {
  if (!result.ok)
    expect.fail(`expected the import to succeed, got ${JSON.stringify(result.errors, null, 2)}`);
  return result;
}

function expectErrors(result: CgratesImportResult): ImportIssue[] {
  if (result.ok) expect.fail('expected the import to fail');
  return result.errors;
}

describe('importCgratesTariff on a small plan', () => {
  it('converts every table into the native document', () => {
    const { value, warnings } = expectOk(importCgratesTariff(new Map(Object.entries(BASE)), OPTIONS));
    expect(warnings).toEqual([]);
    expect(value).toEqual({
      format: 'tollgate.tariff/v1',
      id: 'imported',
      currency: 'EUR',
      timeZone: 'UTC',
      rounding: { method: 'half-up', decimals: 6 },
      destinations: [
        { id: 'DST_DE', prefixes: ['49', '+49'] },
        { id: 'DST_VM', prefixes: ['voicemail'] },
      ],
      rates: [
        {
          id: 'RT_VOICE',
          connectFee: '0.05',
          groups: [
            { from: '0s', price: '0.6', per: '60s', increment: '60s' },
            { from: '60s', price: '0.3', per: '60s', increment: '1s' },
          ],
        },
        { id: 'RT_DATA', groups: [{ from: 0, price: '0.0000004', per: 1, increment: 1024 }] },
      ],
      timeBands: [{ id: 'TM_DAY', weekDays: [1, 2, 3, 4, 5], startTime: '08:00:00' }],
      ratingPlans: [
        {
          id: 'RP_MAIN',
          bindings: [
            {
              destination: 'DST_DE',
              rate: 'RT_VOICE',
              timeBand: 'TM_DAY',
              weight: 10,
              rounding: { method: 'up', decimals: 4 },
            },
            {
              destination: '*any',
              rate: 'RT_DATA',
              timeBand: '*any',
              weight: 5,
              rounding: { method: 'half-up', decimals: 6 },
              maxCost: { amount: '10', strategy: 'free' },
            },
          ],
        },
      ],
      ratingProfiles: [
        {
          tenant: 'acme',
          category: 'call',
          subject: '*any',
          activationTime: '2024-01-01T00:00:00Z',
          ratingPlan: 'RP_MAIN',
        },
      ],
    });
  });

  it('uses the rounding given as the tariff default', () => {
    const rounding = { method: 'half-even', decimals: 2 } as const;
    const { value } = expectOk(importCgratesTariff(new Map(Object.entries(BASE)), { ...OPTIONS, rounding }));
    expect(value.rounding).toEqual(rounding);
  });

  it('emits groups in GroupIntervalStart order whatever the row order', () => {
    const files = patched(
      ['Rates.csv', 2, 'RT_VOICE,,0.3,60s,1s,1m'],
      ['Rates.csv', 3, 'RT_VOICE,0.05,0.6,60s,60s,'],
    );
    const { value } = expectOk(importCgratesTariff(files, OPTIONS));
    expect(value.rates[0]).toEqual({
      id: 'RT_VOICE',
      connectFee: '0.05',
      groups: [
        { from: '0s', price: '0.6', per: '60s', increment: '60s' },
        { from: '1m', price: '0.3', per: '60s', increment: '1s' },
      ],
    });
  });

  it('keeps sub-second and compound durations as written', () => {
    const files = patched(['Rates.csv', 3, 'RT_VOICE,,0.3,1m30s,500ms,1.5m']);
    const { value } = expectOk(importCgratesTariff(files, OPTIONS));
    expect(value.rates[0]?.groups[1]).toEqual({
      from: '1.5m',
      price: '0.3',
      per: '1m30s',
      increment: '500ms',
    });
  });

  it('skips comments, blank lines and surrounding spaces, and reads CRLF files', () => {
    const files = new Map(Object.entries(BASE));
    files.set(
      'Destinations.csv',
      '#Id,Prefix\r\n\r\n# Germany\r\n DST_DE , 49 \r\nDST_DE,+49\r\nDST_VM,voicemail\r\n',
    );
    const { value } = expectOk(importCgratesTariff(files, OPTIONS));
    expect(value.destinations).toEqual([
      { id: 'DST_DE', prefixes: ['49', '+49'] },
      { id: 'DST_VM', prefixes: ['voicemail'] },
    ]);
  });

  it('imports without Timings.csv when every plan uses *any', () => {
    const files = patched(['RatingPlans.csv', 2, 'RP_MAIN,DR_DE,*any,10']);
    files.delete('Timings.csv');
    const { value } = expectOk(importCgratesTariff(files, OPTIONS));
    expect(value.timeBands).toBeUndefined();
    expect(value.ratingPlans[0]?.bindings[0]?.timeBand).toBe('*any');
  });

  it.each([
    ['1001;*any', ['1001', '*any']],
    [' 1001 ; ; *any ', ['1001', '*any']],
  ])('splits FallbackSubject %j into %j', (fallback, expected) => {
    const files = patched([
      'RatingProfiles.csv',
      2,
      `acme,call,*any,2024-01-01T00:00:00Z,RP_MAIN,${fallback}`,
    ]);
    const { value } = expectOk(importCgratesTariff(files, OPTIONS));
    expect(value.ratingProfiles[0]?.fallbackSubjects).toEqual(expected);
  });

  it.each([
    ['2024-07-01T00:00:00Z', 'UTC', '2024-07-01T00:00:00Z'],
    ['2024-07-01T02:00:00+02:00', 'UTC', '2024-07-01T00:00:00Z'],
    ['2024-07-01T00:00:00.250-0130', 'UTC', '2024-07-01T01:30:00.250Z'],
    ['2024-07-01 00:00:00', 'Europe/Berlin', '2024-06-30T22:00:00Z'],
    ['2024-01-01', 'Europe/Berlin', '2023-12-31T23:00:00Z'],
    ['2024-03-31T02:30:00', 'Europe/Berlin', '2024-03-31T01:30:00Z'],
  ])('reads ActivationTime %j in %s as %s', (text, timeZone, expected) => {
    const files = patched(['RatingProfiles.csv', 2, `acme,call,*any,${text},RP_MAIN,`]);
    const { value } = expectOk(importCgratesTariff(files, { ...OPTIONS, timeZone }));
    expect(value.ratingProfiles[0]?.activationTime).toBe(expected);
  });
});

describe('importCgratesTariff warnings', () => {
  it.each<[string, Map<string, string>, Partial<ImportIssue>]>([
    [
      'a connect fee on a later group',
      patched(['Rates.csv', 3, 'RT_VOICE,0.01,0.3,60s,1s,60s']),
      { file: 'Rates.csv', line: 3, column: 'ConnectFee', code: 'ignored_connect_fee' },
    ],
    [
      'a zero rate unit with a zero rate',
      patched(['Rates.csv', 4, 'RT_DATA,0.1,0,0,1024,0']),
      { file: 'Rates.csv', line: 4, column: 'RateUnit', code: 'zero_rate_unit' },
    ],
    [
      'a prefix listed twice',
      patched(['Destinations.csv', 3, 'DST_DE,49']),
      { file: 'Destinations.csv', line: 3, column: 'Prefix', code: 'duplicate_prefix' },
    ],
    [
      'a max cost strategy without a max cost',
      patched(['DestinationRates.csv', 2, 'DR_DE,DST_DE,RT_VOICE,*up,4,0,*disconnect']),
      { file: 'DestinationRates.csv', line: 2, column: 'MaxCostStrategy', code: 'ignored_max_cost_strategy' },
    ],
  ])('warns about %s', (_name, files, expected) => {
    const { warnings } = expectOk(importCgratesTariff(files, OPTIONS));
    expect(warnings).toEqual([expect.objectContaining(expected)]);
  });

  it('writes a zero rate unit as the increment', () => {
    const { value } = expectOk(
      importCgratesTariff(patched(['Rates.csv', 4, 'RT_DATA,0.1,0,0,1s,']), OPTIONS),
    );
    expect(value.rates[1]).toEqual({
      id: 'RT_DATA',
      connectFee: '0.1',
      groups: [{ from: '0s', price: '0', per: '1s', increment: '1s' }],
    });
  });
});

describe('importCgratesTariff errors', () => {
  it.each<[string, Map<string, string>, Partial<ImportIssue>]>([
    [
      'an unknown rate id in DestinationRates',
      patched(['DestinationRates.csv', 2, 'DR_DE,DST_DE,RT_NOPE,*up,4,,']),
      { file: 'DestinationRates.csv', line: 2, column: 'RatesTag', code: 'unknown_rate' },
    ],
    [
      'an unknown destination id in DestinationRates',
      patched(['DestinationRates.csv', 2, 'DR_DE,DST_NOPE,RT_VOICE,*up,4,,']),
      { file: 'DestinationRates.csv', line: 2, column: 'DestinationId', code: 'unknown_destination' },
    ],
    [
      'a bad rounding method',
      patched(['DestinationRates.csv', 2, 'DR_DE,DST_DE,RT_VOICE,*nearest,4,,']),
      { file: 'DestinationRates.csv', line: 2, column: 'RoundingMethod', code: 'invalid_rounding_method' },
    ],
    [
      'more than 6 rounding decimals',
      patched(['DestinationRates.csv', 3, 'DR_DATA,*any,RT_DATA,*middle,7,10,*free']),
      {
        file: 'DestinationRates.csv',
        line: 3,
        column: 'RoundingDecimals',
        code: 'invalid_rounding_decimals',
      },
    ],
    [
      'a max cost without a strategy',
      patched(['DestinationRates.csv', 3, 'DR_DATA,*any,RT_DATA,*middle,6,10,']),
      { file: 'DestinationRates.csv', line: 3, column: 'MaxCostStrategy', code: 'missing_max_cost_strategy' },
    ],
    [
      'an unknown max cost strategy',
      patched(['DestinationRates.csv', 3, 'DR_DATA,*any,RT_DATA,*middle,6,10,*cap']),
      { file: 'DestinationRates.csv', line: 3, column: 'MaxCostStrategy', code: 'invalid_max_cost_strategy' },
    ],
    [
      'a bad weight',
      patched(['RatingPlans.csv', 2, 'RP_MAIN,DR_DE,TM_DAY,ten']),
      { file: 'RatingPlans.csv', line: 2, column: 'Weight', code: 'invalid_weight' },
    ],
    [
      'an unknown destination rate id in RatingPlans',
      patched(['RatingPlans.csv', 3, 'RP_MAIN,DR_NOPE,*any,5']),
      { file: 'RatingPlans.csv', line: 3, column: 'DestinationRatesId', code: 'unknown_destination_rate' },
    ],
    [
      'an unknown timing in RatingPlans',
      patched(['RatingPlans.csv', 2, 'RP_MAIN,DR_DE,TM_NIGHT,10']),
      { file: 'RatingPlans.csv', line: 2, column: 'TimingTag', code: 'unknown_timing' },
    ],
    [
      'a month 13 activation time',
      patched(['RatingProfiles.csv', 2, 'acme,call,*any,2024-13-01T00:00:00Z,RP_MAIN,']),
      { file: 'RatingProfiles.csv', line: 2, column: 'ActivationTime', code: 'invalid_activation_time' },
    ],
    [
      'a 30 February activation time',
      patched(['RatingProfiles.csv', 2, 'acme,call,*any,2024-02-30T00:00:00Z,RP_MAIN,']),
      { file: 'RatingProfiles.csv', line: 2, column: 'ActivationTime', code: 'invalid_activation_time' },
    ],
    [
      'an *asap activation time',
      patched(['RatingProfiles.csv', 2, 'acme,call,*any,*asap,RP_MAIN,']),
      { file: 'RatingProfiles.csv', line: 2, column: 'ActivationTime', code: 'invalid_activation_time' },
    ],
    [
      'an unknown rating plan id',
      patched(['RatingProfiles.csv', 2, 'acme,call,*any,2024-01-01T00:00:00Z,RP_NOPE,']),
      { file: 'RatingProfiles.csv', line: 2, column: 'RatingPlanId', code: 'unknown_rating_plan' },
    ],
    [
      'two profiles activated at the same instant',
      patched(['RatingProfiles.csv', 3, 'acme,call,*any,2024-01-01T01:00:00+01:00,RP_MAIN,']),
      { file: 'RatingProfiles.csv', line: 3, column: 'ActivationTime', code: 'duplicate_rating_profile' },
    ],
    [
      'a row with too few columns',
      patched(['Rates.csv', 3, 'RT_VOICE,0,0.3,60s,1s']),
      { file: 'Rates.csv', line: 3, code: 'wrong_column_count' },
    ],
    [
      'a row with too many columns',
      patched(['Destinations.csv', 4, 'DST_VM,voicemail,extra']),
      { file: 'Destinations.csv', line: 4, code: 'wrong_column_count' },
    ],
    [
      'durations and counts mixed in one row',
      patched(['Rates.csv', 4, 'RT_DATA,0,0.0000004,1s,1024,0']),
      { file: 'Rates.csv', line: 4, column: 'RateIncrement', code: 'mixed_dimensions' },
    ],
    [
      'durations and counts mixed across groups',
      patched(['Rates.csv', 3, 'RT_VOICE,,0.3,60,1s,60s']),
      { file: 'Rates.csv', line: 3, column: 'RateUnit', code: 'mixed_dimensions' },
    ],
    [
      'a price in exponent notation',
      patched(['Rates.csv', 4, 'RT_DATA,0,4e-7,1,1024,0']),
      { file: 'Rates.csv', line: 4, column: 'Rate', code: 'invalid_decimal' },
    ],
    [
      'a zero rate unit with a non-zero rate',
      patched(['Rates.csv', 4, 'RT_DATA,0,0.1,0,1024,0']),
      { file: 'Rates.csv', line: 4, column: 'RateUnit', code: 'invalid_rate_unit' },
    ],
    [
      'a zero increment',
      patched(['Rates.csv', 2, 'RT_VOICE,0.05,0.6,60s,0s,0s']),
      { file: 'Rates.csv', line: 2, column: 'RateIncrement', code: 'invalid_increment' },
    ],
    [
      'a sub-millisecond duration',
      patched(['Rates.csv', 2, 'RT_VOICE,0.05,0.6,60s,100us,0s']),
      { file: 'Rates.csv', line: 2, column: 'RateIncrement', code: 'unsupported_duration' },
    ],
    [
      'a value that is neither duration nor count',
      patched(['Rates.csv', 2, 'RT_VOICE,0.05,0.6,1M,60s,0s']),
      { file: 'Rates.csv', line: 2, column: 'RateUnit', code: 'invalid_quantity' },
    ],
    [
      'two groups starting at the same offset',
      patched(['Rates.csv', 3, 'RT_VOICE,,0.3,60s,1s,0']),
      { file: 'Rates.csv', line: 3, column: 'GroupIntervalStart', code: 'duplicate_group_start' },
    ],
    [
      'a weekday out of range',
      patched(['Timings.csv', 2, 'TM_DAY,*any,*any,*any,1;8,08:00:00']),
      { file: 'Timings.csv', line: 2, column: 'WeekDays', code: 'invalid_timing' },
    ],
    [
      'a start time out of range',
      patched(['Timings.csv', 2, 'TM_DAY,*any,*any,*any,1;2,25:00:00']),
      { file: 'Timings.csv', line: 2, column: 'Time', code: 'invalid_timing' },
    ],
    [
      'a timing defined twice',
      patched(['Timings.csv', 3, 'TM_DAY,*any,*any,*any,6;7,00:00:00']),
      { file: 'Timings.csv', line: 3, column: 'Id', code: 'duplicate_id' },
    ],
    [
      'an empty prefix',
      patched(['Destinations.csv', 4, 'DST_VM,']),
      { file: 'Destinations.csv', line: 4, column: 'Prefix', code: 'empty_field' },
    ],
    [
      'an unclosed quote',
      patched(['Destinations.csv', 3, 'DST_DE,"+49']),
      { file: 'Destinations.csv', code: 'csv_syntax' },
    ],
  ])('rejects %s', (_name, files, expected) => {
    const errors = expectErrors(importCgratesTariff(files, OPTIONS));
    expect(errors).toEqual([expect.objectContaining(expected)]);
  });

  it('names the expected columns when the count is wrong', () => {
    const errors = expectErrors(
      importCgratesTariff(patched(['Rates.csv', 3, 'RT_VOICE,0,0.3,60s,1s']), OPTIONS),
    );
    expect(errors[0]?.message).toBe(
      'expected 6 columns (Id,ConnectFee,Rate,RateUnit,RateIncrement,GroupIntervalStart), found 5',
    );
  });

  it('reports a missing required file by name, and nothing that follows from it', () => {
    const errors = expectErrors(importCgratesTariff(without('Destinations.csv'), OPTIONS));
    expect(errors).toEqual([
      expect.objectContaining({ file: 'Destinations.csv', line: 0, code: 'missing_file' }),
    ]);
  });

  it('needs Timings.csv when a plan names a timing', () => {
    const errors = expectErrors(importCgratesTariff(without('Timings.csv'), OPTIONS));
    expect(errors).toEqual([
      expect.objectContaining({
        file: 'RatingPlans.csv',
        line: 2,
        column: 'TimingTag',
        code: 'unknown_timing',
      }),
    ]);
  });

  it('collects every error in every file', () => {
    const files = patched(
      ['DestinationRates.csv', 2, 'DR_DE,DST_DE,RT_NOPE,*nearest,4,,'],
      ['RatingPlans.csv', 3, 'RP_MAIN,DR_DATA,*any,heavy'],
      ['RatingProfiles.csv', 2, 'acme,call,*any,yesterday,RP_MAIN,'],
    );
    const errors = expectErrors(importCgratesTariff(files, OPTIONS));
    expect(errors.map(({ file, line, column, code }) => ({ file, line, column, code }))).toEqual([
      { file: 'DestinationRates.csv', line: 2, column: 'RatesTag', code: 'unknown_rate' },
      { file: 'DestinationRates.csv', line: 2, column: 'RoundingMethod', code: 'invalid_rounding_method' },
      { file: 'RatingPlans.csv', line: 3, column: 'Weight', code: 'invalid_weight' },
      { file: 'RatingProfiles.csv', line: 2, column: 'ActivationTime', code: 'invalid_activation_time' },
    ]);
  });

  it('keeps the line of rows that follow comments and blank lines', () => {
    const files = new Map(Object.entries(BASE));
    files.set(
      'RatingPlans.csv',
      '#Id,DestinationRatesId,TimingTag,Weight\n\n# main plan\n\nRP_MAIN,DR_DE,TM_DAY,x\n',
    );
    const errors = expectErrors(importCgratesTariff(files, OPTIONS));
    expect(errors).toEqual([expect.objectContaining({ file: 'RatingPlans.csv', line: 5, column: 'Weight' })]);
  });

  it.each<[string, Partial<CgratesImportOptions>, string]>([
    ['a lower-case currency', { currency: 'eur' }, 'currency'],
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
    ['an empty tariff id', { tariffId: '' }, 'tariffId'],
    ['too many rounding decimals', { rounding: { method: 'up', decimals: 7 } }, 'rounding'],
  ])('rejects %s in the options', (_name, override, column) => {
    const errors = expectErrors(
      importCgratesTariff(new Map(Object.entries(BASE)), { ...OPTIONS, ...override }),
    );
    expect(errors).toEqual([
      expect.objectContaining({ file: '<options>', line: 0, column, code: 'invalid_option' }),
    ]);
  });

  it('never throws on arbitrary text in any file', () => {
    const names = Object.keys(BASE);
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.string({ maxLength: 200 }), (name, text) => {
        const files = new Map(Object.entries(BASE));
        files.set(name, `${files.get(name)}\n${text}`);
        const result = importCgratesTariff(files, OPTIONS);
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const error of result.errors) expect(error.file).toBe(name);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('readCgratesTariffDir', () => {
  async function withDir(
    files: ReadonlyMap<string, string>,
    run: (dir: string) => Promise<void>,
  ): Promise<void> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tollgate-cgrates-'));
    try {
      for (const [name, text] of files) await writeFile(path.join(dir, name), text);
      await run(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('reads the rating files of a folder', async () => {
    await withDir(new Map(Object.entries(BASE)), async (dir) => {
      const { value } = expectOk(await readCgratesTariffDir(dir, OPTIONS));
      expect(value).toEqual(expectOk(importCgratesTariff(new Map(Object.entries(BASE)), OPTIONS)).value);
    });
  });

  it('reports a missing required file by name', async () => {
    await withDir(without('Destinations.csv'), async (dir) => {
      const errors = expectErrors(await readCgratesTariffDir(dir, OPTIONS));
      expect(errors).toEqual([expect.objectContaining({ file: 'Destinations.csv', code: 'missing_file' })]);
    });
  });
});

describe.skipIf(!hasConformance)(
  `importing the CGRateS tutorial plans from ../shared/conformance/cgrates ${hasConformance ? '' : skipReason}`,
  () => {
    const importFolder = async (name: string) =>
      expectOk(await readCgratesTariffDir(path.join(conformanceDir, name), { ...OPTIONS, tariffId: name }));

    /** Every id a binding or profile names is defined in the document. */
    function expectReferencesResolve(tariff: TariffDocument): void {
      const destinations = new Set(['*any', ...tariff.destinations.map((d) => d.id)]);
      const rates = new Set(tariff.rates.map((r) => r.id));
      const bands = new Set(['*any', ...(tariff.timeBands ?? []).map((b) => b.id)]);
      const plans = new Set(tariff.ratingPlans.map((p) => p.id));
      for (const binding of tariff.ratingPlans.flatMap((p) => p.bindings)) {
        expect(destinations).toContain(binding.destination);
        expect(rates).toContain(binding.rate);
        expect(bands).toContain(binding.timeBand);
      }
      for (const profile of tariff.ratingProfiles) expect(plans).toContain(profile.ratingPlan);
    }

    it('imports tutorial with no errors or warnings', async () => {
      const { value, warnings } = await importFolder('tutorial');
      expect(warnings).toEqual([]);
      expectReferencesResolve(value);
      expect(value.destinations).toHaveLength(4);
      expect(value.rates).toHaveLength(7);
      expect(value.timeBands).toBeUndefined();
      expect(value.ratingProfiles).toHaveLength(8);
      expect(value.ratingPlans.map((plan) => [plan.id, plan.bindings.length])).toEqual([
        ['RP_1001', 2],
        ['RP_1002', 1],
        ['RP_1002_LOW', 1],
        ['RP_1003', 1],
        ['RP_SMS', 1],
        ['RP_MMS', 1],
      ]);
      expect(value.ratingPlans[0]?.bindings).toEqual([
        {
          destination: 'DST_1002',
          rate: 'RT_20CNT',
          timeBand: '*any',
          weight: 10,
          rounding: { method: 'up', decimals: 4 },
        },
        {
          destination: 'DST_1003',
          rate: 'RT_1CNT_PER_SEC',
          timeBand: '*any',
          weight: 10,
          rounding: { method: 'up', decimals: 4 },
          maxCost: { amount: '0.12', strategy: 'disconnect' },
        },
      ]);
      expect(value.rates.find((rate) => rate.id === 'RT_SMS')).toEqual({
        id: 'RT_SMS',
        groups: [{ from: 0, price: '0.01', per: 1, increment: 1 }],
      });
      expect(value.ratingProfiles[1]).toEqual({
        tenant: 'cgrates.org',
        category: 'call',
        subject: '1001',
        activationTime: '2010-01-14T00:00:00Z',
        ratingPlan: 'RP_1002',
      });
    });

    it.each(['tutorial', 'tutorial2'])(
      'imports %s into a tariff the native compiler accepts',
      async (name) => {
        const { value } = await importFolder(name);
        const compiled = compileTariff(value);
        if (!compiled.ok) expect.fail(JSON.stringify(compiled.error, null, 2));
      },
    );

    it('imports tutorial2 with one warning, for the connect-fee-only rate', async () => {
      const { value, warnings } = await importFolder('tutorial2');
      expect(warnings).toEqual([
        expect.objectContaining({ file: 'Rates.csv', line: 14, column: 'RateUnit', code: 'zero_rate_unit' }),
      ]);
      expectReferencesResolve(value);
      expect(value.ratingPlans.map((plan) => [plan.id, plan.bindings.length])).toEqual([
        ['RP_STANDARD', 7],
        ['RP_1001', 1],
        ['RP_SPECIAL_BLC', 1],
        ['RP_DATA', 1],
        ['RP_SMS', 2],
        ['RP_1CNT', 1],
        ['RP_10CNT', 1],
      ]);
      const standard = value.ratingPlans[0]?.bindings ?? [];
      expect(standard.map((b) => [b.destination, b.rate, b.timeBand, b.weight])).toEqual([
        ['DST_10', 'RT_120C', 'PEAK', 10],
        ['DST_10', 'RT_60C', 'OFFPEAK_MORNING', 10],
        ['DST_10', 'RT_60C', 'OFFPEAK_EVENING', 10],
        ['DST_10', 'RT_60C', 'OFFPEAK_WEEKEND', 10],
        ['DST_2030', 'RT_120C', '*any', 10],
        ['DST_20', 'RT_60C', 'NEW_YEAR', 20],
        ['DST_VOICEMAIL', 'RT_0', '*any', 10],
      ]);
      expect(value.timeBands).toEqual([
        { id: 'PEAK', weekDays: [1, 2, 3, 4, 5], startTime: '08:00:00' },
        { id: 'OFFPEAK_MORNING', weekDays: [1, 2, 3, 4, 5], startTime: '00:00:00' },
        { id: 'OFFPEAK_EVENING', weekDays: [1, 2, 3, 4, 5], startTime: '19:00:00' },
        { id: 'OFFPEAK_WEEKEND', weekDays: [6, 7], startTime: '00:00:00' },
        { id: 'NEW_YEAR', months: [1], monthDays: [1], startTime: '00:00:00' },
        { id: 'TM_NOON', startTime: '12:00:00' },
      ]);
      const rate = (id: string) => value.rates.find((r) => r.id === id);
      expect(rate('RT_120C')).toEqual({
        id: 'RT_120C',
        connectFee: '0.2',
        groups: [
          { from: '0s', price: '1.2', per: '1m', increment: '1m' },
          { from: '1m', price: '1.2', per: '1m', increment: '1s' },
        ],
      });
      expect(rate('RT_10C_CN')).toEqual({
        id: 'RT_10C_CN',
        connectFee: '0.1',
        groups: [{ from: '0s', price: '0', per: '1s', increment: '1s' }],
      });
      expect(rate('RT_1024_1')).toEqual({
        id: 'RT_1024_1',
        groups: [{ from: 0, price: '1', per: 1024, increment: 1024 }],
      });
      expect(value.destinations.find((d) => d.id === 'DST_2030')?.prefixes).toEqual(['20', '30']);
      expect(value.destinations.find((d) => d.id === 'DST_VOICEMAIL')?.prefixes).toEqual(['voicemail']);
      expect(value.ratingProfiles.find((p) => p.subject === '1001')).toEqual({
        tenant: 'cgrates.org',
        category: 'call',
        subject: '1001',
        activationTime: '2019-03-01T00:00:00Z',
        ratingPlan: 'RP_1001',
        fallbackSubjects: ['*any'],
      });
    });
  },
);
