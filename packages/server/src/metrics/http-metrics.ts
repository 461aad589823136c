import { Counter, Histogram, type Registry } from 'prom-client';

/** The route label of a request that matched no route: its URL is the caller's choice, never a label. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Requests the API answered, by route pattern (`/v1/accounts/:id`, never the URL asked for, so
 * ids and query strings cannot multiply the series).
 */
export class HttpMetrics {
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #duration: Histogram<'method' | 'route'>;

  constructor(registry: Registry) {
    this.#requests = new Counter({
      name: 'tollgate_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    });
    this.#duration = new Histogram({
      name: 'tollgate_http_request_duration_seconds',
      help: 'Time from receiving an HTTP request to sending its answer, by method and route pattern',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  answered(method: string, route: string | undefined, status: number, durationSeconds: number): void {
    const pattern = route ?? UNMATCHED_ROUTE;
    this.#requests.inc({ method, route: pattern, status: String(status) });
    this.#duration.observe({ method, route: pattern }, durationSeconds);
  }
}
