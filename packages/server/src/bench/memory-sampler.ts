export interface MemoryPeak {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

export const SAMPLE_INTERVAL_MS = 10;

/**
 * The peak resident set and heap use over a phase: a timer samples while the phase awaits I/O,
 * and synchronous loops (which starve the timer) call `sample` themselves between slices.
 */
export class MemorySampler {
  private rssBytes = 0;
  private heapUsedBytes = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly intervalMs = SAMPLE_INTERVAL_MS) {}

  start(): void {
    if (this.timer !== null) throw new Error('MemorySampler: already started');
    this.rssBytes = 0;
    this.heapUsedBytes = 0;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  sample(): void {
    const usage = process.memoryUsage();
    if (usage.rss > this.rssBytes) this.rssBytes = usage.rss;
    if (usage.heapUsed > this.heapUsedBytes) this.heapUsedBytes = usage.heapUsed;
  }

  stop(): MemoryPeak {
    if (this.timer === null) throw new Error('MemorySampler: not started');
    clearInterval(this.timer);
    this.timer = null;
    this.sample();
    return { rssBytes: this.rssBytes, heapUsedBytes: this.heapUsedBytes };
  }
}
