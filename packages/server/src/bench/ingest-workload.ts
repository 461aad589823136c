import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TariffDocument } from '@tollgate/core';
import { type Kysely, sql } from 'kysely';
import { verifyLedger } from '../balances/verify-ledger.js';
import { compiledTariffCache } from '../catalog/compiled-tariff-cache.js';
import { createDatabase, type DatabaseHandle } from '../db/create-database.js';
import type { Database } from '../db/database-schema.js';
import {
  DEFAULT_INGEST_BATCH_SIZE,
  type IngestOutcome,
  ingestUsageFile,
} from '../mediation/ingest-usage-file.js';
import { cpuShares, readCpu } from './charging-cpu.js';
import { RatedUsageCopy } from './copy-rated-usage.js';
import { describeTimeBand } from './deck.js';
import { envInt } from './env-int.js';
import { formatCount, formatPerSecond } from './format-figures.js';
import { generateDeck } from './generate-deck.js';
import { generateUsageFile, USAGE_FILE_PROFILE, type WrittenUsageFile } from './generate-usage-file.js';
import type {
  CopyBaseline,
  DatabaseRun,
  IngestRun,
  IngestSettings,
  StoredUsage,
} from './ingest-measurements.js';
import { ingestReport } from './ingest-report.js';
import { type IngestFixture, seedIngestData } from './ingest-seed.js';
import { ProgressMemory } from './progress-memory.js';
import { RateByTenth } from './rate-by-tenth.js';
import { type PhaseSummary, runPhase, type SampleMemory } from './run-phase.js';
import { createThrowawayDatabase } from './serve-process.js';
import { readWal, walBetween } from './wal-counters.js';
import type { BenchOptions, Workload, WorkloadReport } from './workload.js';
import { nativeTariffDocument } from './write-native-deck.js';

export const ingestWorkload: Workload = {
  name: 'ingest',
  description:
    'Mediation of a generated CSV of CDRs for 100,000 postpaid subscribers on the international deck: ' +
    'parse, normalise, rate, settle and store through ingestUsageFile, into PostgreSQL against a plain COPY of ' +
    'the same rows into the same table in the same run, and into the embedded PGlite',
  run: runIngestWorkload,
};

/** Sizes without a flag of their own, each overridable by an environment variable. */
const SETTINGS: IngestSettings & { readonly skipPglite: boolean } = (() => {
  const subscribers = envInt('BENCH_INGEST_SUBSCRIBERS', 100_000);
  const allowancePercent = envInt('BENCH_INGEST_ALLOWANCE_PERCENT', 10, 0);
  return {
    subscribers,
    allowanceLines: Math.floor((subscribers * Math.min(100, allowancePercent)) / 100),
    allowanceMinutes: envInt('BENCH_INGEST_ALLOWANCE_MINUTES', 100),
    batchSize: envInt('BENCH_INGEST_BATCH_SIZE', DEFAULT_INGEST_BATCH_SIZE),
    // BENCH_INGEST_SKIP_PGLITE=1 measures PostgreSQL alone (for profiling).
    skipPglite: process.env.BENCH_INGEST_SKIP_PGLITE === '1',
  };
})();

/** March 2026, as the rating workload: Europe/Berlin moves to summer time on its last Sunday. */
const MONTH_START_MS = Date.UTC(2026, 2, 1);
const MONTH_DAYS = 31;
/** The allowance month in the accounts' zone (Europe/Berlin): calls late on 31 March UTC fall outside. */
const ALLOWANCE_FROM = '2026-03-01T00:00:00+01:00';
const ALLOWANCE_TO = '2026-04-01T00:00:00+02:00';
const SOURCE_NAME = 'sbc-fra1';
/** How often a long ingestion tells the terminal where it is. */
const PROGRESS_EVERY_MS = 10_000;

/** Runs one named phase and records its wall time and peak memory. */
type Phase = <T>(name: string, body: (sample: SampleMemory) => Promise<T> | T) => Promise<T>;

interface Deck {
  readonly document: TariffDocument;
  readonly activatesAt: Date;
  readonly prefixes: readonly string[];
  readonly description: string;
}

/** A database to measure on, opened afresh by each phase as a separate process would. */
interface DatabaseUnderTest {
  readonly label: 'PostgreSQL' | 'PGlite';
  readonly records: number;
  open(): Promise<DatabaseHandle>;
  /** The PostgreSQL database's URL, for the COPY baseline and the WAL counters; null on PGlite. */
  readonly postgresUrl: string | null;
}

