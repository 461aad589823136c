import { fail, ok, type Result } from '../result.js';
import { parseDataVolume } from './data-volume.js';
import { parseDuration } from './duration.js';
import { parseMessageCount } from './message-count.js';

/** A usage amount: time in milliseconds, data in bytes, or a count of messages or events. */
export type Quantity =
  | { readonly kind: 'duration'; readonly durationMs: number }
  | { readonly kind: 'volume'; readonly volumeBytes: number }
  | { readonly kind: 'count'; readonly count: number };

/** Every data-volume unit (B, kB, MiB, ...) ends in B for bytes, and no duration unit does. */
const VOLUME_SUFFIX = /B$/;
const DIGITS_ONLY = /^\d+$/;

/**
 * Reads a quantity whose kind the text itself declares:
 * - a JS number, or a string of digits only, is a count ("3" is three messages, never bytes);
 * - a string ending in a data-volume unit is a volume ("1MB", "1.5 GiB", "1500B");
 * - anything else must be a duration ("45s", "1m", "PT1M").
 * So "1m" is a minute, "1MB" a megabyte, and "1M" nothing at all. Failures have code
 * `invalid_quantity` and name the input.
 */
export function parseQuantity(input: string | number): Result<Quantity> {
  if (typeof input === 'number' || DIGITS_ONLY.test(input.trim())) {
    const count = parseMessageCount(input);
    return count.ok ? ok({ kind: 'count', count: count.value }) : invalid(input, count.error.message);
  }
  if (VOLUME_SUFFIX.test(input.trim())) {
    const volume = parseDataVolume(input);
    return volume.ok
      ? ok({ kind: 'volume', volumeBytes: volume.value })
      : invalid(input, volume.error.message);
  }
  const duration = parseDuration(input);
  return duration.ok
    ? ok({ kind: 'duration', durationMs: duration.value })
    : invalid(input, duration.error.message);
}

/** Durations are measured in time; volumes and counts are both amounts of something. */
export function quantityDimension(q: Quantity): 'time' | 'amount' {
  return q.kind === 'duration' ? 'time' : 'amount';
}

/** The quantity in its base unit: milliseconds, bytes or items. */
export function quantityBaseUnits(q: Quantity): number {
  switch (q.kind) {
    case 'duration':
      return q.durationMs;
    case 'volume':
      return q.volumeBytes;
    case 'count':
      return q.count;
  }
}

function invalid(input: string | number, detail: string): Result<never> {
  return fail('invalid_quantity', `${quote(input)} is not a valid quantity (${detail})`);
}

/** Strings in quotes (so "" and " " are visible), numbers as JavaScript writes them (NaN, -1). */
function quote(input: string | number): string {
  return typeof input === 'string' ? JSON.stringify(input) : String(input);
}
