import type { rateUsage } from '@tollgate/core';

type RatingResult = ReturnType<typeof rateUsage>;

/**
 * A tally as plain data, to cross a thread boundary: the cost sum as decimal text, since a bigint
 * cannot be posted everywhere a tally may travel.
 */
export interface TallyCounts {
  readonly rated: number;
  readonly errorsByCode: readonly (readonly [string, number])[];
  /** Exact sum of costs in micro-units, as decimal digits (with a `-` if negative). */
  readonly costSumMicros: string;
}

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

  addError(code: string, count = 1): void {
    this.errors += count;
    this.errorsByCode.set(code, (this.errorsByCode.get(code) ?? 0) + count);
  }

  get total(): number {
    return this.rated + this.errors;
  }

  toCounts(): TallyCounts {
    return {
      rated: this.rated,
      errorsByCode: [...this.errorsByCode],
      costSumMicros: this.costSumMicros.toString(),
    };
  }

  /** Adds another tally's counts, as another thread made them. */
  addCounts(counts: TallyCounts): void {
    this.rated += counts.rated;
    this.costSumMicros += BigInt(counts.costSumMicros);
    for (const [code, count] of counts.errorsByCode) this.addError(code, count);
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
