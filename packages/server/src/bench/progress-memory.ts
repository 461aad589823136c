import { type MemoryPeak, SAMPLE_INTERVAL_MS } from './memory-sampler.js';

/** Peaks per tenth of the work: ten of them, the first tenth first. */
export type MemoryByTenth = readonly MemoryPeak[];

const TENTHS = 10;

/**
 * Peak memory per tenth of a long run (by the share of the input done), to show whether memory
 * stays flat as the input grows: a run that streams holds as much at 90 % as at 10 %, one that
 * accumulates climbs tenth after tenth. A timer samples while the run awaits I/O; `progress`
 * moves the run into its next tenth and samples too.
 */
export class ProgressMemory {
  readonly #peaks = Array.from({ length: TENTHS }, () => ({ rssBytes: 0, heapUsedBytes: 0 }));
  #tenth = 0;
  #timer: NodeJS.Timeout | null = null;

  start(): void {
    if (this.#timer !== null) throw new Error('ProgressMemory: already started');
    this.sample();
    this.#timer = setInterval(() => this.sample(), SAMPLE_INTERVAL_MS);
  }

  /** The share of the input done, from 0 to 1; it only moves forward. */
  progress(done: number): void {
    const tenth = Math.min(TENTHS - 1, Math.max(0, Math.floor(done * TENTHS)));
    if (tenth > this.#tenth) this.#tenth = tenth;
    this.sample();
  }

  sample(): void {
    const usage = process.memoryUsage();
    const peak = this.#peaks[this.#tenth]!;
    if (usage.rss > peak.rssBytes) peak.rssBytes = usage.rss;
    if (usage.heapUsed > peak.heapUsedBytes) peak.heapUsedBytes = usage.heapUsed;
  }

  stop(): MemoryByTenth {
    if (this.#timer === null) throw new Error('ProgressMemory: not started');
    clearInterval(this.#timer);
    this.#timer = null;
    this.sample();
    return this.#peaks.map((peak) => ({ ...peak }));
  }
}

/** The highest of the peaks. */
export function overallPeak(peaks: MemoryByTenth): MemoryPeak {
  return {
    rssBytes: Math.max(...peaks.map((p) => p.rssBytes)),
    heapUsedBytes: Math.max(...peaks.map((p) => p.heapUsedBytes)),
  };
}
