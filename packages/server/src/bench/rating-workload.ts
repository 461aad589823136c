import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompiledTariff, RatingRequest } from '@tollgate/core';
import type { TariffSource } from '../tariffs/load-tariff.js';
import { type CdrContext, cdrRatingRequest } from './cdr-rating-request.js';
import { compareTariffs } from './compare-tariffs.js';
import { countBandCrossings } from './count-band-crossings.js';
import { describeTimeBand } from './deck.js';
import { FileSink } from './file-sink.js';
import { formatCount } from './format-figures.js';
import { CDR_COLUMNS, type CdrOptions, cdrLine, generateCdrs } from './generate-cdrs.js';
import { generateDeck } from './generate-deck.js';
import { measureDeckLoad } from './measure-deck-load.js';
import { measureRating } from './measure-rating.js';
import { rateCdrFile } from './rate-cdr-file.js';
import type { FilePathResult, InMemoryResult, LoadedDecks, WrittenDecks } from './rating-measurements.js';
import { ratingReport } from './rating-report.js';
import { RatingWorkerPool, workerResourceLimits } from './rating-worker-pool.js';
import { type PhaseSummary, runPhase, type SampleMemory } from './run-phase.js';
import { sameFileContents } from './same-file-contents.js';
import { scanCdrFile } from './scan-cdr-file.js';
import type { BenchOptions, Workload, WorkloadReport } from './workload.js';
import { writeCgratesDeck } from './write-cgrates-deck.js';
import { writeNativeDeck } from './write-native-deck.js';

export const ratingWorkload: Workload = {
  name: 'rating',
  description:
    'Generated international voice deck and CDRs: deck load in both formats, ratings per second in memory, ' +
    'and the CDR file path against a read-and-split baseline',
  run: runRatingWorkload,
};

/** March 2026: a month whose last Sunday moves Europe/Berlin to summer time mid-run. */
const MONTH_START_MS = Date.UTC(2026, 2, 1);
const MONTH_DAYS = 31;
/** Calls rated with both decks to prove they are one deck; more would only slow the run. */
const CROSS_CHECK_CALLS = 100_000;
/** CDR lines per write while generating the file. */
const CDR_LINES_PER_WRITE = 10_000;

/** Runs one named phase and records its wall time and peak memory. */
type Phase = <T>(name: string, body: (sample: SampleMemory) => Promise<T> | T) => Promise<T>;

async function runRatingWorkload(options: BenchOptions): Promise<WorkloadReport> {
  const dir = await mkdtemp(join(tmpdir(), 'tollgate-bench-rating-'));
  console.log(
    `  generated files go to ${dir} (${options.keepFiles ? 'kept' : 'deleted after the run; --keep keeps them'})`,
  );
  try {
    const phases: PhaseSummary[] = [];
    const phase: Phase = async (name, body) => {
      const outcome = await runPhase(name, body);
      phases.push(outcome.summary);
      return outcome.value;
    };
    const decks = await phase('generate the deck, write both formats', () => writeDecks(options, dir));
    const loaded = await loadDecks(options, decks, phase);
    const inMemory = await rateInMemory(options, decks, loaded.tariff, dir, phase);
    const filePath = await rateFile(options, decks, loaded.tariff, inMemory.cdrFile, dir, phase);
    return ratingReport({ options, decks, loaded, inMemory, filePath, phases });
  } finally {
    if (!options.keepFiles) await rm(dir, { recursive: true, force: true });
  }
}

async function writeDecks(options: BenchOptions, dir: string): Promise<WrittenDecks> {
  const deck = generateDeck({ seed: options.seed, prefixCount: options.prefixes });
  const nativeDir = join(dir, 'native');
  const cgratesDir = join(dir, 'cgrates');
  await mkdir(nativeDir);
  await mkdir(cgratesDir);
  return {
    native: await writeNativeDeck(deck, nativeDir),
    cgrates: await writeCgratesDeck(deck, cgratesDir),
    source: { currency: deck.currency, timeZone: deck.timeZone, tariffId: deck.tariffId },
    context: { tenant: deck.tenant, category: deck.category },
    prefixes: deck.destinations.flatMap((destination) => destination.prefixes),
    description:
      `${formatCount(deck.prefixCount)} prefixes (3-9 digits, with +) in ${formatCount(deck.destinations.length)} ` +
      `destinations; ${formatCount(deck.rates.length)} rates (60/60, 1/1, 60/1; 4-5 decimals); time bands ` +
      `${deck.timeBands.map(describeTimeBand).join(', ')} in ${deck.timeZone}; one rating plan binding every destination ` +
      `in every band; one \`*any\` profile for category ${deck.category}; rounding ${deck.rounding.method} to ` +
      `${deck.rounding.decimals} decimals`,
  };
}

/**
 * Loads both files as a server would, then rates the first calls of the run with both compiled
 * tariffs: they must agree. Only the native tariff is kept for the phases that follow.
 */
