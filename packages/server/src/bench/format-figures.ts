/** Figures as people read them: grouped digits, fixed decimals, binary megabytes. */

const MIB = 1024 * 1024;

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatPerSecond(count: number, elapsedMs: number): string {
  return formatCount(perSecond(count, elapsedMs));
}

export function perSecond(count: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (count * 1_000) / elapsedMs : Number.POSITIVE_INFINITY;
}

export function formatSeconds(elapsedMs: number): string {
  return `${(elapsedMs / 1_000).toFixed(2)} s`;
}

export function formatMib(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

export function formatPercent(part: number, whole: number): string {
  return `${whole > 0 ? ((part * 100) / whole).toFixed(1) : '0.0'}%`;
}
