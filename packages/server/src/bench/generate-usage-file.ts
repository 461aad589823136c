import { SeededRandom } from '../seed/seeded-random.js';
import { subscriberMsisdn } from './bench-seed-rows.js';
import { SPARE_COUNTRY_CODE } from './country-calling-codes.js';
import { FileSink } from './file-sink.js';
import { drawAnswerTimeMs, drawDestination, drawDurationMs } from './generate-cdrs.js';

export interface UsageFileOptions {
  readonly seed: number;
  readonly records: number;
  /** Callers are drawn from the MSISDNs of subscribers 0..subscribers-1 (subscriberMsisdn). */
  readonly subscribers: number;
  /** The deck's prefixes, written with `+`; called numbers extend them. */
  readonly prefixes: readonly string[];
  /** First instant of the month the calls are spread over, UTC epoch ms. */
  readonly monthStartMs: number;
  readonly days: number;
}

/** What the bench knows of the file it wrote, to check what ingestion made of it. */
export interface WrittenUsageFile {
  readonly path: string;
  readonly records: number;
  readonly bytes: number;
  /** Calls under the spare country code: no prefix of the deck matches them. */
  readonly unmatched: number;
  /** Seconds of every other call: what the rated rows must add up to. */
  readonly matchedSeconds: number;
  readonly meanSeconds: number;
}

/** The CSV header. */
export const USAGE_FILE_COLUMNS = ['id', 'caller', 'callee', 'answered_at', 'seconds'] as const;

/** The usage source profile that reads the file (formats/source-profile.ts); the rest is default. */
export const USAGE_FILE_PROFILE = {
  format: 'csv',
  timeZone: 'UTC',
  csv: {
    header: true,
    columns: {
      recordId: 'id',
      subscriber: 'caller',
      destination: 'callee',
      startedAt: 'answered_at',
      units: 'seconds',
    },
    service: 'call',
    timeFormat: 'iso8601',
    unitsScale: 'seconds',
  },
} as const;

/** Lines per write: large enough that the stream is not the bottleneck, small enough to stay flat. */
const LINES_PER_WRITE = 10_000;

/**
 * Writes `records` calls as a German switch exports them, streamed to `path` (never held whole in
 * memory): the switch's unique id, the caller as a national number (`01700000042`), the callee with
 * the international prefix (`0044...`, a few under a spare country code), the answer time in UTC
 * ISO 8601 and the billed duration in whole seconds (log-normal, mean about 120 s). The same
 * options write the same bytes; a smaller count writes the first lines of a larger one.
 */
export async function generateUsageFile(options: UsageFileOptions, path: string): Promise<WrittenUsageFile> {
  const random = new SeededRandom(options.seed);
  const unmatchedStart = `+${SPARE_COUNTRY_CODE}`;
  const sink = new FileSink(path);
  let unmatched = 0;
  let matchedSeconds = 0;
  let totalSeconds = 0;
  try {
    await sink.write(`${USAGE_FILE_COLUMNS.join(',')}\n`);
    let lines = '';
    for (let i = 0; i < options.records; i++) {
      const caller = nationalForm(subscriberMsisdn(random.int(0, options.subscribers - 1)));
      const callee = drawDestination(random, options.prefixes);
      const answeredAt = `${new Date(drawAnswerTimeMs(random, options)).toISOString().slice(0, 19)}Z`;
      // A switch bills whole seconds; an answered call lasts at least one.
      const seconds = Math.max(1, Math.round(drawDurationMs(random) / 1_000));
      totalSeconds += seconds;
      if (callee.startsWith(unmatchedStart)) unmatched++;
      else matchedSeconds += seconds;
      lines += `${recordId(i)},${caller},00${callee.slice(1)},${answeredAt},${seconds}\n`;
      if ((i + 1) % LINES_PER_WRITE === 0) {
        await sink.write(lines);
        lines = '';
      }
    }
    await sink.write(lines);
  } catch (error) {
    sink.abort();
    throw error;
  }
  const bytes = await sink.close();
  return {
    path,
    records: options.records,
    bytes,
    unmatched,
    matchedSeconds,
    meanSeconds: totalSeconds / Math.max(1, options.records),
  };
}

/** The switch's own call id: unique in the source, so it is the record's natural key. */
function recordId(i: number): string {
  return `fra1-${String(i + 1).padStart(10, '0')}`;
}

/** +491700000042 as dialled in Germany: the trunk prefix 0 and the national number. */
function nationalForm(e164: string): string {
  return `0${e164.slice(3)}`;
}