async function runIngestWorkload(options: BenchOptions): Promise<WorkloadReport> {
  const dir = await mkdtemp(join(tmpdir(), 'tollgate-bench-ingest-'));
  console.log(
    `  generated files go to ${dir} (${options.keepFiles ? 'kept' : 'deleted after the run; --keep keeps them'})`,
  );
  const phases: PhaseSummary[] = [];
  const phase: Phase = async (name, body) => {
    const outcome = await runPhase(name, body);
    phases.push(outcome.summary);
    return outcome.value;
  };
  try {
    const postgres = process.env.BENCH_DATABASE_URL;
    const hasPostgres = postgres !== undefined && postgres !== '';
    // PostgreSQL first: its peak memory is the figure that matters, and PGlite's WebAssembly heap
    // would still be part of the process's resident set after it closed.
    const onPostgres = hasPostgres ? await measurePostgres(options, postgres, dir, phase) : null;
    const onPglite = SETTINGS.skipPglite ? null : await measurePglite(options, dir, phase);
    return ingestReport({
      options,
      settings: SETTINGS,
      deck: onPostgres?.deck ?? onPglite?.deck ?? '',
      runs: [onPostgres?.run, onPglite?.run].filter((run) => run !== undefined),
      postgresSkipped: hasPostgres
        ? null
        : 'not measured: set BENCH_DATABASE_URL=postgres://... to include it',
      postgresSettings: onPostgres?.settings ?? null,
      phases,
    });
  } finally {
    if (!options.keepFiles) await rm(dir, { recursive: true, force: true });
  }
}

/** On a fresh database of the server, created and dropped here. */
async function measurePostgres(
  options: BenchOptions,
  serverUrl: string,
  dir: string,
  phase: Phase,
): Promise<{ run: DatabaseRun; deck: string; settings: string }> {
  const throwaway = await createThrowawayDatabase(serverUrl);
  try {
    const open = () => createDatabase({ databaseUrl: throwaway.url });
    const settings = await withDatabase(open, readPostgresSettings);
    const database = {
      label: 'PostgreSQL',
      records: options.ingestCdrs,
      open,
      postgresUrl: throwaway.url,
    } as const;
    return { ...(await measureDatabase(options, database, dir, phase)), settings };
  } finally {
    await throwaway.drop();
  }
}

/** In a data directory of the run's temporary folder. */
async function measurePglite(
  options: BenchOptions,
  dir: string,
  phase: Phase,
): Promise<{ run: DatabaseRun; deck: string }> {
  // PGlite serves one client per data directory: one handle for the whole run, which the phases
  // borrow without closing.
  const handle = await createDatabase({ dataDir: join(dir, 'pglite') });
  try {
    const open = async (): Promise<DatabaseHandle> => ({ ...handle, close: async () => {} });
    const database = { label: 'PGlite', records: options.pgliteIngestCdrs, open, postgresUrl: null } as const;
    return await measureDatabase(options, database, dir, phase);
  } finally {
    await handle.close();
  }
}

/** Seeds, settles, ingests and checks one database; on PostgreSQL, then measures the COPY baseline. */
async function measureDatabase(
  options: BenchOptions,
  database: DatabaseUnderTest,
  dir: string,
  phase: Phase,
): Promise<{ run: DatabaseRun; deck: string }> {
  const { label, open } = database;
  const prepared = await prepare(options, database, dir, phase);
  const { file, fixture } = prepared;
  await phase(`${label}: VACUUM ANALYZE, CHECKPOINT`, () => withDatabase(open, settle));
  const ingest = await phase(`${label}: ingest`, () =>
    withDatabase(open, (db) => measureIngest(database, db, fixture, file)),
  );
  const checked = await phase(`${label}: count what was stored, verify the ledger`, () =>
    withDatabase(open, (db) => checkStored(db, fixture, ingest)),
  );
  const copy = database.postgresUrl === null ? null : await measureCopy(database.postgresUrl, dir, phase);
  return { run: { label, file, ingest, ...checked, copy }, deck: prepared.deck };
}

/**
 * Generates the deck, the CDR file and the seeded database. The deck lives only in here: the
 * ingestion that follows reads its tariff from the database, and its memory peak should not
 * include the bench's own copy of the deck.
 */
async function prepare(
  options: BenchOptions,
  database: DatabaseUnderTest,
  dir: string,
  phase: Phase,
): Promise<{ file: WrittenUsageFile; fixture: IngestFixture; deck: string }> {
  const { label } = database;
  const deck = await phase(`${label}: generate the deck`, () => makeDeck(options));
  const file = await phase(`${label}: generate ${formatCount(database.records)} CDRs`, () =>
    writeUsageFile(options, deck, database.records, join(dir, `cdrs-${label.toLowerCase()}.csv`)),
  );
  const fixture = await seed(label, database.open, deck, phase);
  // The catalog remembers the tariffs it compiled; a `tollgate ingest` process starts without any,
  // and so does the ingestion measured here: it reads and compiles the stored version itself.
  compiledTariffCache.clear();
  return { file, fixture, deck: deck.description };
}

