import { formatScaled, MICROS_SCALE } from '@tollgate/core';
import type { CpuShares } from './charging-cpu.js';
import {
  formatCount,
  formatMib,
  formatPercent,
  formatPerSecond,
  formatSeconds,
  perSecond,
} from './format-figures.js';
import { UNMATCHED_SHARE } from './generate-cdrs.js';
import { USAGE_FILE_COLUMNS, USAGE_FILE_PROFILE } from './generate-usage-file.js';
import type { DatabaseRun, IngestMeasurements } from './ingest-measurements.js';
import { SAMPLE_INTERVAL_MS } from './memory-sampler.js';
import { type MemoryByTenth, overallPeak } from './progress-memory.js';
import type { WalActivity } from './wal-counters.js';
import type { Figure, WorkloadReport } from './workload.js';

/** Targets of the ingest workload: timings report PASS or MISS, never fail the run. */
const MIN_POSTGRES_CDRS_PER_SECOND = 60_000;
const MIN_COPY_RATIO = 0.6;
/** Flat: the whole run's peak resident set at most this much above the first tenth's. */
const MAX_MEMORY_GROWTH = 0.2;

export function ingestReport(measured: IngestMeasurements): WorkloadReport {
  return {
    parameters: parameters(measured),
    figures: measured.runs.flatMap(runFigures),
    phases: measured.phases,
    notes: notes(measured),
  };
}

function parameters(measured: IngestMeasurements): [string, string][] {
  const { options, settings, runs } = measured;
  const share = formatPercent(settings.allowanceLines, settings.subscribers);
  const files = runs
    .map((run) => `${run.label}: ${formatCount(run.file.records)} (${formatMib(run.file.bytes)})`)
    .join(', ');
  const meanSeconds = runs[0] === undefined ? '' : `, mean ${runs[0].file.meanSeconds.toFixed(1)} s`;
  return [
    ['seed', `${options.seed} (deck), ${options.seed + 2} (CDRs)`],
    ['tariff', measured.deck],
    [
      'subscribers',
      `${formatCount(settings.subscribers)} postpaid accounts (Europe/Berlin, credit limit 500 EUR) of one line ` +
        `each, MSISDN +49170 and seven digits, seeded by set-based SQL; lines 1-${formatCount(settings.allowanceLines)} ` +
        `(${share}) on a plan with ${settings.allowanceMinutes} call minutes for March (an allowance bucket per line, ` +
        'filled by a grant transaction), the rest on a plan without; both plans on the tariff above',
    ],
    [
      'CDRs',
      `${files || 'none'}; CSV with header ${USAGE_FILE_COLUMNS.join(',')} as a German switch writes it: unique ids, ` +
        'callers drawn uniformly from the subscribers in national form (0170...), callees extending a deck prefix ' +
        `to 11-13 digits with the international prefix (00...), about ${formatPercent(UNMATCHED_SHARE, 1)} under a ` +
        'spare country code that no prefix matches; answer times over March 2026 (UTC, whole seconds, daily traffic ' +
        `curve), durations log-normal in whole seconds${meanSeconds}, cut at 4 h`,
    ],
    ['source profile', `\`${JSON.stringify(USAGE_FILE_PROFILE)}\``],
    [
      'ingestion',
      `ingestUsageFile (packages/server/src/mediation/ingest-usage-file.ts), batches of ` +
        `${formatCount(settings.batchSize)} records (one transaction each), a pool of 10 connections (the CLI's), ` +
        "the process's compiled-tariff cache emptied first, so the stored tariff version is read and compiled inside the timing",
    ],
    ['PostgreSQL', measured.postgresSkipped ?? describePostgres(measured.postgresSettings)],
  ];
}

function describePostgres(settings: string | null): string {
  return `the server named by BENCH_DATABASE_URL, a fresh database created and dropped by the run (${settings ?? 'settings unknown'})`;
}

function runFigures(run: DatabaseRun): Figure[] {
  const figures = [...ingestFigures(run), ...storedFigures(run), ...memoryFigures(run)];
  if (run.copy !== null) figures.push(...copyFigures(run));
  return figures;
}

