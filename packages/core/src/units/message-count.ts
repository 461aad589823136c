import { fail, ok, type Result } from '../result.js';

/** Digits only: no sign, exponent, fraction or separators ("1e3" and "1.0" are not counts). */
const COUNT_PATTERN = /^\d{1,16}$/;

/**
 * Parses a count of messages (SMS, MMS) or other discrete events: a non-negative safe integer,
 * given as a JSON number or as decimal digits. Failures have code `invalid_count`.
 */
export function parseMessageCount(input: string | number): Result<number> {
  const count = typeof input === 'number' ? input : parseDigits(input);
  if (!Number.isSafeInteger(count) || count < 0) {
    return fail('invalid_count', `${quote(input)} is not a whole, non-negative count`);
  }
  // -0 is a safe integer >= 0; normalise it so it never shows up as "-0".
  return ok(count === 0 ? 0 : count);
}

/** The number the digits spell, or NaN when the text is not digits only. */
function parseDigits(text: string): number {
  const trimmed = text.trim();
  return COUNT_PATTERN.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** Strings in quotes (so "" and " " are visible), numbers as JavaScript writes them (NaN, -1). */
function quote(input: string | number): string {
  return typeof input === 'string' ? JSON.stringify(input) : String(input);
}
