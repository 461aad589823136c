import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { createDatabase } from '../db/create-database.js';
import type { Database } from '../db/database-schema.js';
import { foldReportSummaries } from '../reports/fold-report-summaries.js';
import { listReports } from '../reports/report-catalogue.js';
import { scopeOf } from '../reports/report-parameters.js';
import { runReport } from '../reports/run-report.js';
import { envInt } from './env-int.js';
import { seedReportsData } from './reports-seed.js';
import type { Figure, Workload, WorkloadReport } from './workload.js';

export const reportsWorkload: Workload = {
  name: 'reports',
  description:
    'Every named report over a year of summaries for 100,000 subscribers on PGlite (median and slowest of 10 runs), ' +
    'and what the summary trigger adds to inserting rated usage in batches of 1,000',
  run: runReportsWorkload,
};

const RUNS = 10;
const TARGET_MS = 1000;
const BATCH_ROWS = 1_000;

async function runReportsWorkload(): Promise<WorkloadReport> {
  const subscribers = envInt('BENCH_REPORT_SUBSCRIBERS', 100_000);
  const usageRows = envInt('BENCH_REPORT_USAGE_ROWS', 100_000);
  const destinations = 250;
  const dataDir = await mkdtemp(join(tmpdir(), 'tollgate-bench-reports-'));
  const handle = await createDatabase({ dataDir });
  try {
    const seedStarted = performance.now();
    const fixture = await seedReportsData(
      handle.db,
      { subscribers, destinations },
      new Date('2026-01-05T00:00:00Z'),
    );
    const seedMs = performance.now() - seedStarted;
    const figures: Figure[] = [];
    for (const report of listReports({ acrossTenants: true })) {
      const scoped = scopeOf(
        report,
        { from: '2025-01-01', to: '2025-12-31', interval: 'month' },
        report.acrossTenants === true ? null : fixture.tenantId,
        '2026-01-05',
      );
      if (!scoped.ok) throw new Error(`${report.name}: ${JSON.stringify(scoped.errors)}`);
      const timings: number[] = [];
      let rows = 0;
      for (let run = 0; run < RUNS + 1; run++) {
        const started = performance.now();
        const table = await runReport(handle.db, report, scoped.scope, new Date());
        const ms = performance.now() - started;
        rows = table.rows.length;
        if (run > 0) timings.push(ms);
      }
      const { median, max } = stats(timings);
      figures.push({
        kind: 'performance',
        name: `${report.name} (${rows} rows): median / slowest`,
        value: `${median.toFixed(1)} ms / ${max.toFixed(1)} ms`,
        target: `< ${TARGET_MS} ms`,
        pass: max < TARGET_MS,
      });
    }
    const trigger = await measureTrigger(handle.db, fixture, usageRows);
    figures.push(
      {
        kind: 'info',
        name: `insert ${usageRows.toLocaleString('en')} rated_usage rows in batches of ${BATCH_ROWS}: without the summary trigger`,
        value: `${trigger.withoutMs.toFixed(0)} ms (${Math.round((usageRows / trigger.withoutMs) * 1000).toLocaleString('en')} rows/s)`,
      },
      {
        kind: 'performance',
        name: 'the same with the summary trigger (appends deltas to three summaries)',
        value: `${trigger.withMs.toFixed(0)} ms (${Math.round((usageRows / trigger.withMs) * 1000).toLocaleString('en')} rows/s), ${(trigger.withMs / trigger.withoutMs).toFixed(2)}x`,
        target: '<= 1.5x',
        pass: trigger.withMs / trigger.withoutMs <= 1.5,
      },
      {
        kind: 'info',
        name: 'delta rows the trigger appended, then folded by one fold',
        value: `${trigger.deltaRows.toLocaleString('en')} rows in ${trigger.foldMs.toFixed(0)} ms`,
      },
      {
        kind: 'check',
        name: 'summaries after the inserts and the fold equal rated_usage aggregated straight',
        value: trigger.consistent ? 'equal' : 'DIFFERENT',
        pass: trigger.consistent,
      },
    );
    return {
      parameters: [
        [
          'subscribers',
          `${subscribers.toLocaleString('en')} postpaid lines, a third on each of 3 plans (9.99, 19.99, 39.99 a month), starts spread over 2024-2025, 18% ended in 2025`,
        ],
        [
          'usage',
          'per line and day: 6 calls of 120 s, 4 SMS, 20 data sessions of 15 MB, 0.1 MMS; 4 services, 3 sources, 3 plans, EUR; 250 destination groups per service with a 1/k popularity',
        ],
        [
          'billing',
          'an invoice a month per account on cycle days 1-28 with recurring, usage and one-time lines, 1% credited, German VAT; payments by gateway, transfer and cash',
        ],
        [
          'operations',
          '24 usage files a day per source, 100,000 suspended records, a bill run per cycle day with its accounts, dunning cases for 10% of the accounts',
        ],
        [
          'rows seeded',
          Object.entries(fixture.rows)
            .map(([table, count]) => `${table} ${count.toLocaleString('en')}`)
            .join(', '),
        ],
        ['seeding', `${(seedMs / 1000).toFixed(1)} s (summaries written straight by generate_series)`],
        [
          'reports',
          `year 2025 (from 2025-01-01 to 2025-12-31, interval month); one warm-up run, then ${RUNS} timed runs each through runReport (fold, query, formatting)`,
        ],
        [
          'trigger',
          `${usageRows.toLocaleString('en')} rated_usage rows from 2025-06-02 in multi-row INSERT ... SELECT batches of ${BATCH_ROWS} (in time order, 10 s apart: a batch covers 2.8 hours, 3 services, 3 sources, 250 destination groups), first with the trigger disabled, then enabled (other rows, same shape)`,
        ],
      ],
      figures,
      phases: [],
      notes: [
        'PGlite (embedded PostgreSQL 17 in WASM) in a temporary data folder, one connection; the bench process and the database share the two cores.',
        'Summary rows are written folded, as a fold leaves them, and the seeded database is vacuumed and analysed, as autovacuum would have left a year-old one; a report first folds pending deltas (none here but its own first run), so the times include that check.',
        'subscriptions reads the lines themselves (100,000 rows), mediation, rating-failures, bill-runs and dunning-funnel their own operational tables by their (tenant_id, time) indexes; the other reports read only summaries.',
      ],
    };
  } finally {
    await handle.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function measureTrigger(
  db: Kysely<Database>,
  fixture: { tenantId: string; sourceIds: readonly string[]; tariffVersionId: string },
  rows: number,
): Promise<{ withoutMs: number; withMs: number; deltaRows: number; foldMs: number; consistent: boolean }> {
  const lines = await db
    .selectFrom('subscriptions')
    .select(['id', 'account_id'])
    .where('tenant_id', '=', fixture.tenantId)
    .orderBy('id')
    .limit(1000)
    .execute();
  const subscriptionIds = lines.map((l) => l.id);
  const accountIds = lines.map((l) => l.account_id);
  const insertBatches = async (key: string) => {
    const started = performance.now();
    for (let lo = 0; lo < rows; lo += BATCH_ROWS) {
      await sql`
        insert into rated_usage (tenant_id, account_id, subscription_id, source_id, record_key, entry, started_at, service,
          direction, subscriber, destination, unit, units, currency, list_micros, allowance_units, charged_micros,
          debited_micros, settlement, tariff_version_id, explanation)
        select ${fixture.tenantId}::uuid, (${accountIds}::uuid[])[1 + k % ${lines.length}],
          (${subscriptionIds}::uuid[])[1 + k % ${lines.length}], (${fixture.sourceIds}::uuid[])[1 + k % 3], ${key} || k,
          'charge', '2025-06-02T00:00:00Z'::timestamptz + k * interval '10 seconds',
          (array['call','sms','data'])[1 + k % 3], 'outgoing', '+4917200000001', '+4930' || k % 1000000,
          (array['seconds','messages','bytes'])[1 + k % 3], 60 + k % 600, 'EUR', 90000 + k % 7, 0, 90000 + k % 7, 0,
          'accrued', ${fixture.tariffVersionId}::uuid,
          jsonb_build_object('destinationId', 'DST_' || lpad((1 + k % 250)::text, 4, '0'))
        from generate_series(${lo}::int, ${Math.min(rows, lo + BATCH_ROWS) - 1}::int) as g(k)`.execute(db);
    }
    return performance.now() - started;
  };
  await sql`alter table rated_usage disable trigger rated_usage_report_summaries`.execute(db);
  const withoutMs = await insertBatches('plain-');
  await sql`alter table rated_usage enable trigger rated_usage_report_summaries`.execute(db);
  const before = await summaryTotals(db, fixture.tenantId);
  const withMs = await insertBatches('summarised-');
  const pending = await sql<{ n: string }>`
    select ((select count(*) from report_usage_daily where not folded)
      + (select count(*) from report_usage_hourly where not folded)
      + (select count(*) from report_usage_destinations where not folded))::text as n`.execute(db);
  const foldStarted = performance.now();
  await foldReportSummaries(db);
  const foldMs = performance.now() - foldStarted;
  const after = await summaryTotals(db, fixture.tenantId);
  const direct = await sql<{ events: string; units: string; charged: string }>`
    select count(*)::text as events, sum(units)::text as units, sum(charged_micros)::text as charged
    from rated_usage where tenant_id = ${fixture.tenantId}::uuid and record_key like 'summarised-%'`.execute(
    db,
  );
  const d = direct.rows[0]!;
  // What every summary gained is exactly what the summarised rows hold.
  const consistent = after.every(
    (total, i) =>
      total.events - before[i]!.events === BigInt(d.events) &&
      total.units - before[i]!.units === BigInt(d.units) &&
      total.charged - before[i]!.charged === BigInt(d.charged),
  );
  return { withoutMs, withMs, deltaRows: Number(pending.rows[0]!.n), foldMs, consistent };
}

async function summaryTotals(
  db: Kysely<Database>,
  tenantId: string,
): Promise<{ events: bigint; units: bigint; charged: bigint }[]> {
  const totals = [];
  for (const table of ['report_usage_daily', 'report_usage_hourly', 'report_usage_destinations']) {
    const { rows } = await sql<{ events: string; units: string; charged: string }>`
      select sum(events)::text as events, sum(units)::text as units, sum(charged_micros)::text as charged
      from ${sql.table(table)} where tenant_id = ${tenantId}::uuid`.execute(db);
    const r = rows[0]!;
    totals.push({ events: BigInt(r.events), units: BigInt(r.units), charged: BigInt(r.charged) });
  }
  return totals;
}

function stats(values: readonly number[]): { median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted.at(-1) ?? 0 };
}
