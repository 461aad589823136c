import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { AppMetrics } from '../metrics/app-metrics.js';

/** What every route plugin gets: the database and the clock (tests pass their own clock). */
export interface AppContext {
  readonly db: Kysely<Database>;
  readonly now: () => Date;
  /**
   * Where users reach the portal (TOLLGATE_PUBLIC_URL, see config/load-config.ts), for links in
   * the messages routes send (a password reset). Absent: http://127.0.0.1:3000, `serve` with its
   * default settings. Never taken from a request's Host header, which the client chooses.
   */
  readonly publicUrl?: string | undefined;
  /** The app's Prometheus metrics (metrics/app-metrics.ts); absent: the app makes its own. */
  readonly metrics?: AppMetrics;
  /** The bearer token GET /metrics requires (TOLLGATE_METRICS_TOKEN); absent: /metrics is open. */
  readonly metricsToken?: string | undefined;
}
