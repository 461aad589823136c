import { type CompiledTariff, formatScaled, MICROS_SCALE, rateUsage } from '@tollgate/core';
import type { CdrContext } from './cdr-rating-request.js';
import { parseCdrRecord } from './parse-cdr-record.js';
import type { RatingTally } from './rating-tally.js';

export const RATED_COLUMNS = ['id', 'cost', 'error'] as const;

/**
 * Parses and rates CDR records, counting each outcome in the tally, and returns their output lines
 * `id,cost,error` (cost as exact decimal text, or the error code). The one-thread and the parallel
 * file paths both rate through here, so their outputs can be compared byte for byte.
 */
export function rateCdrRecords(
  tariff: CompiledTariff,
  context: CdrContext,
  records: readonly (readonly string[])[],
  tally: RatingTally,
): string {
  let output = '';
  for (const fields of records) output += rateCdrRecord(tariff, context, fields, tally);
  return output;
}

function rateCdrRecord(
  tariff: CompiledTariff,
  context: CdrContext,
  fields: readonly string[],
  tally: RatingTally,
): string {
  const id = fields[0] ?? '';
  const request = parseCdrRecord(fields, context);
  if (!request.ok) {
    tally.addError(request.error.code);
    return `${id},,${request.error.code}\n`;
  }
  const result = rateUsage(tariff, request.value);
  tally.add(result);
  return result.ok
    ? `${id},${formatScaled(result.value.cost.amountMicros, MICROS_SCALE)},\n`
    : `${id},,${result.error.code}\n`;
}
