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
    notes: notes(),
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

function filePathFigures({ inMemory, filePath }: RatingMeasurements): Figure[] {
  const { baseline, rated } = filePath;
  const baselineRate = perSecond(baseline.records, baseline.elapsedMs);
  const fileRate = perSecond(rated.tally.total, rated.elapsedMs);
  const ratio = fileRate / baselineRate;
  const memory = inMemory.run.tally;
  const agree =
    rated.tally.costSumMicros === memory.costSumMicros &&
    rated.tally.rated === memory.rated &&
    rated.tally.errors === memory.errors;
  return [
    {
      kind: 'info',
      name: 'baseline: read and split the CDR file',
      value: `${formatPerSecond(baseline.records, baseline.elapsedMs)} CDRs/s (${formatSeconds(baseline.elapsedMs)})`,
    },
    {
      kind: 'info',
      name: 'file path: read, split, parse, rate, write',
      value: `${formatPerSecond(rated.tally.total, rated.elapsedMs)} CDRs/s (${formatSeconds(rated.elapsedMs)}, ${formatMib(rated.outputBytes)} written)`,
    },
    {
      kind: 'performance',
      name: 'file path / baseline',
      value: `${ratio.toFixed(2)}x`,
      target: `>= ${MIN_FILE_PATH_RATIO.toFixed(2)}x`,
      pass: ratio >= MIN_FILE_PATH_RATIO,
    },
    {
      kind: 'check',
      name: 'file path matches in memory',
      value: agree
        ? 'same rated, errors and checksum'
        : `file: ${rated.tally.rated} rated, ${rated.tally.errors} errors, sum ${rated.tally.costSumMicros}`,
      target: 'same',
      pass: agree,
    },
  ];
}

function notes(): string[] {
  const chunkMib = DEFAULT_CHUNK_BYTES / (1024 * 1024);
  return [
    'deck load: read the file(s), parse, check and compile through loadTariff ' +
      '(packages/server/src/tariffs/load-tariff.ts), once per format, after a full garbage collection.',
    `in memory: RatingRequest objects built before the clock starts; ${WARM_UP_ROUNDS} x ` +
      `${formatCount(WARM_UP_REQUESTS)} warm-up ratings; then rateUsage over every request, costs summed ` +
      'exactly as bigint micro-units.',
    `file path: ${chunkMib} MiB chunked reads; the CDR file has no quoted fields, so lines are split at \`\\n\` ` +
      'and fields at every `,` (no CSV quoting); answer times read by a fixed-shape YYYY-MM-DDTHH:MM:SSZ ' +
      'parser (Date.parse for other shapes); output id,cost,error with exact decimal costs, written with ' +
      'backpressure. The baseline is the same reader on the same file, without parsing, rating or writing; ' +
      'it runs first.',
    `peak memory: process.memoryUsage() every ${SAMPLE_INTERVAL_MS} ms and between slices of work; ${
      gcExposed()
        ? 'global.gc() before each phase'
        : "WARNING: run without --expose-gc, so peaks include earlier phases' garbage"
    }.`,
  ];
}
