import { availableParallelism } from 'node:os';
import { formatScaled, MICROS_SCALE } from '@tollgate/core';
import {
  formatCount,
  formatMib,
  formatPercent,
  formatPerSecond,
  formatSeconds,
  perSecond,
} from './format-figures.js';
import { UNMATCHED_SHARE } from './generate-cdrs.js';
import { WARM_UP_REQUESTS, WARM_UP_ROUNDS } from './measure-rating.js';
import { SAMPLE_INTERVAL_MS } from './memory-sampler.js';
import type { RatingMeasurements } from './rating-measurements.js';
import type { RatingTally } from './rating-tally.js';
import { CHUNKS_IN_FLIGHT_PER_WORKER } from './rating-worker-pool.js';
import { DEFAULT_CHUNK_BYTES } from './read-csv-batches.js';
import { gcExposed } from './run-phase.js';
import type { Figure, WorkloadReport } from './workload.js';
import type { WrittenDeck } from './write-native-deck.js';

/** Targets of the rating workload: timings report PASS or MISS, never fail the run. */
const MAX_DECK_LOAD_MS = 2_000;
const MIN_RATINGS_PER_SECOND = 500_000;
const MIN_FILE_PATH_RATIO = 0.5;

export function ratingReport(measured: RatingMeasurements): WorkloadReport {
  const { options, decks, inMemory } = measured;
  const meanSeconds = (inMemory.meanDurationMs / 1_000).toFixed(1);
  return {
    parameters: [
      ['seed', `${options.seed} (deck), ${options.seed + 1} (CDRs)`],
      ['deck', decks.description],
      [
        'CDRs',
        `${formatCount(options.cdrs)} (${formatMib(inMemory.cdrBytes)}), answer times over March 2026 ` +
          `(UTC, whole seconds, daily traffic curve), durations log-normal (sigma 1, mean ${meanSeconds} s, ` +
          `ms precision), about ${formatPercent(UNMATCHED_SHARE, 1)} to numbers that no prefix matches`,
      ],
    ],
    figures: [...deckFigures(measured), ...ratingFigures(measured), ...filePathFigures(measured)],
    phases: measured.phases,
    notes: notes(measured),
  };
}

function deckFigures({ decks, loaded }: RatingMeasurements): Figure[] {
  const load = (name: string, deck: WrittenDeck, elapsedMs: number): Figure => ({
    kind: 'performance',
    name: `deck load, ${name} (${deck.files} file${deck.files === 1 ? '' : 's'}, ${formatMib(deck.bytes)})`,
    value: formatSeconds(elapsedMs),
    target: `<= ${formatSeconds(MAX_DECK_LOAD_MS)}`,
    pass: elapsedMs <= MAX_DECK_LOAD_MS,
  });
  const { compared, mismatches, firstMismatch } = loaded.comparison;
  return [
    load('native tariff.json', decks.native, loaded.nativeMs),
    load('CGRateS CSV folder', decks.cgrates, loaded.cgratesMs),
    {
      kind: 'check',
      name: 'native and CGRateS decks price alike',
      value: `${formatCount(mismatches)} of ${formatCount(compared)} calls differ${firstMismatch === null ? '' : ` (first: ${firstMismatch})`}`,
      target: 'none differ',
      pass: mismatches === 0,
    },
    {
      kind: 'info',
      name: 'calls crossing a time band boundary',
      value: `${formatCount(loaded.bandCrossings)} of the same ${formatCount(compared)} (${formatPercent(loaded.bandCrossings, compared)})`,
    },
  ];
}

function ratingFigures({ inMemory }: RatingMeasurements): Figure[] {
  const { tally, elapsedMs } = inMemory.run;
  const ratingsPerSecond = perSecond(tally.total, elapsedMs);
  return [
    {
      kind: 'performance',
      name: 'ratings in memory, one core',
      value: `${formatCount(ratingsPerSecond)} /s (${formatCount(tally.total)} in ${formatSeconds(elapsedMs)})`,
      target: `>= ${formatCount(MIN_RATINGS_PER_SECOND)} /s`,
      pass: ratingsPerSecond >= MIN_RATINGS_PER_SECOND,
    },
    {
      kind: 'info',
      name: 'rated / not rated',
      value: `${formatCount(tally.rated)} / ${formatCount(tally.errors)} (${formatPercent(tally.errors, tally.total)}: ${tally.describeErrors()})`,
    },
    {
      kind: 'info',
      name: 'checksum: sum of costs',
      value: `${formatScaled(tally.costSumMicros, MICROS_SCALE)} (${tally.costSumMicros} micros)`,
    },
  ];
}

