import { type Kysely, sql } from 'kysely';
import { createPlan } from '../catalog/create-plan.js';
import type { Database } from '../db/database-schema.js';
import { migrateDatabase } from '../db/migrate-database.js';
import { saveUsageSource } from '../mediation/save-usage-source.js';
import { seedDemo } from '../seed/seed-demo.js';
import { benchUuid, insertLines, n } from './bench-seed-rows.js';
import { insertPostpaidAccounts } from './ingest-seed.js';

export interface ReportsSeedOptions {
  readonly subscribers: number;
  /** Destination groups per service in the tariff. */
  readonly destinations: number;
}

export interface ReportsFixture {
  readonly tenantId: string;
  readonly sourceIds: readonly string[];
  readonly tariffVersionId: string;
  /** Rows seeded per table. */
  readonly rows: Readonly<Record<string, number>>;
}

const ACTOR = { type: 'system', id: 'bench' } as const;
/** The year the summaries cover: 2025, local days of Europe/Berlin. */
const YEAR_FROM = '2025-01-01';
export const PLANS = [
  { code: 'bench-s', name: 'Mobile S', fee: '9.99' },
  { code: 'bench-m', name: 'Mobile M', fee: '19.99' },
  { code: 'bench-l', name: 'Mobile L', fee: '39.99' },
] as const;
const SERVICES = ['call', 'sms', 'data', 'mms'] as const;
const SOURCES = ['switch-a', 'switch-b', 'pgw'] as const;

/**
 * What a year of usage and billing of `subscribers` lines leaves in the summary tables, written
 * straight by generate_series (a year of raw usage is out of reach here), beside the operational
 * tables the small reports read as they are: the lines themselves (subscriptions report), a
 * year of usage files, suspended records, bill runs with their accounts and dunning cases.
 */
