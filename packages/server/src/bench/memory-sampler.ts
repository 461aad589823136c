export interface MemoryPeak {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

export const SAMPLE_INTERVAL_MS = 10;

/**
 * The peak resident set and heap use over a phase: a timer samples while the phase awaits I/O,
 * and synchronous loops (which starve the timer) call `sample` themselves between slices.
 * Worker threads have heaps of their own, which this thread cannot read: a phase that runs
 * workers passes the heap use they last reported, and every later sample adds it to this heap's.
 * The resident set is the whole process's, workers included.
 */
export class MemorySampler {
  private rssBytes = 0;
  private heapUsedBytes = 0;
  private otherHeapsUsedBytes = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly intervalMs = SAMPLE_INTERVAL_MS) {}

  start(): void {
    if (this.timer !== null) throw new Error('MemorySampler: already started');
    this.rssBytes = 0;
    this.heapUsedBytes = 0;
    this.otherHeapsUsedBytes = 0;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  /** otherHeapsUsedBytes: the heap use of the process's worker threads, as they last reported it. */
  sample(otherHeapsUsedBytes?: number): void {
    if (otherHeapsUsedBytes !== undefined) this.otherHeapsUsedBytes = otherHeapsUsedBytes;
    const usage = process.memoryUsage();
    const heapUsed = usage.heapUsed + this.otherHeapsUsedBytes;
    if (usage.rss > this.rssBytes) this.rssBytes = usage.rss;
    if (heapUsed > this.heapUsedBytes) this.heapUsedBytes = heapUsed;
  }

  stop(): MemoryPeak {
    if (this.timer === null) throw new Error('MemorySampler: not started');
    clearInterval(this.timer);
    this.timer = null;
    this.sample();
    return { rssBytes: this.rssBytes, heapUsedBytes: this.heapUsedBytes };
  }
}