function filePathFigures(measured: RatingMeasurements): Figure[] {
  const { baseline, rated, parallel } = measured.filePath;
  const baselineRate = perSecond(baseline.records, baseline.elapsedMs);
  const ratio = perSecond(rated.tally.total, rated.elapsedMs) / baselineRate;
  const parallelRatio = perSecond(parallel.run.tally.total, parallel.run.elapsedMs) / baselineRate;
  const threads = workerThreads(parallel.run.workers);
  const { startUp, run } = parallel;
  const busy = run.busyMs.map((ms) => formatPercent(ms, run.elapsedMs)).join(', ');
  return [
    {
      kind: 'info',
      name: 'baseline: read and split the CDR file',
      value: `${formatPerSecond(baseline.records, baseline.elapsedMs)} CDRs/s (${formatSeconds(baseline.elapsedMs)})`,
    },
    {
      kind: 'info',
      name: 'file path, one thread: read, split, parse, rate, write',
      value: `${formatPerSecond(rated.tally.total, rated.elapsedMs)} CDRs/s (${formatSeconds(rated.elapsedMs)}, ${formatMib(rated.outputBytes)} written)`,
    },
    {
      kind: 'info',
      name: 'file path / baseline',
      value: `${ratio.toFixed(2)}x`,
      target: `one-thread reference; the ${MIN_FILE_PATH_RATIO.toFixed(2)}x target is on the parallel path`,
    },
    matchesInMemory('file path, one thread, matches in memory', measured, rated.tally),
    {
      kind: 'info',
      name: `worker start-up: ${threads} each load the native deck`,
      value: `${formatSeconds(startUp.wallMs)} (each worker's load: ${startUp.loadMs.map(formatSeconds).join(', ')}); not in the timing below`,
    },
    {
      kind: 'info',
      name: `file path, ${threads}: read, split, parse, rate, write`,
      value:
        `${formatPerSecond(run.tally.total, run.elapsedMs)} CDRs/s (${formatSeconds(run.elapsedMs)}, ` +
        `${formatMib(run.outputBytes)} written, ${formatCount(run.chunks)} chunks; workers busy ${busy})`,
    },
    {
      kind: 'performance',
      name: 'parallel file path / baseline',
      value: `${parallelRatio.toFixed(2)}x`,
      target: `>= ${MIN_FILE_PATH_RATIO.toFixed(2)}x (${threads} + main thread vs one thread)`,
      pass: parallelRatio >= MIN_FILE_PATH_RATIO,
    },
    matchesInMemory('parallel file path matches in memory', measured, run.tally),
    {
      kind: 'check',
      name: 'parallel output file equals one-thread output file',
      value: parallel.sameOutputAsOneThread ? 'byte for byte' : 'the files differ',
      target: 'same bytes',
      pass: parallel.sameOutputAsOneThread,
    },
  ];
}

function matchesInMemory(name: string, { inMemory }: RatingMeasurements, tally: RatingTally): Figure {
  const memory = inMemory.run.tally;
  const agree =
    tally.costSumMicros === memory.costSumMicros &&
    tally.rated === memory.rated &&
    tally.errors === memory.errors &&
    tally.describeErrors() === memory.describeErrors();
  return {
    kind: 'check',
    name,
    value: agree
      ? 'same rated, errors and checksum'
      : `file: ${tally.rated} rated, ${tally.errors} errors (${tally.describeErrors()}), sum ${tally.costSumMicros}`,
    target: 'same',
    pass: agree,
  };
}

function workerThreads(count: number): string {
  return `${count} worker thread${count === 1 ? '' : 's'}`;
}

function notes({ filePath }: RatingMeasurements): string[] {
  const chunkMib = DEFAULT_CHUNK_BYTES / (1024 * 1024);
  const { parallel } = filePath;
  const threads = workerThreads(parallel.run.workers);
  const youngGeneration =
    parallel.workerYoungGenerationMb === null
      ? "V8's default young generation"
      : `resourceLimits.maxYoungGenerationSizeMb ${parallel.workerYoungGenerationMb} (the main thread's ` +
        `--max-semi-space-size x 3)`;
  return [
    'deck load: read the file(s), parse, check and compile through loadTariff ' +
      '(packages/server/src/tariffs/load-tariff.ts), once per format, after a full garbage collection.',
    `in memory: RatingRequest objects built before the clock starts; ${WARM_UP_ROUNDS} x ` +
      `${formatCount(WARM_UP_REQUESTS)} warm-up ratings; then rateUsage over every request, costs summed ` +
      'exactly as bigint micro-units.',
    `file path: ${chunkMib} MiB chunked reads; the CDR file has no quoted fields, so lines are split at \`\\n\` ` +
      'and fields at every `,` (no CSV quoting); answer times read by a fixed-shape YYYY-MM-DDTHH:MM:SSZ ' +
      'parser (Date.parse for other shapes); output id,cost,error with exact decimal costs, written with ' +
      'backpressure. The baseline is the same reader on the same file, without parsing, rating or writing, ' +
      'on one thread; it runs first. The one-thread file path does everything on the main thread.',
    `parallel file path: ${threads} rate, the main thread only reads and writes, so it uses up to ` +
      `${parallel.run.workers + 1} threads on a machine of ${availableParallelism()} against the baseline's one. ` +
      `The main thread reads ${chunkMib} MiB of raw bytes at a time, cuts after the last \`\\n\` and hands the ` +
      'chunks round-robin to the workers by transferring their ArrayBuffer (no copy, no clone of records); ' +
      'each worker decodes, splits (the same code as the reader above), parses, rates, formats and transfers ' +
      "its output bytes back with the chunk's tally; the main thread writes outputs in input order through a " +
      `reorder buffer, with at most ${CHUNKS_IN_FLIGHT_PER_WORKER} chunks per worker read and not yet written, ` +
      'and waits for the file to drain. Each worker loads the native deck itself through loadTariff before ' +
      'the clock starts (worker start-up, reported apart); workers start with a cold JIT, and their warm-up ' +
      `is inside the timing. Workers have ${youngGeneration}. "workers busy": each worker's time rating chunks ` +
      'over the timed run.',
    `peak memory: process.memoryUsage() every ${SAMPLE_INTERVAL_MS} ms and between slices of work; ${
      gcExposed()
        ? 'global.gc() before each phase'
        : "WARNING: run without --expose-gc, so peaks include earlier phases' garbage"
    }. RSS is the whole process, worker threads included; with workers, heap used adds the heap each ` +
      "worker last reported (after each chunk) to the main thread's. The main thread keeps its own compiled " +
      'deck through the worker phases, and each worker holds one more.',
  ];
}