function ingestFigures(run: DatabaseRun): Figure[] {
  const { label, file, ingest } = run;
  const { outcome } = ingest;
  const loads: Figure = {
    kind: 'check',
    name: `${label}: the file loads to its end, as a new run`,
    value: outcome.ok
      ? `${outcome.run.status}${outcome.resumed ? ' (resumed)' : ''}`
      : `${outcome.code}: ${outcome.message}`,
    target: 'done',
    pass: outcome.ok && outcome.run.status === 'done' && !outcome.resumed,
  };
  const rate = perSecond(file.records, ingest.elapsedMs);
  const speed: Figure = {
    kind: label === 'PostgreSQL' ? 'performance' : 'info',
    name: `${label}: ingest end to end (read, parse, normalise, rate, settle, store)`,
    value:
      `${formatCount(rate)} CDRs/s (${formatCount(file.records)} in ${formatSeconds(ingest.elapsedMs)}); ` +
      describeCpu(ingest.cpu, ingest.elapsedMs, file.records, 'CDR', label === 'PostgreSQL') +
      (ingest.wal === null ? '' : `; ${describeWal(ingest.wal, file.records, 'CDR')}`),
    ...(label === 'PostgreSQL'
      ? {
          target: `>= ${formatCount(MIN_POSTGRES_CDRS_PER_SECOND)} CDRs/s`,
          pass: rate >= MIN_POSTGRES_CDRS_PER_SECOND,
        }
      : {}),
  };
  const byTenth: Figure = {
    kind: 'info',
    name: `${label}: CDRs/s by tenth of the file`,
    value: ingest.ratesByTenth.map(formatCount).join(', '),
  };
  return [loads, speed, byTenth];
}

function storedFigures(run: DatabaseRun): Figure[] {
  const { label, file, stored, ledger, ingest } = run;
  if (!('run' in ingest.outcome)) return [];
  const counts = ingest.outcome.run.counts;
  const [read, loaded, suspended, duplicate, skipped] = [
    counts.read,
    counts.loaded,
    counts.suspended,
    counts.duplicate,
    counts.skipped,
  ].map(Number) as [number, number, number, number, number];
  const reasons = [...stored.suspendedByReason].map(
    ([reason, records]) => `${reason} ${formatCount(records)}`,
  );
  const noRate = stored.suspendedByReason.get('no_rate') ?? 0;
  return [
    {
      kind: 'check',
      name: `${label}: the summary adds up: loaded + suspended + duplicate + skipped = read = CDRs in the file`,
      value:
        `${formatCount(loaded)} + ${formatCount(suspended)} + ${formatCount(duplicate)} + ${formatCount(skipped)} ` +
        `= ${formatCount(read)}; file ${formatCount(file.records)}`,
      target: 'equal, no duplicate or skip',
      pass:
        loaded + suspended + duplicate + skipped === read &&
        read === file.records &&
        duplicate === 0 &&
        skipped === 0,
    },
    {
      kind: 'check',
      name: `${label}: suspended = the calls under the spare country code, for no_rate`,
      value: `${formatCount(suspended)} suspended (${reasons.join(', ') || 'none stored'}); ${formatCount(file.unmatched)} generated`,
      target: 'equal',
      pass: suspended === file.unmatched && noRate === suspended && stored.suspendedByReason.size <= 1,
    },
    {
      kind: 'check',
      name: `${label}: rated rows stored = loaded; their seconds = the seconds of every other generated call`,
      value:
        `${formatCount(stored.ratedRows)} rows, ${formatCount(stored.ratedUnits)} s; ` +
        `${formatCount(loaded)} loaded, ${formatCount(file.matchedSeconds)} s generated`,
      target: 'equal',
      pass: stored.ratedRows === loaded && stored.ratedUnits === file.matchedSeconds,
    },
    {
      kind: 'info',
      name: `${label}: settled`,
      value:
        `${formatCount(stored.accruedRows)} accrued for the invoice; ${formatCount(stored.allowanceRows)} ` +
        `(${formatPercent(stored.allowanceRows, stored.ratedRows)}) took ${formatCount(stored.allowanceUnits)} s ` +
        `of call allowance; charged ${formatScaled(stored.chargedMicros, MICROS_SCALE)} EUR`,
    },
    {
      kind: 'check',
      name: `${label}: ledger consistent after the run (cached balances = their entries, transactions balanced, no bucket below its floor)`,
      value: `${ledger.problems.length} problems in ${formatCount(ledger.bucketsChecked)} buckets, ${formatCount(ledger.transactionsChecked)} transactions`,
      target: '0 problems',
      pass: ledger.problems.length === 0,
    },
  ];
}