async function loadDecks(options: BenchOptions, decks: WrittenDecks, phase: Phase): Promise<LoadedDecks> {
  const native = await phase('load the native deck', () =>
    measureDeckLoad({ ...decks.source, path: decks.native.path, format: 'native' }),
  );
  const cgrates = await phase('load the CGRateS deck', () =>
    measureDeckLoad({ ...decks.source, path: decks.cgrates.path, format: 'cgrates' }),
  );
  const checked = await phase('rate sample calls with both decks', () => {
    const sample = cdrOptions(options, decks, Math.min(options.cdrs, CROSS_CHECK_CALLS));
    const requests = [...generateCdrs(sample)].map((cdr) => requestOf(decks.context, cdr));
    return {
      comparison: compareTariffs(native.tariff, cgrates.tariff, requests),
      bandCrossings: countBandCrossings(native.tariff, requests),
    };
  });
  return { tariff: native.tariff, nativeMs: native.elapsedMs, cgratesMs: cgrates.elapsedMs, ...checked };
}

/** The requests live only inside this function, so the file phases do not carry them. */
async function rateInMemory(
  options: BenchOptions,
  decks: WrittenDecks,
  tariff: CompiledTariff,
  dir: string,
  phase: Phase,
): Promise<InMemoryResult> {
  const cdrFile = join(dir, 'cdrs.csv');
  const generated = await phase('generate CDRs: file and requests', () =>
    generateCdrFile(cdrOptions(options, decks, options.cdrs), decks.context, cdrFile),
  );
  const run = await phase('rate in memory', (sample) => measureRating(tariff, generated.requests, sample));
  return { cdrFile, cdrBytes: generated.bytes, meanDurationMs: generated.meanDurationMs, run };
}

/**
 * The baseline runs first, on the same file, through the same reader; then the file path on one
 * thread, then on worker threads, which load the deck from the file the bench wrote before the
 * clock of their run starts.
 */
async function rateFile(
  options: BenchOptions,
  decks: WrittenDecks,
  tariff: CompiledTariff,
  cdrFile: string,
  dir: string,
  phase: Phase,
): Promise<FilePathResult> {
  const { context } = decks;
  const baseline = await phase('read the CDR file (baseline)', (sample) => scanCdrFile(cdrFile, sample));
  const oneThreadOutput = join(dir, 'rated.csv');
  const rated = await phase('rate the CDR file', (sample) =>
    rateCdrFile(tariff, context, cdrFile, oneThreadOutput, sample),
  );
  const threads = `${options.workers} worker thread${options.workers === 1 ? '' : 's'}`;
  const source: TariffSource = { ...decks.source, path: decks.native.path, format: 'native' };
  const pool = await phase(`start ${threads}, each loading the native deck`, (sample) =>
    RatingWorkerPool.start({ source, context, workers: options.workers }, sample),
  );
  const parallelOutput = join(dir, 'rated-parallel.csv');
  try {
    const run = await phase(`rate the CDR file, ${threads}`, (sample) =>
      pool.rateFile(cdrFile, parallelOutput, sample),
    );
    return {
      baseline,
      rated,
      parallel: {
        startUp: pool.startUp,
        run,
        workerYoungGenerationMb: workerResourceLimits().maxYoungGenerationSizeMb ?? null,
        sameOutputAsOneThread: await sameFileContents(oneThreadOutput, parallelOutput),
      },
    };
  } finally {
    await pool.close();
  }
}

/** The CDR stream has its own seed, so a deck of another size does not change the calls' times. */
function cdrOptions(options: BenchOptions, decks: WrittenDecks, count: number): CdrOptions {
  return {
    seed: options.seed + 1,
    count,
    prefixes: decks.prefixes,
    monthStartMs: MONTH_START_MS,
    days: MONTH_DAYS,
  };
}

async function generateCdrFile(
  options: CdrOptions,
  context: CdrContext,
  path: string,
): Promise<{ requests: RatingRequest[]; bytes: number; meanDurationMs: number }> {
  const sink = new FileSink(path);
  await sink.write(`${CDR_COLUMNS.join(',')}\n`);
  const requests: RatingRequest[] = [];
  let lines = '';
  let totalDurationMs = 0;
  for (const cdr of generateCdrs(options)) {
    requests.push(requestOf(context, cdr));
    totalDurationMs += cdr.durationMs;
    lines += cdrLine(cdr);
    if (requests.length % CDR_LINES_PER_WRITE === 0) {
      await sink.write(lines);
      lines = '';
    }
  }
  await sink.write(lines);
  const bytes = await sink.close();
  return { requests, bytes, meanDurationMs: totalDurationMs / Math.max(1, requests.length) };
}

function requestOf(
  context: CdrContext,
  cdr: { subject: string; destination: string; answerTimeMs: number; durationMs: number },
): RatingRequest {
  return cdrRatingRequest(context, cdr.subject, cdr.destination, cdr.answerTimeMs, cdr.durationMs);
}
