import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { startBillRunQueue } from '../billing/bill-run-queue.js';
import { renderInvoiceHtml } from '../billing/render/render-invoice-html.js';
import { renderInvoicePdf } from '../billing/render/render-invoice-pdf.js';
import { readBillRun, startBillRun } from '../billing/start-bill-run.js';
import { createDatabase, type DatabaseHandle } from '../db/create-database.js';
import type { Database } from '../db/database-schema.js';
import { seedBillRunData } from './billrun-seed.js';
import { cpuShares, readCpu } from './charging-cpu.js';
import { envInt } from './env-int.js';
import { formatCount, formatPerSecond, formatSeconds, perSecond } from './format-figures.js';
import { type PhaseSummary, runPhase } from './run-phase.js';
import { createThrowawayDatabase } from './serve-process.js';
import { readWal, walBetween } from './wal-counters.js';
import type { Figure, Workload, WorkloadReport } from './workload.js';

export const billrunWorkload: Workload = {
  name: 'billrun',
  description:
    'A bill run over postpaid accounts with a month of rated usage each: recurring fee in advance, usage per ' +
    'destination group, VAT, gapless numbers, finalised, through the job queue and its workers in this process; ' +
    'then PDF and HTML rendering of the invoices, measured apart',
  run: runBillRunWorkload,
};

const SETTINGS = {
  accounts: envInt('BENCH_BILLRUN_ACCOUNTS', 100_000),
  pgliteAccounts: envInt('BENCH_BILLRUN_PGLITE_ACCOUNTS', 10_000),
  usagePerAccount: envInt('BENCH_BILLRUN_USAGE', 30, 0),
  workers: envInt('BENCH_BILLRUN_WORKERS', 4),
  /** PGlite runs one statement at a time: more workers only queue behind each other. */
  pgliteWorkers: envInt('BENCH_BILLRUN_PGLITE_WORKERS', 1),
  renderInvoices: envInt('BENCH_BILLRUN_RENDER', 300),
};

const SEEDED_AT = new Date('2026-02-15T00:00:00Z');
const AS_OF = new Date('2026-04-01T00:00:00+02:00');
const TARGET_INVOICES_PER_S = 1_000;

interface RunMeasure {
  readonly label: string;
  readonly accounts: number;
  readonly elapsedMs: number;
  readonly invoices: number;
  readonly cpu: string;
  readonly wal: string | null;
}

