import { formatScaled, parseDecimal, pow10 } from '../money/decimal.js';
import { fail, ok, type Result } from '../result.js';

/**
 * Bytes per unit. Both families are named explicitly because operators mean both:
 * - decimal (SI, as IEC 80000-13 and mobile data plans use): kB = KB = 1000, MB = 10^6, ...
 * - binary (IEC): KiB = 1024, MiB = 1024^2, ...
 * Only these exact spellings are accepted. Lower-case "b" means bits ("Mb" is a megabit), so
 * "mb", "Mb" or "kb" are rejected rather than guessed.
 */
const BYTES_PER_UNIT: Readonly<Record<string, bigint>> = {
  B: 1n,
  kB: 1000n,
  KB: 1000n,
  MB: 1000n ** 2n,
  GB: 1000n ** 3n,
  TB: 1000n ** 4n,
  PB: 1000n ** 5n,
  KiB: 1024n,
  MiB: 1024n ** 2n,
  GiB: 1024n ** 3n,
  TiB: 1024n ** 4n,
  PiB: 1024n ** 5n,
};

/** Units formatDataVolume uses, largest first. */
const DECIMAL_UNITS = ['PB', 'TB', 'GB', 'MB', 'kB'] as const;
const BINARY_UNITS = ['PiB', 'TiB', 'GiB', 'MiB', 'KiB'] as const;

/** formatDataVolume picks a larger unit only when it needs at most this many decimals. */
const MAX_FORMAT_DECIMALS = 3;

/** A bound on input length, checked before any pattern runs. */
const MAX_DATA_VOLUME_TEXT_LENGTH = 64;
const DATA_VOLUME_PATTERN = /^(\d+(?:\.\d+)?) ?([A-Za-z]*)$/;

/**
 * Parses a data volume into whole bytes (volumeBytes): "1500", "1500B", "1.5MB", "1 KiB".
 * A plain number is bytes. The result must be a whole, safe-integer number of bytes, so
 * "0.0001KB" is rejected; failures have code `invalid_data_volume`.
 */
export function parseDataVolume(text: string): Result<number> {
  const trimmed = text.trim();
  const match = trimmed.length > MAX_DATA_VOLUME_TEXT_LENGTH ? null : DATA_VOLUME_PATTERN.exec(trimmed);
  if (match === null) return invalid(text, 'expected e.g. "1500", "1.5MB" or "2GiB"');
  const [, amount = '', unit = ''] = match;
  const bytesPerUnit = unit === '' ? 1n : BYTES_PER_UNIT[unit];
  if (bytesPerUnit === undefined) return invalid(text, `unknown unit "${unit}"`);
  const parsed = parseDecimal(amount);
  if (!parsed.ok) return invalid(text, 'expected a decimal number');
  const exact = parsed.value.coefficient * bytesPerUnit;
  const divisor = pow10(parsed.value.scale);
  if (exact % divisor !== 0n) return invalid(text, 'not a whole number of bytes');
  const volumeBytes = exact / divisor;
  if (volumeBytes > BigInt(Number.MAX_SAFE_INTEGER)) return invalid(text, 'too large');
  return ok(Number(volumeBytes));
}

/**
 * Short, exact text for a volume in the decimal (1000: kB, MB, ...) or binary (1024: KiB, MiB,
 * ...) family: the largest unit that shows the value with at most 3 decimals, else bytes.
 * 1500 -> "1.5kB", 1536 (1024) -> "1.5KiB", 1025 (1024) -> "1025B". parseDataVolume reads it back.
 */
export function formatDataVolume(volumeBytes: number, base: 1000 | 1024): string {
  if (!Number.isSafeInteger(volumeBytes) || volumeBytes < 0) {
    throw new RangeError(`formatDataVolume: ${volumeBytes} is not a whole, non-negative number of bytes`);
  }
  const bytes = BigInt(volumeBytes);
  const scaledBytes = bytes * pow10(MAX_FORMAT_DECIMALS);
  for (const unit of base === 1000 ? DECIMAL_UNITS : BINARY_UNITS) {
    const bytesPerUnit = BYTES_PER_UNIT[unit] ?? 1n;
    if (bytes >= bytesPerUnit && scaledBytes % bytesPerUnit === 0n) {
      return `${formatScaled(scaledBytes / bytesPerUnit, MAX_FORMAT_DECIMALS)}${unit}`;
    }
  }
  return `${volumeBytes}B`;
}

function invalid(text: string, reason: string): Result<never> {
  return fail('invalid_data_volume', `"${text}" is not a valid data volume: ${reason}`);
}
