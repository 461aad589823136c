import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../parse-csv.js';
import { openPaymentsFixture, type PaymentsFixture } from '../payments/payments-fixture.js';
import { DATABASE_LABEL } from '../test-database.js';

type Table = {
  report: string;
  from: string;
  to: string;
  interval: string | null;
  columns: { key: string; label: string; type: string }[];
  rows: Record<string, string | null>[];
  chart: { kind: string; x: string; series: string[] } | null;
};

const APRIL = 'from=2026-04-01&to=2026-04-30';

/**
 * The reports over real flows: the demo operator's bill run on April 1st (with two accounts of
 * 71.40 each: two 30.00 fees and 19% VAT), a cash payment, a card collection of 80.00 with 8.60
 * refunded, and a credit note for a first line (-30.00 net, -5.70 VAT). The demo's own accounts
 * are billed too, so totals are checked against the invoices and payments tables.
 */
describe(`reports API (${DATABASE_LABEL})`, () => {
  let f: PaymentsFixture;
  beforeAll(async () => {
    f = await openPaymentsFixture();
    const first = await f.billedAccount('+4915200000301');
    const second = await f.billedAccount('+4915200000302');
    const cash = await f.call('POST', `/v1/accounts/${first.accountId}/payments`, {
      source: 'cash',
      amount: '71.40',
      currency: 'EUR',
    });
    expect(cash.statusCode).toBe(201);
    await f.call('POST', `/v1/accounts/${second.accountId}/payment-methods`, {
      token: 'tok_sandbox_success',
    });
    const card = await f.call('POST', `/v1/accounts/${second.accountId}/payment-collections`, {
      amount: '80.00',
    });
    expect(card.json()).toMatchObject({ status: 'succeeded' });
    const refund = await f.call(
      'POST',
      `/v1/payments/${card.json().id}/refunds`,
      { amount: '8.60' },
      f.headers.admin,
    );
    expect(refund.statusCode).toBe(201);
    const note = await f.call(
      'POST',
      `/v1/invoices/${first.invoiceId}/credit-notes`,
      { reason: 'goodwill', lines: [{ position: 1 }] },
      f.headers.admin,
    );
    expect(note.statusCode).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await f?.close();
  });

  async function report(name: string, query = APRIL): Promise<Table> {
    const response = await f.call('GET', `/v1/reports/${name}?${query}`);
    expect([name, response.statusCode]).toEqual([name, 200]);
    return response.json() as Table;
  }

  it('lists the reports with their parameters, without the cross-tenant ones', async () => {
    const response = await f.call('GET', '/v1/reports');
    expect(response.statusCode).toBe(200);
    const names = response.json().items.map((r: { name: string }) => r.name);
    expect(names).toEqual([
      'revenue',
      'revenue-by-service',
      'revenue-by-plan',
      'revenue-by-destination',
      'subscriptions',
      'taxes',
      'usage-by-hour',
      'usage-by-weekday',
      'top-destinations',
      'data-trend',
      'usage-by-source',
      'mediation',
      'rating-failures',
      'bill-runs',
      'dunning-funnel',
    ]);
    expect(response.json().items[0]).toMatchObject({ parameters: ['from', 'to', 'interval', 'currency'] });
  });

  /** Money as the API writes it, from a sum of micro-units. */
  const money = (micros: string | null | undefined) => (Number(BigInt(micros ?? '0')) / 1e6).toFixed(2);

  async function direct(query: string): Promise<Record<string, string | null>> {
    const { rows } = await f.database.executeSql(query, [f.tenantId]);
    return rows[0] as Record<string, string | null>;
  }

  it('reports billed, credited, tax and collected as the invoices and payments say', async () => {
    const invoices = await direct(`
      select count(*) filter (where kind = 'invoice')::text as invoices,
        sum(total_micros) filter (where kind = 'invoice')::text as billed,
        sum(total_micros) filter (where kind = 'credit_note')::text as credit_notes,
        sum(net_micros)::text as net, sum(tax_micros)::text as tax
      from invoices where tenant_id = $1 and status in ('finalized', 'paid') and issued_on between '2026-04-01' and '2026-04-30'`);
    const payments = await direct(`
      select (select sum(amount_micros) from payments where tenant_id = $1 and status = 'succeeded')
        - coalesce((select sum(amount_micros) from payment_reversals where tenant_id = $1 and status = 'succeeded'), 0)
        as collected`);
    const table = await report('revenue');
    expect(table).toMatchObject({
      report: 'revenue',
      from: '2026-04-01',
      to: '2026-04-30',
      interval: 'month',
    });
    expect(table.rows).toEqual([
      {
        period: '2026-04-01',
        currency: 'EUR',
        invoices: invoices.invoices,
        billed: money(invoices.billed),
        creditNotes: '-35.70',
        netBilled: money(invoices.net),
        tax: money(invoices.tax),
        collected: money(String(payments.collected)),
      },
    ]);
    expect(money(invoices.credit_notes)).toBe('-35.70');
    expect(table.chart).toEqual({ kind: 'bar', x: 'period', series: ['billed', 'collected'] });
    const byDay = await report('revenue', `${APRIL}&interval=day`);
    expect(byDay.rows.map((r) => [r.period, r.billed])).toEqual([['2026-04-01', money(invoices.billed)]]);
  });

  it('reports revenue by plan and taxes as the invoice lines say', async () => {
    const byPlan = await report('revenue-by-plan', `${APRIL}&currency=EUR`);
    const basic = byPlan.rows.find((r) => r.plan === 'basic');
    // Four 30.00 fees of the two basic lines, 19% VAT on each.
    expect([basic?.amount, basic?.tax]).toEqual(['120.00', '22.80']);
    expect(byPlan.rows.find((r) => r.plan === '(no plan)')?.amount).toBe('-30.00');
    const lines = await direct(`
      select sum(l.amount_micros)::text as amount from invoice_lines l join invoices i on i.id = l.invoice_id
      where i.tenant_id = $1 and i.status in ('finalized', 'paid')`);
    const total = byPlan.rows.reduce((sum, r) => sum + BigInt(r.amount!.replace('.', '')), 0n);
    expect(money(String(total * 10_000n))).toBe(money(lines.amount));
    const taxes = await report('taxes');
    const vat = await direct(`
      select sum((x->>'amountMicros')::int8)::text as tax from invoice_lines l
      join invoices i on i.id = l.invoice_id cross join lateral jsonb_array_elements(l.taxes) x
      where i.tenant_id = $1 and i.status in ('finalized', 'paid') and x->>'code' = 'DE-VAT'`);
    expect(taxes.rows.find((r) => r.code === 'DE-VAT')).toMatchObject({
      jurisdiction: 'DE',
      rate: '19',
      tax: money(vat.tax),
    });
  });

  it('reports subscriptions: new, active and MRR per period', async () => {
    const table = await report('subscriptions', 'from=2026-03-01&to=2026-04-30&currency=EUR');
    const march = table.rows.find((r) => r.period === '2026-03-01')!;
    const april = table.rows.find((r) => r.period === '2026-04-01')!;
    expect(Number(march.new)).toBeGreaterThanOrEqual(2);
    expect(april.new).toBe('0');
    expect(april.active).toBe(march.active);
    expect(Number(march.mrr)).toBeGreaterThanOrEqual(60);
    expect(april.arpu).not.toBeNull();
  });

  it('answers every report, on empty ranges too', async () => {
    const names = (await f.call('GET', '/v1/reports')).json().items.map((r: { name: string }) => r.name);
    for (const name of names) {
      const table = await report(name, 'from=2026-01-01&to=2026-12-31&interval=week');
      for (const row of table.rows)
        expect(Object.keys(row).sort()).toEqual(table.columns.map((c) => c.key).sort());
      const defaults = await f.call('GET', `/v1/reports/${name}`);
      expect([name, defaults.statusCode]).toEqual([name, 200]);
    }
  });

  it('answers CSV that parses back to the table', async () => {
    const json = await report('revenue-by-plan');
    const response = await f.call('GET', `/v1/reports/revenue-by-plan?${APRIL}&format=csv`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="tollgate-revenue-by-plan-2026-04-01-2026-04-30.csv"',
    );
    const records = parseCsv(response.body);
    expect(records[0]).toEqual(json.columns.map((c) => c.label));
    expect(records.slice(1)).toEqual(json.rows.map((row) => json.columns.map((c) => row[c.key] ?? '')));
  });

  it('answers 404 for an unknown report and 400 naming a bad parameter', async () => {
    const unknown = await f.call('GET', '/v1/reports/no-such-report');
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'not_found']);
    const badDate = await f.call('GET', '/v1/reports/revenue?from=2026-02-30');
    expect([badDate.statusCode, badDate.json().code]).toEqual([400, 'validation_failed']);
    expect(badDate.json().errors).toEqual([
      { field: 'querystring:/from', message: 'must be a date, YYYY-MM-DD' },
    ]);
    const backwards = await f.call('GET', '/v1/reports/revenue?from=2026-05-01&to=2026-04-01');
    expect(backwards.json().errors.map((e: { field: string }) => e.field)).toEqual(['querystring:/to']);
    const interval = await f.call('GET', '/v1/reports/revenue?interval=year');
    expect(interval.json().errors.map((e: { field: string }) => e.field)).toEqual(['querystring:/interval']);
    const currency = await f.call('GET', '/v1/reports/revenue?currency=euro');
    expect(currency.json().errors.map((e: { field: string }) => e.field)).toEqual(['querystring:/currency']);
  });
});
