const TENTHS = 10;

/**
 * Records per second over each tenth of a long run (by records done): an average over the whole
 * run hides a slow start (caches filling, statistics not yet gathered) or a drift as tables grow.
 * A progress report that crosses a tenth closes it; one that crosses two (batches larger than a
 * tenth of a small file) closes one, so a small run may show fewer than ten.
 */
export class RateByTenth {
  readonly #marks: { readonly done: number; readonly atMs: number }[];

  constructor(
    private readonly total: number,
    startedMs: number,
  ) {
    this.#marks = [{ done: 0, atMs: startedMs }];
  }

  progress(done: number, atMs: number): void {
    const next = this.#marks.length;
    if (next <= TENTHS && done * TENTHS >= this.total * next) this.#marks.push({ done, atMs });
  }

  /** Records per second of each tenth closed so far. */
  rates(): number[] {
    return this.#marks
      .slice(1)
      .map(
        (mark, i) =>
          ((mark.done - this.#marks[i]!.done) * 1_000) / Math.max(1, mark.atMs - this.#marks[i]!.atMs),
      );
  }
}