async function runBillRunWorkload(): Promise<WorkloadReport> {
  const figures: Figure[] = [];
  const phases: PhaseSummary[] = [];
  const serverUrl = process.env.BENCH_DATABASE_URL;
  const parameters: [string, string][] = [
    [
      'accounts',
      `PostgreSQL: ${formatCount(SETTINGS.accounts)}, PGlite: ${formatCount(SETTINGS.pgliteAccounts)}; one line each`,
    ],
    [
      'data',
      `plan "Mobile M" 15.00 EUR a month from 1 March 2026 (Europe/Berlin, cycle day 1), German VAT 19 %, ${SETTINGS.usagePerAccount} rated records per line in March (calls to three destination groups, every fourth a message), seeded set-based as mediation stores them`,
    ],
    [
      'run',
      `as of ${AS_OF.toISOString()}: every account due once (March usage in arrears, March and April fees in advance); job workers in the bench process (PostgreSQL ${SETTINGS.workers}, PGlite ${SETTINGS.pgliteWorkers}), 200 accounts a job; finalised (numbered)`,
    ],
  ];
  const databases: { label: string; url?: string; accounts: number }[] = [
    { label: 'PGlite', accounts: SETTINGS.pgliteAccounts },
  ];
  let dropServer: (() => Promise<void>) | null = null;
  if (serverUrl !== undefined && serverUrl !== '') {
    const throwaway = await createThrowawayDatabase(serverUrl);
    dropServer = throwaway.drop;
    databases.unshift({ label: 'PostgreSQL', url: throwaway.url, accounts: SETTINGS.accounts });
  }
  const work = await mkdtemp(join(tmpdir(), 'tollgate-billrun-bench-'));
  try {
    for (const database of databases) {
      const handle = await createDatabase(
        database.url === undefined
          ? { dataDir: join(work, 'pglite') }
          : { databaseUrl: database.url, poolSize: 10 },
      );
      try {
        const measured = await measureDatabase(handle, database, phases, figures);
        if (database.label === 'PostgreSQL')
          figures.push({
            kind: 'performance',
            name: 'PostgreSQL: invoices finalised per second',
            value: formatPerSecond(measured.invoices, measured.elapsedMs),
            target: `>= ${formatCount(TARGET_INVOICES_PER_S)} invoices/s`,
            pass: perSecond(measured.invoices, measured.elapsedMs) >= TARGET_INVOICES_PER_S,
          });
      } finally {
        await handle.close();
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
    await dropServer?.();
  }
  return {
    parameters,
    figures,
    phases,
    notes: [
      "bill run: from startBillRun (which first starts billing for accounts without a billing state: a set-based pass over them) to the run reported done, jobs queued in pg-boss and taken by the workers; each job bills its 200 accounts in one transaction: lock their billing states, load accounts, lines, events, billed fees, charges and discounts in a few statements, claim and sum the usage in one statement, compose each bill (proration, discounts, taxes), number the invoices from the gapless series, insert invoices and lines in multi-row statements, grant the next cycle's allowances (the plan has none here), advance the billing states, record the outcomes.",
      "invoices/s counts the invoices the run finalised, over the run's wall time; the demo operator's two postpaid accounts are billed by the same run (for January to March: they catch up on three cycles).",
      'rendering: the first invoices of the run read back and rendered one after the other in the bench process: PDF with pdfkit (Noto Sans embedded), HTML as text; pages counted in the PDFs.',
      'CPU: from /proc, the bench process (the workers run in it) and every process named postgres, in % of one core; on PGlite the database runs inside the bench process.',
    ],
  };
}

async function measureDatabase(
  handle: DatabaseHandle,
  database: { label: string; url?: string; accounts: number },
  phases: PhaseSummary[],
  figures: Figure[],
): Promise<RunMeasure> {
  const label = database.label;
  const seeded = await runPhase(`${label}: seed ${formatCount(database.accounts)} accounts`, () =>
    seedBillRunData(
      handle.db,
      { accounts: database.accounts, usagePerAccount: SETTINGS.usagePerAccount },
      SEEDED_AT,
    ),
  );
  phases.push(seeded.summary);
  const settle = await runPhase(`${label}: VACUUM ANALYZE, CHECKPOINT`, async () => {
    await sql`vacuum analyze`.execute(handle.db);
    await sql`checkpoint`.execute(handle.db);
  });
  phases.push(settle.summary);
  const tenantId = seeded.value.tenantId;
  const queue = await startBillRunQueue(
    handle,
    () => new Date(),
    database.url === undefined ? SETTINGS.pgliteWorkers : SETTINGS.workers,
  );
  let runId = '';
  const cpuBefore = readCpu(undefined);
  const walBefore = database.url === undefined ? null : await readWal(database.url);
  const run = await runPhase(`${label}: bill run`, async () => {
    const started = await startBillRun(
      handle.db,
      tenantId,
      { type: 'system', id: 'bench' },
      { asOf: AS_OF, dryRun: false, finalize: true },
      new Date(),
    );
    runId = started.runId;
    await queue.enqueue(started.runId, tenantId);
    for (;;) {
      const progress = await readBillRun(handle.db, tenantId, started.runId);
      if (progress !== undefined && progress.pending === 0) return progress;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });
  const cpu = cpuShares(cpuBefore, readCpu(undefined));
  const wal =
    walBefore === null || database.url === undefined
      ? null
      : walBetween(walBefore, await readWal(database.url));
  await queue.stop();
  phases.push(run.summary);
  const stored = await countStored(handle.db, runId);
  const measure: RunMeasure = {
    label,
    accounts: database.accounts,
    elapsedMs: run.summary.elapsedMs,
    invoices: stored.invoices,
    cpu: `bench ${cpu.bench} %, postgres ${cpu.postgres} % of one core`,
    wal:
      wal === null
        ? null
        : `${(wal.walBytes / 1024 / 1024).toFixed(1)} MiB (${Math.round(wal.walBytes / Math.max(1, stored.invoices))} bytes per invoice)`,
  };
  figures.push(
    {
      kind: 'check',
      name: `${label}: every account invoiced once, none parked`,
      value: `${formatCount(run.value.invoiced)} of ${formatCount(run.value.accounts)} accounts invoiced, ${run.value.parked} parked, ${stored.duplicatePeriods} periods twice`,
      target: 'all invoiced, 0 parked, 0 twice',
      pass:
        run.value.invoiced === database.accounts + 2 &&
        run.value.parked === 0 &&
        stored.duplicatePeriods === 0,
    },
    {
      kind: 'check',
      name: `${label}: numbers gapless`,
      value: `${formatCount(stored.invoices)} invoices numbered ${stored.firstSequence}..${stored.lastSequence}`,
      target: '1..invoices',
      pass: stored.firstSequence === 1 && stored.lastSequence === stored.invoices,
    },
    {
      kind: 'check',
      name: `${label}: every seeded record invoiced once, and its money on the invoices`,
      value: `${formatCount(stored.bench.records)} of ${formatCount(seeded.value.records)} records; usage lines ${eur(stored.bench.usageMicros)} EUR, records ${eur(seeded.value.chargedMicros)} EUR`,
      target: 'equal (usage lines round per line: within 0.005 EUR per line)',
      pass:
        stored.bench.records === seeded.value.records &&
        abs(stored.bench.usageMicros - seeded.value.chargedMicros) <=
          BigInt(stored.bench.usageLines) * 5_000n,
    },
    {
      kind: 'check',
      name: `${label}: invoice totals = lines + taxes`,
      value: `${stored.unbalanced} invoices whose total is not the sum of their lines and taxes`,
      target: '0',
      pass: stored.unbalanced === 0,
    },
    {
      kind: 'info',
      name: `${label}: bill run`,
      value: `${formatCount(stored.invoices)} invoices (${formatCount(stored.lines)} lines) in ${formatSeconds(run.summary.elapsedMs)}: ${formatPerSecond(stored.invoices, run.summary.elapsedMs)} invoices/s; CPU ${measure.cpu}${measure.wal === null ? '' : `; WAL ${measure.wal}`}`,
    },
  );
  if (label === 'PGlite')
    figures.push({
      kind: 'info',
      name: 'PGlite: invoices finalised per second',
      value: formatPerSecond(stored.invoices, run.summary.elapsedMs),
    });
  const rendered = await runPhase(`${label}: render ${SETTINGS.renderInvoices} invoices`, () =>
    measureRendering(handle.db, runId),
  );
  phases.push(rendered.summary);
  figures.push(
    {
      kind: 'performance',
      name: `${label}: PDF rendering`,
      value: `${formatPerSecond(rendered.value.pages, rendered.value.pdfMs)} pages/s (${rendered.value.invoices} invoices, ${rendered.value.pages} pages, ${(rendered.value.pdfBytes / rendered.value.invoices / 1024).toFixed(1)} KiB per PDF, in ${formatSeconds(rendered.value.pdfMs)})`,
    },
    {
      kind: 'info',
      name: `${label}: HTML rendering`,
      value: `${formatPerSecond(rendered.value.invoices, rendered.value.htmlMs)} invoices/s`,
    },
  );
  return measure;
}

async function countStored(db: Kysely<Database>, runId: string) {
  const { rows } = await sql<{
    invoices: string;
    lines: string;
    first: string | null;
    last: string | null;
    duplicate_periods: string;
    unbalanced: string;
  }>`
    select count(*)::text as invoices,
      (select count(*) from invoice_lines)::text as lines,
      min(sequence)::text as first, max(sequence)::text as last,
      (select count(*) from (select 1 from invoices where kind = 'invoice' group by account_id, period_from_day having count(*) > 1) d)::text as duplicate_periods,
      (select count(*) from invoices i where i.total_micros <> (select coalesce(sum(amount_micros + tax_micros), 0) from invoice_lines l where l.invoice_id = i.id))::text as unbalanced
    from invoices where kind = 'invoice'`.execute(db);
  const bench = await sql<{ records: string; usage: string | null; usage_lines: string }>`
    select (select count(*) from invoiced_usage i join rated_usage r on r.id = i.rated_usage_id where r.record_key like 'r%')::text as records,
      sum(l.amount_micros)::text as usage, count(*)::text as usage_lines
    from invoice_lines l join invoices i on i.id = l.invoice_id
    join accounts a on a.id = i.account_id
    where l.kind = 'usage' and i.bill_run_id = ${runId}::uuid and a.account_number not in ('A-000001', 'A-000002', 'A-000003')`.execute(
    db,
  );
  const row = rows[0]!;
  return {
    invoices: Number(row.invoices),
    lines: Number(row.lines),
    firstSequence: Number(row.first ?? 0),
    lastSequence: Number(row.last ?? 0),
    duplicatePeriods: Number(row.duplicate_periods),
    unbalanced: Number(row.unbalanced),
    bench: {
      records: Number(bench.rows[0]!.records),
      usageMicros: BigInt(bench.rows[0]!.usage ?? '0'),
      usageLines: Number(bench.rows[0]!.usage_lines),
    },
  };
}

async function measureRendering(db: Kysely<Database>, runId: string) {
  const rows = await db
    .selectFrom('invoices')
    .select('document')
    .where('bill_run_id', '=', runId)
    .orderBy('sequence')
    .limit(SETTINGS.renderInvoices)
    .execute();
  let pages = 0;
  let pdfBytes = 0;
  const pdfStarted = performance.now();
  for (const row of rows) {
    const pdf = await renderInvoicePdf(row.document);
    pdfBytes += pdf.length;
    pages += pageCount(pdf);
  }
  const pdfMs = performance.now() - pdfStarted;
  const htmlStarted = performance.now();
  for (const row of rows) renderInvoiceHtml(row.document);
  const htmlMs = performance.now() - htmlStarted;
  return { invoices: rows.length, pages, pdfBytes, pdfMs, htmlMs };
}

/** Page objects in a PDF: `/Type /Page` not followed by `s` (that is the page tree). */
function pageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type \/Page(?!s)/g)?.length ?? 0;
}

function eur(micros: bigint): string {
  const cents = micros / 10_000n;
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}
