import type { Kysely } from 'kysely';
import { Registry } from 'prom-client';
import type { Database } from '../db/database-schema.js';
import { ChargingMetrics } from './charging-metrics.js';
import { DatabaseGauges, DEFAULT_GAUGE_MAX_AGE_MS } from './database-gauges.js';
import { HttpMetrics } from './http-metrics.js';
import { processMetricsRegistry } from './process-metrics.js';
import { UsageMetrics } from './usage-metrics.js';

export interface AppMetricsOptions {
  readonly db: Kysely<Database>;
  readonly now: () => Date;
  /** How long one reading of the database's backlogs serves scrapes. */
  readonly gaugeMaxAgeMs?: number;
}

/**
 * The Prometheus metrics of one running Tollgate (docs/metrics.md lists them): a registry of its
 * own rather than prom-client's global one, so that several apps in one process (tests) count
 * apart. The serving process makes one and hands it to the API, the charging engine (which the
 * Diameter server shares) and the drop directory. No metric has a tenant label: tenants are
 * unbounded, and per-tenant figures are the reports' business.
 */
export class AppMetrics {
  readonly registry = new Registry();
  readonly http = new HttpMetrics(this.registry);
  readonly charging = new ChargingMetrics(this.registry);
  readonly usage = new UsageMetrics(this.registry);

  constructor(options: AppMetricsOptions) {
    new DatabaseGauges(
      this.registry,
      options.db,
      options.now,
      options.gaugeMaxAgeMs ?? DEFAULT_GAUGE_MAX_AGE_MS,
    );
  }

  /** The content type of the exposition (Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition: this app's metrics, then the process's. */
  async render(): Promise<string> {
    const [own, process] = await Promise.all([this.registry.metrics(), processMetricsRegistry().metrics()]);
    return `${own}\n${process}`;
  }
}
