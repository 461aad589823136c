import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BillingFixture, eur, openBillingFixture } from './billing-fixture.js';

/** April 1st 2026, 00:00 in Berlin (summer time): the end of the March cycle. */
const APRIL_1 = '2026-04-01T00:00:00+02:00';
const MAY_1 = '2026-05-01T00:00:00+02:00';

describe('bill runs over whole months', () => {
  let f: BillingFixture;
  beforeEach(async () => {
    f = await openBillingFixture();
    await f.taxRule('DE', '*', [{ code: 'DE-VAT', name: 'USt', ratePercent: '19' }]);
  });
  afterEach(async () => {
    await f.close();
  });

  async function usageMicros(accountId: string): Promise<bigint> {
    const { rows } = await sql<{ total: string | null }>`
      select sum(charged_micros - debited_micros)::text as total from rated_usage where account_id = ${accountId}`.execute(
      f.database.db,
    );
    return BigInt(rows[0]?.total ?? '0');
  }

  it('bills a line activated mid-cycle: the partial month, the next month in advance and the usage, with VAT', async () => {
    const basic = await f.plan('basic', { name: 'Basic', recurringFee: '30.00' });
    const account = await f.account();
    await f.line(account, '+4915200000001', basic, '2026-03-15T10:00:00+01:00');
    await f.calls('march', [
      ['+4915200000001', '+4930555123', '2026-03-16T10:00:00+01:00', 125],
      ['+4915200000001', '+4930555124', '2026-03-20T21:00:00+01:00', 61],
    ]);
    const run = await f.billRun(APRIL_1);
    expect(run.parked).toBe(0);
    const [invoice, ...others] = await f.invoices(account);
    expect(others).toEqual([]);
    expect(invoice?.status).toBe('finalized');
    expect(invoice?.number).toMatch(/^INV-\d{6}$/);
    const fees = invoice!.lines.filter((l) => l.kind === 'recurring').map((l) => l.amount);
    // 30.00 x 17/31 for 15-31 March, then April whole.
    expect(fees).toEqual(['16.45', '30.00']);
    const usage = invoice!.lines.filter((l) => l.kind === 'usage');
    const usageTotal = usage.reduce((sum, l) => sum + Math.round(Number(l.amount) * 100), 0);
    const rated = await usageMicros(account);
    expect(rated).toBeGreaterThan(0n);
    expect(BigInt(usageTotal) * 10_000n).toBe(((rated + 5_000n) / 10_000n) * 10_000n);
    const net = 1645 + 3000 + usageTotal;
    expect(invoice!.net).toBe(eur(BigInt(net) * 10_000n));
    const lineTaxes = invoice!.lines.reduce((sum, l) => sum + Math.round(Number(l.tax) * 100), 0);
    expect(invoice!.tax).toBe(eur(BigInt(lineTaxes) * 10_000n));
    expect(invoice!.total).toBe(eur(BigInt(net + lineTaxes) * 10_000n));
  });

  it('credits the unused part of the old plan and charges the new one on a plan change', async () => {
    const basic = await f.plan('basic', { name: 'Basic', recurringFee: '30.00' });
    const plus = await f.plan('plus', { name: 'Plus', recurringFee: '50.00' });
    const account = await f.account();
    const line = await f.line(account, '+4915200000002', basic, '2026-03-01T00:00:00+01:00');
    await f.billRun(APRIL_1);
    await f.change(line, { kind: 'plan_changed', planId: plus, effectiveAt: '2026-04-16T12:00:00+02:00' });
    await f.billRun(MAY_1);
    const [, april] = await f.invoices(account);
    const lines = april!.lines.map((l) => [l.kind, l.label, l.amount]);
    expect(lines).toEqual([
      ['recurring_credit', 'Basic', '-15.00'],
      ['recurring', 'Plus', '25.00'],
      ['recurring', 'Plus', '50.00'],
    ]);
  });
});
