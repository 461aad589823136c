/**
 * How an exact quotient becomes an integer. The modes are symmetric around zero: `up` rounds away
 * from zero and `down` towards zero, so a refund rounds exactly like the charge it reverses.
 * - up: any remainder rounds away from zero (a started increment is a billed increment)
 * - down: the remainder is dropped
 * - half-up: a remainder of one half or more rounds away from zero (commercial rounding)
 * - half-even: a remainder of exactly one half rounds to the even neighbour (banker's rounding)
 */
export type RoundingMode = 'up' | 'down' | 'half-up' | 'half-even';

export const ROUNDING_MODES: readonly RoundingMode[] = ['up', 'down', 'half-up', 'half-even'];

export function isRoundingMode(value: unknown): value is RoundingMode {
  return typeof value === 'string' && (ROUNDING_MODES as readonly string[]).includes(value);
}

/** numerator / denominator rounded to an integer by `mode`. The denominator must not be zero. */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator === 0n) throw new RangeError('divideRounded: division by zero');
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const quotient = numerator / denominator; // truncates towards zero
  const remainder = numerator - quotient * denominator;
  if (remainder === 0n) return quotient;
  const away = numerator < 0n ? quotient - 1n : quotient + 1n;
  if (mode === 'down') return quotient;
  if (mode === 'up') return away;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice > denominator) return away;
  if (twice < denominator) return quotient;
  if (mode === 'half-up') return away;
  return quotient % 2n === 0n ? quotient : away; // half-even
}

/** Below this bound every intermediate of divideRoundedExactly is an exact double. */
const EXACT_BOUND = 2 ** 52;

/**
 * divideRounded for non-negative safe integers held as numbers: the same answer, without bigint
 * allocation, for the rating hot path. Returns null when an operand is at or above 2^52 (the
 * caller then uses divideRounded); below it the quotient, its product with the denominator and the
 * remainder are all exact, so this is integer arithmetic, never floating point.
 */
export function divideRoundedExactly(
  numerator: number,
  denominator: number,
  mode: RoundingMode,
): number | null {
  if (!(numerator >= 0 && numerator < EXACT_BOUND && denominator > 0 && denominator < EXACT_BOUND))
    return null;
  if (!Number.isInteger(numerator) || !Number.isInteger(denominator)) return null;
  let quotient = Math.floor(numerator / denominator);
  let remainder = numerator - quotient * denominator;
  // The division of doubles is correctly rounded, so the floor can be one off either way.
  if (remainder < 0) {
    quotient -= 1;
    remainder += denominator;
  } else if (remainder >= denominator) {
    quotient += 1;
    remainder -= denominator;
  }
  if (remainder === 0 || mode === 'down') return quotient;
  if (mode === 'up') return quotient + 1;
  const twice = remainder * 2;
  if (twice > denominator) return quotient + 1;
  if (twice < denominator) return quotient;
  return mode === 'half-up' || quotient % 2 === 1 ? quotient + 1 : quotient;
}
