import type { RejectReason, UsageUnit } from '../usage-record.js';
import type { UnitsScale } from './source-profile.js';

export type UsageQuantity =
  | { readonly ok: true; readonly value: bigint }
  | {
      readonly ok: false;
      readonly reason: Extract<RejectReason, 'invalid_field' | 'negative_usage' | 'impossible_usage'>;
      /** Says what is wrong with the value, for the message: `units "-5" <problem>`. */
      readonly problem: string;
    };

/** Usage is stored as int8 (PostgreSQL bigint): more cannot be held, and is no real usage. */
export const MAX_USAGE_UNITS = 9_223_372_036_854_775_807n;
/** More significant digits than int8 holds; checked before BigInt so a long digit run costs nothing. */
const MAX_DIGITS = 19;
const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/**
 * A units column read in its scale as whole units of the service: kilobytes become bytes, and a
 * duration becomes whole seconds rounded up (a started second is a used second, as switches
 * and tariffs count it), so milliseconds and fractional seconds are never billed short.
 * Decimals are refused for every other scale: a fraction of a byte or message is a broken file.
 */
export function readUsageUnits(text: string, scale: UnitsScale): UsageQuantity {
  const match = DECIMAL.exec(text.trim());
  if (match === null) return invalid('is not a number of units');
  const [, sign, whole, fraction] = match;
  const wholeDigits = whole!.replace(/^0+(?=\d)/, '');
  const fractionNonZero = fraction !== undefined && /[1-9]/.test(fraction);
  if (sign === '-' && (wholeDigits !== '0' || fractionNonZero))
    return { ok: false, reason: 'negative_usage', problem: 'is negative' };
  if (fraction !== undefined && scale !== 'seconds' && scale !== 'milliseconds')
    return invalid(`is not a whole number of ${scale}`);
  if (wholeDigits.length > MAX_DIGITS) return tooLarge();
  const value = BigInt(wholeDigits);
  const units = scaled(value, fractionNonZero, scale);
  return units > MAX_USAGE_UNITS ? tooLarge() : { ok: true, value: units };
}

/** A count a format writes as an integer (Asterisk's duration and billsec): no sign, no decimals. */
export function readWholeCount(text: string): UsageQuantity {
  return readUsageUnits(text, 'units');
}

/** The unit a units column read in this scale gives. */
export function unitOfScale(scale: UnitsScale): UsageUnit {
  switch (scale) {
    case 'seconds':
    case 'milliseconds':
      return 'seconds';
    case 'bytes':
    case 'kilobytes':
      return 'bytes';
    case 'messages':
      return 'messages';
    case 'units':
      return 'units';
  }
}

function scaled(value: bigint, fractionNonZero: boolean, scale: UnitsScale): bigint {
  switch (scale) {
    case 'seconds':
      return fractionNonZero ? value + 1n : value;
    case 'milliseconds': {
      const seconds = value / 1000n;
      return value % 1000n !== 0n || fractionNonZero ? seconds + 1n : seconds;
    }
    case 'kilobytes':
      return value * 1000n;
    case 'bytes':
    case 'messages':
    case 'units':
      return value;
  }
}

function invalid(problem: string): UsageQuantity {
  return { ok: false, reason: 'invalid_field', problem };
}

function tooLarge(): UsageQuantity {
  return {
    ok: false,
    reason: 'impossible_usage',
    problem: `is more than ${MAX_USAGE_UNITS} units, the most a record can hold`,
  };
}