function memoryFigures(run: DatabaseRun): Figure[] {
  const { label, ingest } = run;
  const peaks = ingest.memory;
  const whole = overallPeak(peaks);
  const first = peaks[0]!;
  const growth = first.rssBytes > 0 ? whole.rssBytes / first.rssBytes - 1 : Number.POSITIVE_INFINITY;
  return [
    {
      kind: 'info',
      name: `${label}: peak memory of the ingestion (whole process)`,
      value: `RSS ${formatMib(whole.rssBytes)}, heap used ${formatMib(whole.heapUsedBytes)}`,
    },
    {
      kind: 'performance',
      name: `${label}: memory flat as the file is read: peak RSS in the first tenth vs the whole run`,
      value:
        `${formatMib(first.rssBytes)} vs ${formatMib(whole.rssBytes)} (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}%); ` +
        `by tenth: RSS ${byTenth(peaks, 'rssBytes')}; heap used ${byTenth(peaks, 'heapUsedBytes')} MiB`,
      target: `whole run <= first tenth + ${(MAX_MEMORY_GROWTH * 100).toFixed(0)}%`,
      pass: growth <= MAX_MEMORY_GROWTH,
    },
  ];
}

/** Whole MiB per tenth; a tenth no sample fell in (a batch longer than a tenth) shows as -. */
function byTenth(peaks: MemoryByTenth, key: 'rssBytes' | 'heapUsedBytes'): string {
  return peaks.map((peak) => (peak[key] === 0 ? '-' : (peak[key] / (1024 * 1024)).toFixed(0))).join(', ');
}

function copyFigures(run: DatabaseRun): Figure[] {
  const { label, copy, ingest, stored } = run;
  if (copy === null) return [];
  const { exported, copied } = copy;
  // The same rated rows both ways: the ratio of speeds is the inverse ratio of times.
  const ratio = copied.elapsedMs / ingest.elapsedMs;
  return [
    {
      kind: 'info',
      name: `${label}: baseline: COPY FROM of the same rated rows into rated_usage`,
      value:
        `${formatPerSecond(copied.rows, copied.elapsedMs)} rows/s (${formatCount(copied.rows)} in ` +
        `${formatSeconds(copied.elapsedMs)}, ${formatMib(copied.bytes)} of COPY text); ` +
        `${describeCpu(copy.cpu, copied.elapsedMs, copied.rows, 'row', true)}; ${describeWal(copy.wal, copied.rows, 'row')}`,
    },
    {
      kind: 'check',
      name: `${label}: COPY took back every rated row`,
      value: `${formatCount(exported.rows)} exported, ${formatCount(copied.rows)} copied, ${formatCount(stored.ratedRows)} stored by the ingestion`,
      target: 'equal',
      pass: exported.rows === copied.rows && copied.rows === stored.ratedRows,
    },
    {
      kind: 'info',
      name: `${label}: ingest in rated rows per second`,
      value: `${formatPerSecond(stored.ratedRows, ingest.elapsedMs)} rows/s (${formatCount(stored.ratedRows)} in ${formatSeconds(ingest.elapsedMs)})`,
    },
    {
      kind: 'performance',
      name: `${label}: ingest speed / COPY speed, same rated rows (COPY time / ingest time)`,
      value: `${ratio.toFixed(2)}x`,
      target: `>= ${MIN_COPY_RATIO.toFixed(2)}x`,
      pass: ratio >= MIN_COPY_RATIO,
    },
  ];
}

/**
 * CPU shares of one core, and what they come to per record: the cost of each side of the pipeline.
 * PGlite runs inside the bench process, so there is no server to count apart.
 */
