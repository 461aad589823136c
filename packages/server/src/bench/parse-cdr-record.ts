import { fail, ok, type Problem, type RatingRequest, type Result } from '@tollgate/core';
import { type CdrContext, cdrRatingRequest } from './cdr-rating-request.js';
import { CDR_COLUMNS } from './generate-cdrs.js';
import { parseUtcInstant } from './parse-utc-instant.js';

/** A duration longer than a day is a broken record, not a call (switches cut long calls). */
const MAX_DURATION_MS = 86_400_000;
const MAX_DURATION_DIGITS = 9;
const CHAR_0 = 48;

/**
 * The rating request of one CDR record (`id,subject,destination,answer_time,duration_ms`), or the
 * reason it cannot be rated, with a stable code as mediation would reject it.
 */
export function parseCdrRecord(
  fields: readonly string[],
  context: CdrContext,
): Result<RatingRequest, Problem> {
  if (fields.length !== CDR_COLUMNS.length) {
    return fail('wrong_column_count', `expected ${CDR_COLUMNS.length} fields, found ${fields.length}`);
  }
  const [, subject = '', destination = '', answerTime = '', duration = ''] = fields;
  const answerTimeMs = parseUtcInstant(answerTime);
  if (Number.isNaN(answerTimeMs)) return fail('invalid_answer_time', `"${answerTime}" is not an instant`);
  const durationMs = parseDurationMs(duration);
  if (Number.isNaN(durationMs)) return fail('invalid_duration', `"${duration}" is not a duration in ms`);
  return ok(cdrRatingRequest(context, subject, destination, answerTimeMs, durationMs));
}

/** Whole milliseconds written as plain digits; NaN otherwise (Number() would take " 1e3"). */
function parseDurationMs(text: string): number {
  if (text.length === 0 || text.length > MAX_DURATION_DIGITS) return Number.NaN;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - CHAR_0;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value <= MAX_DURATION_MS ? value : Number.NaN;
}
