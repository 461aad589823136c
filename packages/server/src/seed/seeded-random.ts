/**
 * A seeded pseudo-random generator (mulberry32, public domain): the bench's decks and CDRs, and the
 * demo operator's activity, must be the same on every run and machine, so that figures and
 * checksums can be compared between runs and a fresh demo looks the same everywhere; Math.random
 * cannot be seeded. 32 bits of state are plenty for test data; never use it for
 * anything secret.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`SeededRandom: seed ${seed} is not an integer`);
    this.state = seed >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer from min to max, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('SeededRandom.pick: empty list');
    return item;
  }

  /** An item chosen with probability proportional to its weight. */
  pickWeighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let point = this.next() * total;
    for (const [item, weight] of entries) {
      point -= weight;
      if (point < 0) return item;
    }
    const last = entries[entries.length - 1];
    if (last === undefined) throw new RangeError('SeededRandom.pickWeighted: empty list');
    return last[0]; // only reached through float rounding at the very end of the range
  }

  /** `count` decimal digits as text (leading zeros included). */
  digits(count: number): string {
    let text = '';
    for (let i = 0; i < count; i++) text += String.fromCharCode(48 + Math.floor(this.next() * 10));
    return text;
  }

  /** A standard normal variate (Box-Muller); 1 - next() keeps the logarithm away from zero. */
  normal(): number {
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    return radius * Math.cos(2 * Math.PI * this.next());
  }

  /**
   * A log-normal variate with the given median and spread (the standard deviation of its
   * logarithm): call lengths and session volumes are many short ones and a few long ones.
   */
  logNormal(median: number, spread: number): number {
    return median * Math.exp(spread * this.normal());
  }

  /** A Poisson count with the given mean (Knuth's method, for the small means of test data). */
  poisson(mean: number): number {
    if (!(mean >= 0) || mean > 500) throw new RangeError(`SeededRandom.poisson: mean ${mean} out of range`);
    const limit = Math.exp(-mean);
    let count = 0;
    let product = this.next();
    while (product > limit && count < 10_000) {
      count++;
      product *= this.next();
    }
    return count;
  }
}