function describeCpu(
  cpu: CpuShares,
  elapsedMs: number,
  records: number,
  unit: string,
  server: boolean,
): string {
  const share = (name: string, percent: number) =>
    `${name} ${percent} % (${(((percent / 100) * elapsedMs * 1_000) / Math.max(1, records)).toFixed(0)} µs per ${unit})`;
  const shares = [share('bench', cpu.bench), ...(server ? [share('postgres', cpu.postgres)] : [])];
  return `CPU: ${shares.join(', ')} of one core`;
}

function describeWal(wal: WalActivity, records: number, unit: string): string {
  const gib = wal.walBytes / 1024 ** 3;
  return (
    `WAL ${gib.toFixed(1)} GiB (${formatCount(wal.walBytes / Math.max(1, records))} bytes per ${unit}), ` +
    `${wal.checkpointsRequested} checkpoints forced by WAL volume, ${wal.checkpointsTimed} timed`
  );
}

function notes({ settings, runs }: IngestMeasurements): string[] {
  const hasCopy = runs.some((run) => run.copy !== null);
  const list = [
    'ingest: the wall time from the call to ingestUsageFile to its return, on a database seeded and then settled by ' +
      'VACUUM ANALYZE and CHECKPOINT: hashing the file (SHA-256, to resume a run), reading its header, reading and ' +
      'compiling the stored tariff version, then per batch: read and parse the CSV, normalise the numbers in the ' +
      "tenant's numbering context, look the lines up (bulk, remembered for the run), rate, settle against the " +
      'allowances, insert the rated rows, the suspended records and the ledger transactions of the allowances taken, ' +
      'and advance the file run, in one transaction; reading and rating the next batch overlaps the storing of this one.',
    `subscribers are postpaid: most CDRs that arrive as files are, and a postpaid account's usage accrues for its ` +
      `invoice without locking a balance; the ${formatPercent(settings.allowanceLines, settings.subscribers)} with call ` +
      'minutes exercise the allowance path (bucket locks, ledger entries) until their minutes run out.',
  ];
  if (hasCopy)
    list.push(
      'baseline: the rated rows the ingestion stored, exported with `COPY (select <every column> from rated_usage) TO ' +
        'STDOUT` (pg-copy-streams) into a file, then `TRUNCATE rated_usage, suspended_records, suspense_attempts` ' +
        '(the suspended records point at rated_usage by foreign key; TRUNCATE fires no row triggers) in its own ' +
        'transaction, so that COPY writes WAL as the ingestion does, then VACUUM ANALYZE and CHECKPOINT as before ' +
        'the ingestion, then the timed `COPY rated_usage (<every column>) FROM STDIN` of the file: the same rows, ' +
        'ids and explanations included, into the same table with the same indexes, constraints and triggers. The ' +
        'ratio compares the two times for the same rated rows; the ingestion besides reads the CSV, rates, and ' +
        'stores the suspended records and the allowance ledger, which COPY does not.',
    );
  if (runs.some((run) => run.label === 'PGlite'))
    list.push(
      'PGlite: a smaller file, because PGlite is PostgreSQL compiled to WebAssembly and runs single-threaded inside ' +
        'the bench process (it is the database of development and small installs); no COPY baseline, because the ' +
        'targets are set on PostgreSQL and PGlite takes COPY through its own in-process file device, not the wire ' +
        'protocol, so the ratio would not mean the same.',
    );
  list.push(
    `memory: process.memoryUsage() every ${SAMPLE_INTERVAL_MS} ms and after every stored batch, peaks kept per tenth ` +
      "of the file (by the reader's position in it); global.gc() before each phase. RSS is the bench process only " +
      "(PGlite's WebAssembly heap included; PostgreSQL's memory is its server's). Heap used counts garbage not yet " +
      'collected: V8 lets its old generation grow by hundreds of MiB between major collections, so the peak of a ' +
      'tenth moves by that much without any trend.',
    'CPU: from /proc, the bench process and every process named postgres on the machine, in % of one core over the ' +
      'timed phase, and per record. The bench and PostgreSQL work at once only as far as their shares add up to more ' +
      'than one core (100 %); at about 100 % they take turns, each waiting for the other. WAL and checkpoints: ' +
      'pg_current_wal_lsn() and pg_stat_bgwriter before and after the phase (the whole server).',
  );
  return list;
}
