import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/create-database.js';
import type { Database } from '../../src/db/database-schema.js';
import { migrateDatabase } from '../../src/db/migrate-database.js';
import { type CliDatabase, openCliDatabase } from '../cli-database.js';
import { parseCsv } from '../parse-csv.js';
import { DATABASE_LABEL } from '../test-database.js';

const VAT = (amountMicros: bigint) =>
  JSON.stringify([{ code: 'DE-VAT', name: 'USt', ratePercent: '19', amountMicros: String(amountMicros) }]);

/**
 * A tenant built by hand in Berlin: invoice 1 (10.00 fee + 5.00 calls, 2.85 VAT) issued May 3rd,
 * invoice 2 (20.00 fee, 3.80 VAT) issued May 20th, invoice 3 finalised then voided, a credit note
 * of invoice 2 (-5.00, -0.95 VAT) issued June 2nd, a cash payment of 17.85 that succeeded at
 * 22:30 UTC on May 10th (May 11th in Berlin) and 2.00 of it refunded on June 1st. The reports,
 * run through the real CLI, give the figures worked out by hand.
 */
describe(`report figures through the CLI (${DATABASE_LABEL})`, () => {
  let cli: CliDatabase;
  beforeAll(async () => {
    cli = await openCliDatabase('reports');
    const handle = await createDatabase(cli.options);
    try {
      const migrated = await migrateDatabase(handle.db);
      if (migrated.error !== undefined) throw migrated.error;
      await buildTenant(handle.db);
    } finally {
      await handle.close();
    }
  }, 120_000);
  afterAll(async () => {
    await cli?.drop();
  });

  it('lists the reports, the cross-tenant one included', async () => {
    const run = await cli.cli(['report', 'list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^revenue\s+from,to,interval,currency\s+Revenue billed and collected$/m);
    expect(run.stdout).toMatch(/^usage-by-tenant\s.*\(all tenants\)$/m);
  }, 60_000);

  it('reports revenue per month exactly, as JSON', async () => {
    const run = await cli.cli([
      'report',
      'revenue',
      '--from',
      '2026-05-01',
      '--to',
      '2026-06-30',
      '--format',
      'json',
    ]);
    expect(run.stderr).toBe('');
    const table = JSON.parse(run.stdout);
    expect(table.rows).toEqual([
      {
        period: '2026-05-01',
        currency: 'EUR',
        invoices: '2',
        billed: '41.65',
        creditNotes: '0.00',
        netBilled: '35.00',
        tax: '6.65',
        collected: '17.85',
      },
      {
        period: '2026-06-01',
        currency: 'EUR',
        invoices: '0',
        billed: '0.00',
        creditNotes: '-5.95',
        netBilled: '-5.00',
        tax: '-0.95',
        collected: '-2.00',
      },
    ]);
  }, 60_000);

  it("counts a payment on the tenant's local day, and writes CSV to a file", async () => {
    const output = join(cli.work, 'revenue.csv');
    const run = await cli.cli([
      'report',
      'revenue',
      '--from',
      '2026-05-01',
      '--to',
      '2026-05-31',
      '--interval',
      'day',
      '--format',
      'csv',
      '--output',
      output,
    ]);
    expect(run.code).toBe(0);
    const records = parseCsv(await readFile(output, 'utf8'));
    expect(records[0]).toEqual([
      'Period',
      'Currency',
      'Invoices',
      'Billed',
      'Credit notes',
      'Net billed',
      'Tax',
      'Collected',
    ]);
    expect(records.slice(1).map((r) => [r[0], r[3], r[7]])).toEqual([
      ['2026-05-03', '17.85', '0.00'],
      ['2026-05-11', '0.00', '17.85'],
      ['2026-05-20', '23.80', '0.00'],
    ]);
  }, 60_000);

  it('reports taxes and revenue by service as a table', async () => {
    const taxes = await cli.cli([
      'report',
      'taxes',
      '--from',
      '2026-05-01',
      '--to',
      '2026-06-30',
      '--format',
      'json',
    ]);
    expect(JSON.parse(taxes.stdout).rows).toEqual([
      {
        jurisdiction: 'DE',
        code: 'DE-VAT',
        name: 'USt',
        rate: '19',
        currency: 'EUR',
        base: '30.00',
        tax: '5.70',
      },
    ]);
    const services = await cli.cli([
      'report',
      'revenue-by-service',
      '--from',
      '2026-05-01',
      '--to',
      '2026-06-30',
    ]);
    expect(services.code).toBe(0);
    const lines = services.stdout.split('\n');
    expect(lines[0]).toBe('Revenue by service, 2026-05-01 to 2026-06-30');
    expect(lines.slice(2)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^recurring\s+EUR\s+2\s+30\.00\s+5\.70$/),
        expect.stringMatching(/^usage\s+call\s+EUR\s+1\s+5\.00\s+0\.95$/),
        expect.stringMatching(/^adjustment\s+EUR\s+1\s+-5\.00\s+-0\.95$/),
      ]),
    );
  }, 60_000);

  it('refuses a bad date and an unknown report with the usage exit code', async () => {
    const bad = await cli.cli(['report', 'revenue', '--from', '2026-13-01']);
    expect([bad.code, bad.stderr.trim()]).toEqual([2, '--from: must be a date, YYYY-MM-DD']);
    const unknown = await cli.cli(['report', 'nothing']);
    expect(unknown.code).toBe(2);
  }, 60_000);
});

