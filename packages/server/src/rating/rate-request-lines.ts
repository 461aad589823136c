import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { type CompiledTariff, explainRating, formatScaled, rateUsage } from '@tollgate/core';
import { parseRatingRequest, type RatingRequestInput } from './parse-rating-request.js';

export interface RateLinesOptions {
  readonly tariff: CompiledTariff;
  readonly explain: boolean;
  readonly defaultTenant?: string;
  /** Called every PROGRESS_EVERY_LINES lines and at the end, with the lines read so far. */
  readonly onProgress?: (lines: number) => void;
}

export interface RateLinesSummary {
  readonly lines: number;
  readonly rated: number;
  readonly failed: number;
}

/** A bound on one request line: a rating request is a few hundred bytes. */
const MAX_LINE_LENGTH = 64 * 1024;
const PROGRESS_EVERY_LINES = 10_000;
/** Output is written in chunks of about this size, respecting backpressure. */
const OUTPUT_CHUNK_CHARS = 64 * 1024;

/**
 * Rates JSON Lines: one request per input line, one result per output line, in the same order.
 * A line that cannot be read or rated yields an error result for that line; the rest go on.
 */
export async function rateRequestLines(
  input: Readable,
  output: Writable,
  options: RateLinesOptions,
): Promise<RateLinesSummary> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  let rated = 0;
  let failed = 0;
  let buffer = '';
  for await (const line of lines) {
    lineNumber++;
    if (lineNumber % PROGRESS_EVERY_LINES === 0) options.onProgress?.(lineNumber);
    if (line.trim().length === 0) continue;
    const result = rateLine(line, lineNumber, options);
    if ('error' in result) failed++;
    else rated++;
    buffer += `${JSON.stringify(result)}\n`;
    if (buffer.length >= OUTPUT_CHUNK_CHARS) {
      await write(output, buffer);
      buffer = '';
    }
  }
  if (buffer.length > 0) await write(output, buffer);
  options.onProgress?.(lineNumber);
  return { lines: lineNumber, rated, failed };
}

function rateLine(line: string, lineNumber: number, options: RateLinesOptions): object {
  if (line.length > MAX_LINE_LENGTH)
    return lineError(null, lineNumber, `line is longer than ${MAX_LINE_LENGTH} characters`);
  let input: RatingRequestInput;
  try {
    input = JSON.parse(line) as RatingRequestInput;
  } catch (error) {
    return lineError(null, lineNumber, `not JSON: ${(error as Error).message}`);
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return lineError(null, lineNumber, 'a request must be a JSON object');
  }
  const id = input.id ?? null;
  const request = parseRatingRequest(input, options.defaultTenant);
  if (!request.ok) return lineError(id, lineNumber, request.error.message);
  const charge = rateUsage(options.tariff, request.value);
  if (!charge.ok) return { id, error: charge.error };
  const cost = formatScaled(charge.value.cost.amountMicros, 6);
  return options.explain
    ? { id, cost, currency: charge.value.cost.currency, explanation: explainRating(charge.value) }
    : { id, cost, currency: charge.value.cost.currency };
}

function lineError(id: unknown, line: number, message: string): object {
  return { id, line, error: { code: 'invalid_request', message: `line ${line}: ${message}` } };
}

function write(output: Writable, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const flushed = output.write(chunk, (error) => (error ? reject(error) : undefined));
    if (flushed) resolve();
    else output.once('drain', resolve);
  });
}