export async function seedReportsData(
  db: Kysely<Database>,
  options: ReportsSeedOptions,
  now: Date,
): Promise<ReportsFixture> {
  const migrated = await migrateDatabase(db);
  if (migrated.error !== undefined) throw migrated.error;
  const demo = await seedDemo(db, now);
  if (demo === null) throw new Error('the bench database was not empty');
  const t = demo.tenantId;
  const tariff = await db
    .selectFrom('tariff_versions')
    .select(['id', 'tariff_id'])
    .where('tenant_id', '=', t)
    .executeTakeFirstOrThrow();
  const planIds: string[] = [];
  for (const plan of PLANS) {
    const created = await createPlan(
      db,
      t,
      ACTOR,
      {
        code: plan.code,
        name: plan.name,
        kind: 'base',
        recurringFee: plan.fee,
        feePeriod: 'month',
        tariffId: tariff.tariff_id,
        effectiveFrom: '2024-01-01T00:00:00+01:00',
      },
      now,
    );
    if (!created.ok) throw new Error(`plan ${plan.code}: ${JSON.stringify(created)}`);
    planIds.push(created.plan.id);
  }
  const sourceIds: string[] = [];
  for (const name of SOURCES) {
    const saved = await saveUsageSource(db, t, ACTOR, { name, profile: { format: 'jsonl' } });
    if (!saved.ok) throw new Error(saved.message);
    sourceIds.push(saved.source.id);
  }
  const counter = await db
    .selectFrom('account_number_counters')
    .select('last_value')
    .where('tenant_id', '=', t)
    .executeTakeFirstOrThrow();
  const base = Number(counter.last_value);
  const chunk = 20_000;
  for (let lo = 1; lo <= options.subscribers; lo += chunk) {
    const hi = Math.min(options.subscribers, lo + chunk - 1);
    await insertPostpaidAccounts(db, { tenantId: t, base, lo, hi, at: '2024-06-01T00:00:00Z' });
    // A third of the accounts on each plan, in contiguous ranges.
    const third = Math.ceil((hi - lo + 1) / planIds.length);
    for (const [index, planId] of planIds.entries()) {
      const from = lo + index * third;
      const to = Math.min(hi, from + third - 1);
      if (from > to) continue;
      await insertLines(db, {
        tenantId: t,
        planId,
        lo: from,
        hi: to,
        key: 'r',
        account: n,
        msisdn: sql`'+49172' || lpad(n::text, 7, '0')`,
        startsAt: '2024-06-01T00:00:00Z',
      });
    }
  }
  // Starts spread over two years, and 18% of the lines ending in the reported year.
  const starts = sql`'2024-01-01T00:00:00Z'::timestamptz + (('x' || substr(md5(id::text), 1, 8))::bit(32)::int8 % 730) * interval '1 day'`;
  const ends = sql`'2025-01-01T00:00:00Z'::timestamptz + (('x' || substr(md5(id::text), 17, 8))::bit(32)::int8 % 365) * interval '1 day'`;
  await sql`
    update subscriptions set starts_at = ${starts},
      ends_at = case when ('x' || substr(md5(id::text), 9, 8))::bit(32)::int8 % 100 < 18 then greatest(${starts}, ${ends}) end,
      status = case when ('x' || substr(md5(id::text), 9, 8))::bit(32)::int8 % 100 < 18 then 'terminated' else 'active' end
    where tenant_id = ${t}::uuid and plan_id = any(${planIds}::uuid[])`.execute(db);

  const rows: Record<string, number> = {};
  const count = async (table: string) => {
    const { rows: r } = await sql<{ n: string }>`select count(*)::text as n from ${sql.table(table)}`.execute(
      db,
    );
    rows[table] = Number(r[0]!.n);
  };
  const days = sql`generate_series(${YEAR_FROM}::date, (${YEAR_FROM}::date + interval '1 year' - interval '1 day')::date, interval '1 day') as d(day)`;
  const months = sql`generate_series(${YEAR_FROM}::date, (${YEAR_FROM}::date + interval '11 months')::date, interval '1 month') as m(month)`;
  const services = sql`unnest(${[...SERVICES]}::text[]) with ordinality as sv(service, si)`;
  const unit = sql`(array['seconds','messages','bytes','messages'])[si]`;
  const subs = options.subscribers;
  // Per subscriber and day: 6 calls of 120 s, 4 SMS, 20 data sessions of 15 MB, 0.1 MMS.
  const perDay = sql`(array[6.0, 4.0, 20.0, 0.1])[si] * ${subs}::numeric`;
  const unitsPer = sql`(array[120, 1, 15000000, 1])[si]::numeric`;
  const pricePer = sql`(array[9000, 9000, 15000, 39000])[si]::numeric`;
  await sql`
    insert into report_usage_daily (tenant_id, day, service, source_id, plan_id, currency, unit, events, units,
      charged_micros, list_micros, folded)
    select ${t}::uuid, d.day::date, sv.service, src.id, p.id, 'EUR', ${unit},
      round(${perDay} / 9)::int8, round(${perDay} / 9 * ${unitsPer})::int8, round(${perDay} / 9 * ${pricePer} * 0.4)::int8,
      round(${perDay} / 9 * ${pricePer})::int8, true
    from ${days} cross join ${services} cross join unnest(${sourceIds}::uuid[]) as src(id)
      cross join unnest(${planIds}::uuid[]) as p(id)`.execute(db);
  await count('report_usage_daily');
  await sql`
    insert into report_usage_hourly (tenant_id, month, weekday, hour, service, currency, unit, events, units,
      charged_micros, folded)
    select ${t}::uuid, m.month::date, w.weekday, h.hour, sv.service, 'EUR', ${unit},
      round(${perDay} * 30 / 168 * (1 + sin(h.hour / 24.0 * pi())))::int8,
      round(${perDay} * 30 / 168 * (1 + sin(h.hour / 24.0 * pi())) * ${unitsPer})::int8,
      round(${perDay} * 30 / 168 * (1 + sin(h.hour / 24.0 * pi())) * ${pricePer} * 0.4)::int8, true
    from ${months} cross join generate_series(1, 7) as w(weekday) cross join generate_series(0, 23) as h(hour)
      cross join ${services}`.execute(db);
  await count('report_usage_hourly');
  await sql`
    insert into report_usage_destinations (tenant_id, month, service, destination, currency, unit, events, units,
      charged_micros, list_micros, folded)
    select ${t}::uuid, m.month::date, sv.service, 'DST_' || lpad(g.k::text, 4, '0'), 'EUR', ${unit},
      greatest(1, round(${perDay} * 30 / g.k / 7))::int8, greatest(1, round(${perDay} * 30 / g.k / 7 * ${unitsPer}))::int8,
      round(${perDay} * 30 / g.k / 7 * ${pricePer} * 0.4)::int8, round(${perDay} * 30 / g.k / 7 * ${pricePer})::int8, true
    from ${months} cross join ${services} cross join generate_series(1, ${options.destinations}::int) as g(k)`.execute(
    db,
  );
  await count('report_usage_destinations');

  // Billing: accounts on every cycle day 1..28, an invoice a month each, 1% credited.
  const perDayInvoices = sql`(${subs}::numeric / 28)`;
  await sql`
    insert into report_invoice_daily (tenant_id, day, currency, kind, documents, net_micros, tax_micros, total_micros, folded)
    select ${t}::uuid, d.day::date, 'EUR', k.kind, round(${perDayInvoices} * k.share)::int8,
      round(${perDayInvoices} * k.share * k.net)::int8, round(${perDayInvoices} * k.share * k.net * 0.19)::int8,
      round(${perDayInvoices} * k.share * k.net * 1.19)::int8, true
    from ${days}
    cross join (values ('invoice', 1.0, 31000000), ('credit_note', 0.01, -8000000)) as k(kind, share, net)
    where extract(day from d.day) <= 28`.execute(db);
  await count('report_invoice_daily');
  await sql`
    insert into report_revenue_daily (tenant_id, day, currency, kind, line_kind, service, plan_id, lines,
      amount_micros, tax_micros, folded)
    select ${t}::uuid, d.day::date, 'EUR', 'invoice', l.kind, l.service, p.id, round(${perDayInvoices} / 3 * l.share)::int8,
      round(${perDayInvoices} / 3 * l.amount)::int8, round(${perDayInvoices} / 3 * l.amount * 0.19)::int8, true
    from ${days} cross join unnest(${planIds}::uuid[]) as p(id)
    cross join (values ('recurring', '', 1.0, 19990000), ('usage', 'call', 0.8, 6000000), ('usage', 'sms', 0.5, 900000),
      ('usage', 'data', 0.6, 4000000), ('one_time', '', 0.02, 500000)) as l(kind, service, share, amount)
    where extract(day from d.day) <= 28`.execute(db);
  await count('report_revenue_daily');
  await sql`
    insert into report_tax_daily (tenant_id, day, currency, code, name, rate_percent, lines, base_micros, tax_micros, folded)
    select ${t}::uuid, d.day::date, 'EUR', 'DE-VAT', 'USt', '19', round(${perDayInvoices} * 3)::int8,
      round(${perDayInvoices} * 31000000)::int8, round(${perDayInvoices} * 31000000 * 0.19)::int8, true
    from ${days} where extract(day from d.day) <= 28`.execute(db);
  await count('report_tax_daily');
  await sql`
    insert into report_payments_daily (tenant_id, day, currency, source, payments, received_micros, refunded_micros,
      charged_back_micros, folded)
    select ${t}::uuid, d.day::date, 'EUR', s.source, round(${subs}::numeric / 365 * 12 * s.share)::int8,
      round(${subs}::numeric / 365 * 12 * s.share * 36890000)::int8, round(${subs}::numeric / 365 * s.share * 100000)::int8,
      round(${subs}::numeric / 365 * s.share * 20000)::int8, true
    from ${days} cross join (values ('gateway', 0.7), ('bank_transfer', 0.25), ('cash', 0.05)) as s(source, share)`.execute(
    db,
  );
  await count('report_payments_daily');

  // Operations: 24 files a day per source, 0.1% of records suspended, a bill run a day.
  await sql`
    insert into usage_files (tenant_id, source_id, file_name, content_sha256, size_bytes, status, records_read,
      records_loaded, records_duplicate, records_suspended, records_skipped, started_at, updated_at, finished_at)
    select ${t}::uuid, src.id, 'cdr-' || d.day::date || '-' || h.hour || '.csv', md5(src.id::text || d.day || h.hour) || md5(d.day::text),
      50000000, 'done', 400000, 399000, 600, 400, 0, d.day + h.hour * interval '1 hour', now(), d.day + h.hour * interval '1 hour' + interval '2 minutes'
    from ${days} cross join generate_series(0, 23) as h(hour) cross join unnest(${sourceIds}::uuid[]) as src(id)`.execute(
    db,
  );
  await count('usage_files');
  await sql`
    insert into suspended_records (tenant_id, source_id, record_key, raw, original_raw, reason, message, status, created_at, updated_at)
    select ${t}::uuid, ${sourceIds[0]!}::uuid, 'sus-' || g.k, 'raw', 'raw',
      (array['unknown_subscriber', 'no_rate', 'invalid_field', 'out_of_window', 'barred_line'])[1 + g.k % 5], 'suspended',
      (array['open', 'resolved', 'discarded'])[1 + g.k % 3], ${YEAR_FROM}::timestamptz + (g.k % 525600) * interval '1 minute', now()
    from generate_series(1, 100000) as g(k)`.execute(db);
  await count('suspended_records');
  await sql`
    insert into bill_runs (id, tenant_id, as_of, dry_run, finalize, status, accounts_total, actor_type, actor_id, created_at, finished_at)
    select ${benchUuid('run', sql`g.k`)}, ${t}::uuid, ${YEAR_FROM}::timestamptz + g.k * interval '1 day', false, true, 'done',
      ${Math.round(subs / 28)}, 'system', 'bench', ${YEAR_FROM}::timestamptz + g.k * interval '1 day' + interval '1 hour',
      ${YEAR_FROM}::timestamptz + g.k * interval '1 day' + interval '2 hours'
    from generate_series(0, 364) as g(k) where extract(day from ${YEAR_FROM}::date + g.k) <= 28`.execute(db);
  await count('bill_runs');
  await sql`
    insert into bill_run_accounts (bill_run_id, account_id, tenant_id, status, attempts)
    select r.id, ${benchUuid('a', n)}, ${t}::uuid, case when n % 200 = 0 then 'parked' when n % 50 = 0 then 'skipped' else 'invoiced' end, 1
    from bill_runs r cross join generate_series(1, ${subs}::int) as g(n)
    where r.tenant_id = ${t}::uuid and n % 28 = extract(day from r.as_of)::int % 28`.execute(db);
  await count('bill_run_accounts');
  const policy = await sql<{ id: string }>`
    insert into dunning_policies (tenant_id, customer_group, name, steps)
    values (${t}::uuid, 'bench', 'Bench', '[]'::jsonb)
    on conflict (tenant_id, customer_group) do update set name = excluded.name returning id`.execute(db);
  await sql`
    insert into dunning_cases (tenant_id, account_id, policy_id, anchor_due_on, status, steps_done, opened_at, closed_at)
    select ${t}::uuid, ${benchUuid('a', n)}, ${policy.rows[0]!.id}::uuid, '2025-01-01',
      case when n % 5 = 0 then 'written_off' when n % 4 = 0 then 'open' else 'resolved' end, n % 4,
      ${YEAR_FROM}::timestamptz + (n % 365) * interval '1 day', case when n % 4 = 0 and n % 5 <> 0 then null else now() end
    from generate_series(1, ${Math.round(subs / 10)}::int) as g(n)`.execute(db);
  await count('dunning_cases');
  await count('subscriptions');
  // A year-old database has been vacuumed and analysed by autovacuum; a fresh seed has not.
  await sql`vacuum analyze`.execute(db);
  return { tenantId: t, sourceIds, tariffVersionId: tariff.id, rows };
}
