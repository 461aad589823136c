import type { rateUsage } from '@tollgate/core';

type RatingResult = ReturnType<typeof rateUsage>;

/**
 * Counts of a rating run and the exact sum of its costs: the sum (bigint micro-units, never a
 * float) is the checksum that tells two runs, or two paths of one run, priced the same calls alike.
 */
export class RatingTally {
  rated = 0;
  errors = 0;
  costSumMicros = 0n;
  readonly errorsByCode = new Map<string, number>();

  add(result: RatingResult): void {
    if (result.ok) {
      this.rated++;
      this.costSumMicros += result.value.cost.amountMicros;
    } else {
      this.addError(result.error.code);
    }
  }

  addError(code: string): void {
    this.errors++;
    this.errorsByCode.set(code, (this.errorsByCode.get(code) ?? 0) + 1);
  }

  get total(): number {
    return this.rated + this.errors;
  }

  /** `no_rate_for_destination 30,012, invalid_duration 1` */
  describeErrors(): string {
    if (this.errorsByCode.size === 0) return 'none';
    return [...this.errorsByCode]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, count]) => `${code} ${count.toLocaleString('en-US')}`)
      .join(', ');
  }
}
