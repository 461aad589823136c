import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_PAGE_ROWS, USAGE_CSV_COLUMNS } from '../../src/insights/usage-csv-chunks.js';
import { parseCsv } from '../parse-csv.js';
import { DATABASE_LABEL } from '../test-database.js';
import { type InsightsFixture, openInsightsFixture } from './insights-fixture.js';

const LINE = '+4915200000201';
const OTHER_LINE = '+4915200000202';
/** More records than one page of the export, ten to each second, so pages end mid-second. */
const BULK_CALLS = CSV_PAGE_ROWS * 2 + 50;

describe(`the usage CSV export (${DATABASE_LABEL})`, () => {
  let f: InsightsFixture;
  let accountId: string;
  let lineId: string;

  beforeAll(async () => {
    f = await openInsightsFixture();
    const b = f.billing;
    const plan = await b.plan('csv-flat', { recurringFee: '5.00' });
    b.clock.now = new Date('2026-02-25T12:00:00Z');
    accountId = await b.account();
    lineId = await b.line(accountId, LINE, plan, '2026-03-01T00:00:00+01:00');
    await b.line(accountId, OTHER_LINE, plan, '2026-03-01T00:00:00+01:00');
    const loaded = await f.post(
      '/v1/usage',
      {
        events: [
          // Monday 10:00 at peak, 90 s: 0.095
          {
            id: 'csv-1',
            subscriber: LINE,
            service: 'call',
            destination: '+4930123456',
            startedAt: '2026-03-02T10:00:00+01:00',
            units: 90,
          },
          // An APN name with a comma and quotes, which the file must quote. 2000 bytes at 0.000000012
          // is 0.000024, rounded up to 4 decimals: 0.0001
          {
            id: 'csv-2',
            subscriber: OTHER_LINE,
            service: 'data',
            destination: 'corp, "eu"',
            startedAt: '2026-03-02T10:30:00+01:00',
            units: 2000,
          },
        ],
      },
      'operator',
    );
    expect(loaded.json()).toMatchObject({ loaded: 2 });
    // Off-peak Berlin calls of 60 s on Saturday 7 March, 0.02 each, ten to a second.
    const calls = Array.from(
      { length: BULK_CALLS },
      (_, i) =>
        [
          LINE,
          '+4930123456',
          new Date(Date.parse('2026-03-07T08:00:00Z') + Math.floor(i / 10) * 1000).toISOString(),
          60,
        ] as const,
    );
    await b.calls('csv-bulk', calls);
    b.clock.now = new Date('2026-03-20T12:00:00+01:00');
  }, 180_000);
  afterAll(async () => {
    await f?.close();
  });

  const csv = (query: string) => f.get(`/v1/accounts/${accountId}/usage.csv?${query}`);

  it('answers an attachment with a header and one line per rated record, read back exactly', async () => {
    const response = await csv('from=2026-03-01&to=2026-03-31');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="usage-A-\d+-2026-03-01-2026-03-31\.csv"$/,
    );
    const records = parseCsv(response.body);
    expect(records[0]).toEqual([...USAGE_CSV_COLUMNS]);
    const rows = records.slice(1);
    expect(rows).toHaveLength(2 + BULK_CALLS);
    const byColumn = (row: string[]) => Object.fromEntries(USAGE_CSV_COLUMNS.map((c, i) => [c, row[i]]));
    expect(byColumn(rows[0]!)).toEqual({
      started_at: '2026-03-02T10:00:00.000+01:00',
      line: LINE,
      service: 'call',
      direction: 'outgoing',
      destination: '+4930123456',
      quantity: '90',
      unit: 'seconds',
      allowance_quantity: '0',
      amount: '0.095',
      currency: 'EUR',
      entry: 'charge',
      explanation:
        'DE_BERLIN by prefix 4930; LOCAL_PEAK in PEAK: 60 s billed, LOCAL_PEAK in PEAK: 30 s billed',
    });
    expect(byColumn(rows[1]!)).toMatchObject({
      line: OTHER_LINE,
      service: 'data',
      destination: 'corp, "eu"',
      quantity: '2000',
      unit: 'bytes',
      amount: '0.0001',
    });
    expect(response.body).toContain(',"corp, ""eu""",');
  });

  it('pages through the database without losing or repeating a record, in time order', async () => {
    const rows = parseCsv((await csv('from=2026-03-07&to=2026-03-07')).body).slice(1);
    expect(rows).toHaveLength(BULK_CALLS);
    expect(rows.every((row) => row[8] === '0.02' && row[0]!.endsWith('+01:00'))).toBe(true);
    const times = rows.map((row) => row[0]!);
    expect([...times].sort()).toEqual(times);
    // Ten records to each second: the same time appears ten times, never eleven.
    const perSecond = new Map<string, number>();
    for (const time of times) perSecond.set(time, (perSecond.get(time) ?? 0) + 1);
    expect(new Set(perSecond.values())).toEqual(new Set([10]));
    // The file's amounts add up to what the summary counts.
    const cents = rows.reduce((sum, row) => sum + BigInt(row[8]!.replace('.', '')), 0n);
    expect(cents).toBe(BigInt(BULK_CALLS) * 2n);
    const summary = (
      await f.get(`/v1/accounts/${accountId}/usage-summary?from=2026-03-07&to=2026-03-07`)
    ).json();
    expect(summary.total).toEqual({
      records: BULK_CALLS,
      amount: `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`,
    });
  });

  it('narrows to one line', async () => {
    const rows = parseCsv((await csv(`from=2026-03-01&to=2026-03-06&subscriptionId=${lineId}`)).body).slice(
      1,
    );
    expect(rows.map((row) => row[1])).toEqual([LINE]);
  });

  it('answers 404 for an unknown account, 400 for a bad period, and only the customer’s own', async () => {
    expect((await f.get(`/v1/accounts/${randomUUID()}/usage.csv`)).statusCode).toBe(404);
    expect((await csv('from=2026-03-31&to=2026-03-01')).statusCode).toBe(400);
    const cookies = await f.customerSession(accountId);
    const own = await f.app.inject({
      url: `/v1/accounts/${accountId}/usage.csv?from=2026-03-02&to=2026-03-02`,
      cookies,
    });
    expect(own.statusCode).toBe(200);
    expect(parseCsv(own.body)).toHaveLength(3);
    const other = await f.app.inject({
      url: `/v1/accounts/${f.billing.postpaid.accountId}/usage.csv`,
      cookies,
    });
    expect(other.statusCode).toBe(404);
  });
});