async function buildTenant(db: Kysely<Database>): Promise<void> {
  const tenant = await db
    .insertInto('tenants')
    .values({
      name: 'Hand Telecom',
      slug: 'hand-telecom',
      default_currency: 'EUR',
      time_zone: 'Europe/Berlin',
      language: 'de',
      country_code: '49',
      international_prefix: '00',
      trunk_prefix: '0',
      parent_tenant_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const t = tenant.id;
  const customer = await sql<{ id: string }>`
    insert into customers (tenant_id, kind, display_name, language, status)
    values (${t}, 'person', 'Erika Muster', 'de', 'active') returning id`.execute(db);
  const account = await sql<{ id: string }>`
    insert into accounts (tenant_id, customer_id, account_number, kind, currency, time_zone, bill_cycle_day,
      payment_terms_days, status)
    values (${t}, ${customer.rows[0]!.id}, 'A-000001', 'postpaid', 'EUR', 'Europe/Berlin', 1, 14, 'active')
    returning id`.execute(db);
  const a = account.rows[0]!.id;

  const invoice = async (
    sequence: number,
    issuedOn: string,
    lines: readonly { kind: string; service: string | null; amount: bigint; tax: bigint }[],
  ) => {
    const id = randomUUID();
    const net = lines.reduce((s, l) => s + l.amount, 0n);
    const tax = lines.reduce((s, l) => s + l.tax, 0n);
    await db.transaction().execute(async (trx) => {
      await sql`
        insert into invoices (id, tenant_id, account_id, kind, status, series, currency, language, period_from_day,
          period_to_day, net_micros, tax_micros, total_micros, document)
        values (${id}, ${t}, ${a}, 'invoice', 'draft', 'INV', 'EUR', 'de', ${20_500 + sequence}, ${20_530 + sequence},
          ${net}, ${tax}, ${net + tax}, '{}')`.execute(trx);
      for (const [index, line] of lines.entries())
        await sql`
          insert into invoice_lines (tenant_id, account_id, invoice_id, position, kind, label, service, tax_category,
            amount_micros, tax_micros, taxes)
          values (${t}, ${a}, ${id}, ${index + 1}, ${line.kind}, 'line', ${line.service}, 'recurring', ${line.amount},
            ${line.tax}, ${VAT(line.tax)}::jsonb)`.execute(trx);
    });
    // Finalised in a later transaction, as finalize-invoice does with a draft.
    await sql`
      update invoices set status = 'finalized', sequence = ${sequence}, number = ${`INV-${sequence}`},
        issued_on = ${issuedOn}, finalized_at = ${`${issuedOn}T10:00:00Z`}::timestamptz
      where id = ${id}`.execute(db);
    return id;
  };
  await invoice(1, '2026-05-03', [
    { kind: 'recurring', service: null, amount: 10_000_000n, tax: 1_900_000n },
    { kind: 'usage', service: 'call', amount: 5_000_000n, tax: 950_000n },
  ]);
  const second = await invoice(2, '2026-05-20', [
    { kind: 'recurring', service: null, amount: 20_000_000n, tax: 3_800_000n },
  ]);
  const voided = await invoice(3, '2026-05-25', [
    { kind: 'recurring', service: null, amount: 7_000_000n, tax: 1_330_000n },
  ]);
  await sql`update invoices set status = 'void', voided_at = now(), void_reason = 'wrong' where id = ${voided}`.execute(
    db,
  );

  // A credit note is inserted finalised, its lines after it, in one transaction.
  await db.transaction().execute(async (trx) => {
    const id = randomUUID();
    await sql`
      insert into invoices (id, tenant_id, account_id, kind, status, series, sequence, number, currency, language,
        net_micros, tax_micros, total_micros, credits_invoice_id, document, issued_on, finalized_at)
      values (${id}, ${t}, ${a}, 'credit_note', 'finalized', 'CN', 1, 'CN-1', 'EUR', 'de', -5000000, -950000, -5950000,
        ${second}, '{}', '2026-06-02', '2026-06-02T09:00:00Z')`.execute(trx);
    await sql`
      insert into invoice_lines (tenant_id, account_id, invoice_id, position, kind, label, tax_category, amount_micros,
        tax_micros, taxes)
      values (${t}, ${a}, ${id}, 1, 'adjustment', 'credit', 'recurring', -5000000, -950000, ${VAT(-950_000n)}::jsonb)`.execute(
      trx,
    );
  });

  const payment = await sql<{ id: string }>`
    insert into payments (tenant_id, account_id, source, purpose, amount_micros, currency, status, idempotency_key,
      request_hash, created_at)
    values (${t}, ${a}, 'cash', 'payment', 17850000, 'EUR', 'pending', 'pay-1', 'hash', '2026-05-10T20:00:00Z')
    returning id`.execute(db);
  await sql`
    update payments set status = 'succeeded', received_at = '2026-05-10T22:30:00Z', updated_at = now()
    where id = ${payment.rows[0]!.id}`.execute(db);
  await sql`
    insert into payment_reversals (tenant_id, account_id, payment_id, kind, amount_micros, status, idempotency_key,
      created_at, completed_at)
    values (${t}, ${a}, ${payment.rows[0]!.id}, 'refund', 2000000, 'succeeded', 'refund-1', '2026-06-01T08:00:00Z',
      '2026-06-01T08:00:00Z')`.execute(db);
}
