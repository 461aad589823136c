import { formatScaled, pow10 } from './decimal.js';

/** Greatest common divisor, always non-negative; gcd(0, 0) is 0. */
export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** Least common multiple of two positive integers. */
export function lcm(a: bigint, b: bigint): bigint {
  return (a / gcd(a, b)) * b;
}

/** n/d as exact decimal text when d divides a power of ten, else as `n/d` in lowest terms. */
export function formatFraction(numerator: bigint, denominator: bigint): string {
  const divisor = gcd(numerator, denominator) || 1n;
  const n = numerator / divisor;
  const d = denominator / divisor;
  let rest = d;
  let twos = 0;
  let fives = 0;
  while (rest % 2n === 0n) {
    rest /= 2n;
    twos++;
  }
  while (rest % 5n === 0n) {
    rest /= 5n;
    fives++;
  }
  if (rest !== 1n) return `${n}/${d}`;
  const scale = Math.max(twos, fives);
  return formatScaled((n * pow10(scale)) / d, scale);
}
