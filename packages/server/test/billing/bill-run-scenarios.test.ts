import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderInvoiceHtml } from '../../src/billing/render/render-invoice-html.js';
import { voidInvoice } from '../../src/billing/void-invoice.js';
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

  it('credits the paused days, and charges nothing twice when the line resumes', async () => {
    const basic = await f.plan('basic', { name: 'Basic', recurringFee: '30.00' });
    const account = await f.account();
    const line = await f.line(account, '+4915200000003', basic, '2026-03-01T00:00:00+01:00');
    await f.billRun(APRIL_1);
    await f.change(line, { kind: 'paused', effectiveAt: '2026-04-10T09:00:00+02:00' });
    await f.change(line, { kind: 'resumed', effectiveAt: '2026-04-20T09:00:00+02:00' });
    await f.billRun(MAY_1);
    const [march, april] = await f.invoices(account);
    expect(march!.lines.map((l) => l.amount)).toEqual(['30.00', '30.00']);
    expect(april!.lines.map((l) => [l.kind, l.amount])).toEqual([
      ['recurring_credit', '-10.00'],
      ['recurring', '30.00'],
    ]);
    expect(april!.net).toBe('20.00');
    expect(april!.tax).toBe('3.80');
  });

  it('credits the rest of the month after a termination, then bills nothing more', async () => {
    const basic = await f.plan('basic', { name: 'Basic', recurringFee: '30.00' });
    const account = await f.account();
    const line = await f.line(account, '+4915200000004', basic, '2026-03-01T00:00:00+01:00');
    await f.billRun(APRIL_1);
    await f.change(line, { kind: 'terminated', effectiveAt: '2026-04-10T15:00:00+02:00' });
    const may = await f.billRun(MAY_1);
    expect(may.parked).toBe(0);
    await f.billRun('2026-06-01T00:00:00+02:00');
    const invoices = await f.invoices(account);
    expect(invoices).toHaveLength(2);
    expect(invoices[1]!.lines.map((l) => [l.kind, l.amount])).toEqual([['recurring_credit', '-21.00']]);
    expect(invoices[1]!.total).toBe('-24.99');
  });

  it('spends the allowance first, bills the overage, and grants the next cycle with its rollover', async () => {
    const bundle = await f.plan('bundle', {
      name: 'Bundle',
      recurringFee: '10.00',
      allowances: [{ service: 'voice', amount: '10m', rolloverCycles: 1 }],
    } as never);
    const account = await f.account();
    await f.line(account, '+4915200000005', bundle, '2026-03-01T00:00:00+01:00');
    // The demo operator's lines get theirs too; a second renewal grants nothing.
    expect(await f.renew('2026-03-01T12:00:00+01:00')).toBeGreaterThan(0);
    expect(await f.renew('2026-03-02T12:00:00+01:00')).toBe(0);
    await f.calls('bundle', [
      ['+4915200000005', '+4930555123', '2026-03-10T10:00:00+01:00', 480],
      ['+4915200000005', '+4930555124', '2026-03-11T10:00:00+01:00', 300],
    ]);
    await f.billRun(APRIL_1);
    const [march] = await f.invoices(account);
    const { rows } = await sql<{ allowance: string; charged: string }>`
      select sum(allowance_units)::text as allowance, sum(charged_micros - debited_micros)::text as charged
      from rated_usage where account_id = ${account}`.execute(f.database.db);
    expect(rows[0]!.allowance).toBe('600');
    const usage = march!.lines.filter((l) => l.kind === 'usage');
    const usageCents = usage.reduce((sum, l) => sum + Math.round(Number(l.amount) * 100), 0);
    expect(BigInt(usageCents) * 10_000n).toBe(((BigInt(rows[0]!.charged) + 5_000n) / 10_000n) * 10_000n);
    expect(usageCents).toBeGreaterThan(0);
    // April: 600 s of its own; nothing of March's was left to roll over.
    const april = await sql<{ balance: string; fresh: string; carried: unknown }>`
      select b.balance::text as balance, g.fresh_units::text as fresh, g.carried
      from allowance_grants g join balance_buckets b on b.id = g.bucket_id
      where g.account_id = ${account} order by g.cycle_from_day`.execute(f.database.db);
    expect(april.rows.map((r) => r.balance)).toEqual(['0', '600']);
  });

  it('rolls unused minutes over for the rollover cycles, and not beyond', async () => {
    const bundle = await f.plan('bundle', {
      name: 'Bundle',
      recurringFee: '10.00',
      allowances: [{ service: 'voice', amount: '10m', rolloverCycles: 1 }],
    } as never);
    const account = await f.account();
    await f.line(account, '+4915200000006', bundle, '2026-03-01T00:00:00+01:00');
    await f.renew('2026-03-01T12:00:00+01:00');
    await f.calls('roll', [['+4915200000006', '+4930555123', '2026-03-10T10:00:00+01:00', 240]]);
    await f.billRun(APRIL_1);
    await f.billRun(MAY_1);
    const grants = await sql<{ balance: string; carried: { ageCycles: number; units: string }[] }>`
      select b.balance::text as balance, g.carried
      from allowance_grants g join balance_buckets b on b.id = g.bucket_id
      where g.account_id = ${account} order by g.cycle_from_day`.execute(f.database.db);
    // March: 600 - 240 used = 360 left -> April 600 + 360; April unused 960: only its own 600 may roll on.
    expect(grants.rows.map((r) => r.balance)).toEqual(['360', '960', '1200']);
    expect(grants.rows[2]!.carried).toEqual([{ ageCycles: 1, units: '600' }]);
  });

  it('applies a promotion for its cycles only', async () => {
    const basic = await f.plan('basic', { name: 'Basic', recurringFee: '30.00' });
    const account = await f.account();
    await f.line(account, '+4915200000007', basic, '2026-03-01T00:00:00+01:00');
    await f.discount(account, {
      name: 'Welcome 50 %',
      kind: 'percent',
      percent: '50',
      target: 'plan',
      targetId: basic,
      cycles: 2,
    });
    await f.billRun(APRIL_1);
    await f.billRun(MAY_1);
    await f.billRun('2026-06-01T00:00:00+02:00');
    const invoices = await f.invoices(account);
    expect(invoices.map((i) => i.lines.filter((l) => l.kind === 'discount').map((l) => l.amount))).toEqual([
      ['-30.00'],
      ['-15.00'],
      [],
    ]);
    expect(invoices.map((i) => i.total)).toEqual(['35.70', '17.85', '35.70']);
  });

  it('stacks the taxes of every level of a jurisdiction, compound ones on the taxes before them', async () => {
    await f.taxRule('US', '*', [{ code: 'US-FUSF', name: 'Federal USF', ratePercent: '3.5' }]);
    await f.taxRule('US-CA', '*', [{ code: 'CA-SALES', name: 'CA sales tax', ratePercent: '7.25' }]);
    await f.taxRule('US-CA-LA', '*', [
      { code: 'LA-UUT', name: 'LA utility users tax', ratePercent: '9', compound: true },
    ]);
    const basic = await f.plan('basic', { name: 'Basic', recurringFee: '30.00' });
    const account = await f.account({ taxRegion: 'US-CA-LA' });
    await f.line(account, '+4915200000008', basic, '2026-03-01T00:00:00+01:00');
    await f.billRun(APRIL_1);
    const [invoice] = await f.invoices(account);
    const rows = await f.database.db
      .selectFrom('invoices')
      .select('document')
      .where('id', '=', invoice!.id)
      .executeTakeFirstOrThrow();
    // Per 30.00 line: 1.05 + 2.18 (2.175) + 9 % of (30.00 + 1.05 + 2.18) = 2.99 (2.9907).
    expect(rows.document.lines[0]!.taxes.map((t) => t.amountMicros)).toEqual([
      '1050000',
      '2180000',
      '2990000',
    ]);
    expect(rows.document.taxSummary.map((t) => [t.code, t.amountMicros])).toEqual([
      ['US-FUSF', '2100000'],
      ['CA-SALES', '4360000'],
      ['LA-UUT', '5980000'],
    ]);
    expect(invoice!.total).toBe('72.44');
  });

  it('exempts a customer with a certificate from the tax it names, and prints the certificate', async () => {
    const basic = await f.plan('basic', { name: 'Basic', recurringFee: '30.00' });
    const account = await f.account({ taxExemptions: [{ tax: 'DE-VAT', certificate: 'EX-2026-17' }] });
    await f.line(account, '+4915200000009', basic, '2026-03-01T00:00:00+01:00');
    await f.billRun(APRIL_1);
    const [invoice] = await f.invoices(account);
    expect(invoice!.tax).toBe('0.00');
    expect(invoice!.total).toBe('60.00');
    const row = await f.database.db
      .selectFrom('invoices')
      .select('document')
      .where('id', '=', invoice!.id)
      .executeTakeFirstOrThrow();
    expect(row.document.buyer.exemptions).toEqual([{ taxCode: 'DE-VAT', certificate: 'EX-2026-17' }]);
  });

  it('puts usage that arrives after its period was invoiced on the next invoice, as late usage', async () => {
    const basic = await f.plan('basic', { name: 'Basic', recurringFee: '30.00' });
    const account = await f.account();
    await f.line(account, '+4915200000010', basic, '2026-03-01T00:00:00+01:00');
    await f.calls('early', [['+4915200000010', '+4930555123', '2026-03-05T10:00:00+01:00', 60]]);
    await f.billRun(APRIL_1);
    const before = await f.invoices(account);
    await f.calls('late', [
      ['+4915200000010', '+4930555124', '2026-03-30T10:00:00+02:00', 120],
      ['+4915200000010', '+4930555125', '2026-04-03T10:00:00+02:00', 60],
    ]);
    await f.billRun(MAY_1);
    const [march, april] = await f.invoices(account);
    expect(march).toEqual(before[0]);
    expect(april!.lines.map((l) => l.kind).sort()).toEqual(['late_usage', 'recurring', 'usage']);
    const late = april!.lines.find((l) => l.kind === 'late_usage')!;
    expect(Number(late.amount)).toBeGreaterThan(0);
  });

  it('tops usage up to the minimum commitment', async () => {
    const committed = await f.plan('committed', {
      name: 'Committed',
      recurringFee: '5.00',
      minimumCommitment: '20.00',
    } as never);
    const account = await f.account();
    await f.line(account, '+4915200000011', committed, '2026-03-01T00:00:00+01:00');
    await f.calls('small', [['+4915200000011', '+4930555123', '2026-03-05T10:00:00+01:00', 60]]);
    await f.billRun(APRIL_1);
    const [invoice] = await f.invoices(account);
    const usage = invoice!.lines
      .filter((l) => l.kind === 'usage')
      .reduce((sum, l) => sum + Math.round(Number(l.amount) * 100), 0);
    const topUp = invoice!.lines.find((l) => l.kind === 'minimum_commitment')!;
    expect(Math.round(Number(topUp.amount) * 100) + usage).toBe(2000);
  });

  it('converts a price missing in the account currency at the dated exchange rate, and parks the account without one', async () => {
    const basic = await f.plan('basic', { name: 'Basic', recurringFee: '30.00' });
    const dollars = await f.account({ currency: 'USD' });
    await f.line(dollars, '+4915200000012', basic, '2026-03-01T00:00:00+01:00');
    const parked = await f.billRun(APRIL_1);
    expect(parked.parked).toBe(1);
    await f.fxRate('EUR', 'USD', '2026-03-31', '1.0850');
    await f.fxRate('EUR', 'USD', '2026-04-30', '1.2000');
    await f.billRun(APRIL_1);
    const [invoice] = await f.invoices(dollars);
    expect(invoice!.lines.map((l) => l.amount)).toEqual(['32.55', '32.55']);
    const row = await f.database.db
      .selectFrom('invoices')
      .select('document')
      .where('id', '=', invoice!.id)
      .executeTakeFirstOrThrow();
    expect(row.document.exchangeRates).toEqual([
      { from: 'EUR', to: 'USD', rate: '1.085', source: 'ECB reference rate', date: '2026-03-31' },
    ]);
  });

  it('previews in a dry run without writing an invoice, then bills the same amounts', async () => {
    const basic = await f.plan('basic', { name: 'Basic', recurringFee: '30.00' });
    const account = await f.account();
    await f.line(account, '+4915200000013', basic, '2026-03-15T00:00:00+01:00');
    const dry = await f.billRun(APRIL_1, { dryRun: true });
    expect(dry.invoiced).toBeGreaterThan(0);
    expect(await f.invoices(account)).toEqual([]);
    const preview = await f.database.db
      .selectFrom('bill_run_accounts')
      .select('preview')
      .where('bill_run_id', '=', dry.id)
      .where('account_id', '=', account)
      .executeTakeFirstOrThrow();
    const previewTotal = (preview.preview as { totals: { totalMicros: string } }).totals.totalMicros;
    await f.billRun(APRIL_1);
    const [invoice] = await f.invoices(account);
    expect(eur(previewTotal)).toBe(invoice!.total);
  });

  it('bills each period once when two runs go at once', async () => {
    const basic = await f.plan('basic', { name: 'Basic', recurringFee: '30.00' });
    const accounts = await Promise.all([f.account(), f.account(), f.account()]);
    for (const [index, account] of accounts.entries())
      await f.line(account, `+49152000001${index}0`, basic, '2026-03-01T00:00:00+01:00');
    await Promise.all([f.billRun(APRIL_1), f.billRun(APRIL_1), f.billRun(APRIL_1)]);
    for (const account of accounts) expect(await f.invoices(account)).toHaveLength(1);
    const numbers = await f.database.db
      .selectFrom('invoices')
      .select('sequence')
      .where('kind', '=', 'invoice')
      .orderBy('sequence')
      .execute();
    expect(numbers.map((n) => Number(n.sequence))).toEqual(numbers.map((_, i) => i + 1));
  });

  it('lists every call on an itemised invoice, and renders it in the customer language', async () => {
    const basic = await f.plan('basic', { name: 'Basic', recurringFee: '30.00' });
    const account = await f.account({ language: 'fr' });
    await f.database.db
      .updateTable('accounts')
      .set({ itemised_invoices: true })
      .where('id', '=', account)
      .execute();
    await f.line(account, '+4915200000020', basic, '2026-03-01T00:00:00+01:00');
    await f.calls('itemised', [
      ['+4915200000020', '+4930555123', '2026-03-05T10:00:00+01:00', 61],
      ['+4915200000020', '+4930555124', '2026-03-06T10:00:00+01:00', 125],
    ]);
    await f.billRun(APRIL_1);
    const [invoice] = await f.invoices(account);
    const row = await f.database.db
      .selectFrom('invoices')
      .select('document')
      .where('id', '=', invoice!.id)
      .executeTakeFirstOrThrow();
    expect(row.document.language).toBe('fr');
    expect(row.document.itemised?.map((i) => [i.destination, i.units])).toEqual([
      ['+4930555123', '61'],
      ['+4930555124', '125'],
    ]);
    const html = renderInvoiceHtml(row.document);
    expect(html).toContain('Facture');
    expect(html).toContain('+4930555124');
  });

  it('voids an invoice and hands what it billed to the next one', async () => {
    const basic = await f.plan('basic', { name: 'Basic', recurringFee: '30.00' });
    const account = await f.account();
    await f.line(account, '+4915200000021', basic, '2026-03-01T00:00:00+01:00');
    await f.calls('voided', [['+4915200000021', '+4930555123', '2026-03-05T10:00:00+01:00', 60]]);
    await f.billRun(APRIL_1);
    const [march] = await f.invoices(account);
    const voided = await voidInvoice(
      f.database.db,
      f.tenantId,
      { type: 'system', id: 'test' },
      march!.id,
      'wrong address',
      new Date(APRIL_1),
    );
    expect(voided.ok).toBe(true);
    await f.billRun(MAY_1);
    const [first, april] = await f.invoices(account);
    expect(first!.status).toBe('void');
    expect(april!.lines.map((l) => [l.kind, l.amount]).filter(([kind]) => kind !== 'late_usage')).toEqual([
      ['recurring', '30.00'],
      ['recurring', '30.00'],
      ['recurring', '30.00'],
    ]);
    expect(april!.lines.filter((l) => l.kind === 'late_usage')).toHaveLength(1);
  });
});