function makeDeck(options: BenchOptions): Deck {
  const deck = generateDeck({ seed: options.seed, prefixCount: options.prefixes });
  return {
    document: nativeTariffDocument(deck),
    activatesAt: new Date(deck.activationTime),
    prefixes: deck.destinations.flatMap((destination) => destination.prefixes),
    description:
      `the rating workload's generated deck, stored as a tariff version through createTariff: ` +
      `${formatCount(deck.prefixCount)} prefixes in ${formatCount(deck.destinations.length)} destinations, ` +
      `${formatCount(deck.rates.length)} rates (60/60, 1/1, 60/1), time bands ` +
      `${deck.timeBands.map(describeTimeBand).join(', ')} in ${deck.timeZone}`,
  };
}

function writeUsageFile(
  options: BenchOptions,
  deck: Deck,
  records: number,
  path: string,
): Promise<WrittenUsageFile> {
  // The calls have their own seed, so a deck of another size does not change them.
  return generateUsageFile(
    {
      seed: options.seed + 2,
      records,
      subscribers: SETTINGS.subscribers,
      prefixes: deck.prefixes,
      monthStartMs: MONTH_START_MS,
      days: MONTH_DAYS,
    },
    path,
  );
}

async function seed(
  label: string,
  open: () => Promise<DatabaseHandle>,
  deck: Deck,
  phase: Phase,
): Promise<IngestFixture> {
  const fixture = await phase(
    `${label}: seed the tariff and ${formatCount(SETTINGS.subscribers)} subscribers`,
    () =>
      withDatabase(open, (db) =>
        seedIngestData(
          db,
          {
            subscribers: SETTINGS.subscribers,
            allowanceLines: SETTINGS.allowanceLines,
            allowanceMinutes: SETTINGS.allowanceMinutes,
            allowanceFrom: ALLOWANCE_FROM,
            allowanceTo: ALLOWANCE_TO,
            tariff: deck.document,
            tariffActivatesAt: deck.activatesAt,
            sourceName: SOURCE_NAME,
            sourceProfile: USAGE_FILE_PROFILE,
          },
          new Date(),
        ),
      ),
  );
  console.log(`  ${label}: seeded`);
  return fixture;
}

/**
 * Both timed phases start alike: statistics fresh (the seed's set-based inserts leave none, and the
 * planner would guess), no dead rows, and every dirty page written back by a checkpoint, so
 * neither pays for the writes of what came before it.
 */
async function settle(db: Kysely<Database>): Promise<void> {
  await sql`vacuum analyze`.execute(db);
  await sql`checkpoint`.execute(db);
}

async function measureIngest(
  { label, postgresUrl }: DatabaseUnderTest,
  db: Kysely<Database>,
  fixture: IngestFixture,
  file: WrittenUsageFile,
): Promise<IngestRun> {
  console.log(`  ${label}: ingesting ${formatCount(file.records)} CDRs ...`);
  const memory = new ProgressMemory();
  const walBefore = postgresUrl === null ? null : await readWal(postgresUrl);
  const cpuBefore = readCpu(undefined);
  let lastReportMs = performance.now();
  memory.start();
  const startedMs = performance.now();
  const rate = new RateByTenth(file.records, startedMs);
  let outcome: IngestOutcome;
  try {
    outcome = await ingestUsageFile(db, {
      tenantId: fixture.tenantId,
      source: fixture.source,
      path: file.path,
      batchSize: SETTINGS.batchSize,
      onProgress: (progress) => {
        memory.progress(progress.bytesRead / progress.sizeBytes);
        const nowMs = performance.now();
        const read = Number(progress.counts.read);
        rate.progress(read, nowMs);
        if (nowMs - lastReportMs < PROGRESS_EVERY_MS) return;
        lastReportMs = nowMs;
        console.log(
          `  ${label}: ${formatCount(read)} of ${formatCount(file.records)} CDRs, ` +
            `${formatPerSecond(read, nowMs - startedMs)} /s`,
        );
      },
    });
  } catch (error) {
    memory.stop();
    throw error;
  }
  const elapsedMs = performance.now() - startedMs;
  const peaks = memory.stop();
  const cpu = cpuShares(cpuBefore, readCpu(undefined));
  const wal =
    postgresUrl === null || walBefore === null ? null : walBetween(walBefore, await readWal(postgresUrl));
  console.log(`  ${label}: ingested in ${(elapsedMs / 1000).toFixed(1)} s`);
  return { elapsedMs, outcome, memory: peaks, ratesByTenth: rate.rates(), cpu, wal };
}

