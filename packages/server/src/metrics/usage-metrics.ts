import { Counter, type Registry } from 'prom-client';

/**
 * How usage records reached mediation: `file` for usage files (the drop directory of a serving
 * process), `api` for POST /v1/usage. The CLI's `usage ingest` runs in a process of its own, which
 * serves no metrics: its counts are in the file run it reports and in GET /v1/usage-files.
 */
export type UsageChannel = 'file' | 'api';

/** The outcomes of the records of one stored batch. */
export interface UsageBatchCounts {
  readonly loaded: number;
  readonly duplicate: number;
  readonly suspended: number;
  readonly skipped: number;
}

/** Records taken in by mediation, counted once per stored batch (after it commits). */
export class UsageMetrics {
  readonly #records: Counter<'channel' | 'outcome'>;

  constructor(registry: Registry) {
    this.#records = new Counter({
      name: 'tollgate_usage_records_total',
      help: 'Usage records taken in by mediation, by channel (file, api) and outcome (loaded, duplicate, suspended, skipped)',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    });
    // Every series from the start, so rate() sees the first records of each.
    for (const channel of ['file', 'api'] as const)
      for (const outcome of ['loaded', 'duplicate', 'suspended', 'skipped'] as const)
        this.#records.inc({ channel, outcome }, 0);
  }

  /** Counts a batch that has committed. */
  batchStored(channel: UsageChannel, counts: UsageBatchCounts): void {
    for (const outcome of ['loaded', 'duplicate', 'suspended', 'skipped'] as const)
      if (counts[outcome] > 0) this.#records.inc({ channel, outcome }, counts[outcome]);
  }
}
