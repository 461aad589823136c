import { AGING_BUCKETS, agingBucketOf, dayOfIsoDate, isoDateOfDay } from '@tollgate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agingBucketRanges } from '../../src/receivables/aging-bucket-ranges.js';
import { DATABASE_LABEL } from '../test-database.js';
import { openReceivablesFixture, type ReceivablesFixture, statementCsv } from './receivables-fixture.js';

const RUNS = [
  '2026-02-01T00:00:00+01:00',
  '2026-03-01T00:00:00+01:00',
  '2026-04-01T00:00:00+02:00',
  '2026-05-01T00:00:00+02:00',
  '2026-06-01T00:00:00+02:00',
];

describe('aging bucket ranges', () => {
  it('put every due date in the bucket core says, around each boundary and far back', () => {
    for (const asOf of ['2026-06-13', '2024-03-01', '2026-12-31']) {
      const ranges = agingBucketRanges(asOf);
      expect(ranges.map((r) => r.bucket)).toEqual(AGING_BUCKETS);
      const asOfDay = dayOfIsoDate(asOf);
      for (let late = -40; late <= 400; late++) {
        const dueOn = isoDateOfDay(asOfDay - late);
        const range = ranges.find((r) => r.dueFrom === null || dueOn >= r.dueFrom);
        expect([dueOn, range?.bucket]).toEqual([dueOn, agingBucketOf(dueOn, asOf)]);
      }
    }
  });
});

/**
 * An account billed five months running (invoices due on the 15th, 14 days after issue), one
 * invoice partly paid, and another account that paid more than it owed; the report as of June
 * 13th and 14th, from the injected clock and given.
 */
describe(`aging report (${DATABASE_LABEL})`, () => {
  let f: ReceivablesFixture;
  let owing: string;
  let inCredit: string;
  let owingNumber: string;
  let inCreditNumber: string;

  beforeAll(async () => {
    f = await openReceivablesFixture();
    owing = (await f.accounts(1, '2026-01-01T00:00:00+01:00'))[0]!;
    inCredit = (await f.accounts(1, '2026-05-01T00:00:00+02:00'))[0]!;
    for (const run of RUNS) {
      f.clock.now = new Date(run);
      await f.billRun(run);
    }
    f.clock.now = new Date('2026-06-10T08:00:00Z');
    await f.settleDemoAccounts([owing, inCredit]);
    owingNumber = await f.accountNumberOf(owing);
    inCreditNumber = await f.accountNumberOf(inCredit);
    const invoices = await f.invoicesOf(owing);
    expect(invoices.map((i) => [i.dueOn, i.total])).toEqual([
      ['2026-02-15', '71.40'],
      ['2026-03-15', '35.70'],
      ['2026-04-15', '35.70'],
      ['2026-05-15', '35.70'],
      ['2026-06-15', '35.70'],
    ]);
    const [credited] = await f.invoicesOf(inCredit);
    expect(credited?.total).toBe('71.40');
    const imported = await f.call('POST', '/v1/bank-statements', {
      fileName: 'june.csv',
      content: statementCsv([
        ['2026-06-09', '10.00', 'EUR', invoices[2]!.number, 'part of April'],
        ['2026-06-09', '91.40', 'EUR', credited!.number, 'paid too much'],
      ]),
    });
    expect(imported.json()).toMatchObject({ matched: 2, unmatched: 0 });
    f.clock.now = new Date('2026-06-13T10:00:00Z');
  }, 120_000);
  afterAll(async () => {
    await f?.close();
  });

  it("buckets what is owed by days past due on today's date in the tenant's zone, with credit beside it", async () => {
    const response = await f.call('GET', '/v1/receivables/aging', undefined, f.keys.readOnly);
    expect(response.statusCode, response.body).toBe(200);
    const report = response.json();
    expect(report.asOf).toBe('2026-06-13');
    expect(report.accounts).toEqual([
      {
        accountId: owing,
        accountNumber: owingNumber,
        customerName: expect.any(String),
        currency: 'EUR',
        buckets: {
          current: '35.70',
          days_1_30: '35.70',
          days_31_60: '25.70',
          days_61_90: '35.70',
          days_over_90: '71.40',
        },
        outstanding: '204.20',
        unappliedCredit: '0.00',
      },
      {
        accountId: inCredit,
        accountNumber: inCreditNumber,
        customerName: expect.any(String),
        currency: 'EUR',
        buckets: {
          current: '0.00',
          days_1_30: '0.00',
          days_31_60: '0.00',
          days_61_90: '0.00',
          days_over_90: '0.00',
        },
        outstanding: '0.00',
        unappliedCredit: '20.00',
      },
    ]);
    expect(report.totals).toEqual([
      {
        currency: 'EUR',
        accounts: 2,
        buckets: {
          current: '35.70',
          days_1_30: '35.70',
          days_31_60: '25.70',
          days_61_90: '35.70',
          days_over_90: '71.40',
        },
        outstanding: '204.20',
        unappliedCredit: '20.00',
      },
    ]);
    expect(report.nextCursor).toBeNull();
  });

  it('moves an invoice 91 days past due into over 90 a day later', async () => {
    const report = (
      await f.call('GET', '/v1/receivables/aging?asOf=2026-06-14', undefined, f.keys.readOnly)
    ).json();
    expect(report.asOf).toBe('2026-06-14');
    expect(report.totals[0].buckets).toEqual({
      current: '35.70',
      days_1_30: '35.70',
      days_31_60: '25.70',
      days_61_90: '0.00',
      days_over_90: '107.10',
    });
    expect(report.totals[0].outstanding).toBe('204.20');
  });

  it('pages the accounts while every page carries the totals of all', async () => {
    const first = (await f.call('GET', '/v1/receivables/aging?limit=1', undefined, f.keys.readOnly)).json();
    expect(first.accounts.map((a: { accountId: string }) => a.accountId)).toEqual([owing]);
    expect(first.totals[0].outstanding).toBe('204.20');
    const second = (
      await f.call(
        'GET',
        `/v1/receivables/aging?limit=1&cursor=${first.nextCursor}`,
        undefined,
        f.keys.readOnly,
      )
    ).json();
    expect(second.accounts.map((a: { accountId: string }) => a.accountId)).toEqual([inCredit]);
    expect(second.totals).toEqual(first.totals);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses a date that is not one', async () => {
    const response = await f.call('GET', '/v1/receivables/aging?asOf=2026-02-30', undefined, f.keys.readOnly);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('querystring:/asOf');
  });
});