async function checkStored(
  db: Kysely<Database>,
  fixture: IngestFixture,
  ingest: IngestRun,
): Promise<{ stored: StoredUsage; ledger: Awaited<ReturnType<typeof verifyLedger>> }> {
  const fileId = 'run' in ingest.outcome ? ingest.outcome.run.id : null;
  const { rows } = await sql<{
    rated_rows: bigint;
    rated_units: bigint;
    charged_micros: bigint;
    accrued_rows: bigint;
    allowance_rows: bigint;
    allowance_units: bigint;
  }>`
    select count(*) as rated_rows, coalesce(sum(units), 0)::int8 as rated_units,
      coalesce(sum(charged_micros), 0)::int8 as charged_micros,
      count(*) filter (where settlement = 'accrued') as accrued_rows,
      count(*) filter (where allowance_units > 0) as allowance_rows,
      coalesce(sum(allowance_units), 0)::int8 as allowance_units
    from rated_usage where tenant_id = ${fixture.tenantId} and file_id = ${fileId}`.execute(db);
  const totals = rows[0]!;
  const reasons = await sql<{ reason: string; records: bigint }>`
    select reason, count(*) as records from suspended_records
    where tenant_id = ${fixture.tenantId} and file_id = ${fileId}
    group by reason order by reason`.execute(db);
  return {
    stored: {
      ratedRows: Number(totals.rated_rows),
      ratedUnits: Number(totals.rated_units),
      chargedMicros: BigInt(totals.charged_micros),
      accruedRows: Number(totals.accrued_rows),
      allowanceRows: Number(totals.allowance_rows),
      allowanceUnits: Number(totals.allowance_units),
      suspendedByReason: new Map(reasons.rows.map((row) => [row.reason, Number(row.records)])),
    },
    ledger: await verifyLedger(db, { tenantId: fixture.tenantId }),
  };
}

/**
 * The baseline: the rated rows ingestion stored, exported with COPY TO, the table emptied, then
 * timed back in with COPY FROM: the same rows into the same table, with the same indexes,
 * constraints and triggers, after the same checkpoint.
 */
async function measureCopy(databaseUrl: string, dir: string, phase: Phase): Promise<CopyBaseline> {
  const label = 'PostgreSQL';
  const path = join(dir, 'rated-usage.copy');
  const copy = await RatedUsageCopy.connect(databaseUrl);
  try {
    const exported = await phase(`${label}: export the rated rows (COPY TO)`, () => copy.exportTo(path));
    await phase(`${label}: TRUNCATE, VACUUM ANALYZE, CHECKPOINT`, async () => {
      await copy.truncate();
      await copy.vacuumAnalyze();
      await copy.checkpoint();
    });
    console.log(`  ${label}: COPY of ${formatCount(exported.rows)} rated rows ...`);
    const walBefore = await readWal(databaseUrl);
    const cpuBefore = readCpu(undefined);
    const copied = await phase(`${label}: COPY the rated rows back (baseline)`, () => copy.copyFrom(path));
    const cpu = cpuShares(cpuBefore, readCpu(undefined));
    const wal = walBetween(walBefore, await readWal(databaseUrl));
    console.log(`  ${label}: copied in ${(copied.elapsedMs / 1000).toFixed(1)} s`);
    return { exported, copied, cpu, wal };
  } finally {
    await copy.close();
    await rm(path, { force: true });
  }
}

async function readPostgresSettings(db: Kysely<Database>): Promise<string> {
  const names = ['shared_buffers', 'synchronous_commit', 'wal_level', 'max_wal_size', 'checkpoint_timeout'];
  const { rows } = await sql<{ name: string; setting: string }>`
    select name, current_setting(name) as setting from unnest(${names}::text[]) as name`.execute(db);
  const version = await sql<{ version: string }>`select current_setting('server_version') as version`.execute(
    db,
  );
  return `PostgreSQL ${version.rows[0]!.version}; ${rows.map((row) => `${row.name} ${row.setting}`).join(', ')}`;
}

async function withDatabase<T>(
  open: () => Promise<DatabaseHandle>,
  body: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  const handle = await open();
  try {
    return await body(handle.db);
  } finally {
    await handle.close();
  }
}
