import { bytes, duration, type Formats, num } from '../i18n/format.js';

/**
 * A usage amount in its unit: seconds as a duration, bytes in the largest fitting unit, else a
 * count. Ledger postings are signed (an allowance lapsing is negative), so the sign is kept apart.
 */
export function usageQuantity(f: Formats, unit: string, units: string): string {
  const value = Number(units);
  if (!Number.isFinite(value)) return units;
  const magnitude = Math.abs(value);
  const sign = value < 0 ? '−' : '';
  if (unit === 'seconds') return `${sign}${duration(f, magnitude)}`;
  if (unit === 'bytes') return `${sign}${bytes(f, magnitude)}`;
  if (unit === 'messages') return `${sign}${num(f, magnitude)} ${magnitude === 1 ? 'message' : 'messages'}`;
  return `${sign}${num(f, magnitude)} ${unit}`;
}
