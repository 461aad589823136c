import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { HttpProblem } from '../http/problem.js';
import type { AppMetrics } from './app-metrics.js';

export const METRICS_PATH = '/metrics';

/**
 * Counts every answered request (but scrapes of /metrics, which would only count Prometheus) and
 * serves the exposition at GET /metrics. The route is no tenant's: it has no role and is hidden
 * from the OpenAPI document. Without a token it is open, for a server reachable only from the
 * private network Prometheus scrapes; with TOLLGATE_METRICS_TOKEN set it requires
 * `Authorization: Bearer <token>` (Prometheus's `authorization` setting).
 */
export function registerMetrics(app: FastifyInstance, metrics: AppMetrics, token: string | undefined): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route === METRICS_PATH) return;
    metrics.http.answered(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  const expected = token === undefined ? null : Buffer.from(`Bearer ${token}`);
  app.get(METRICS_PATH, { schema: { hide: true } }, async (request, reply) => {
    if (expected !== null && !sameSecret(request.headers.authorization, expected)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new HttpProblem(
        'unauthenticated',
        'send the metrics token (TOLLGATE_METRICS_TOKEN) as `Authorization: Bearer <token>`',
      );
    }
    return reply.type(metrics.contentType).send(await metrics.render());
  });
}

/** Compares in constant time, so the answer's timing tells nothing of the token. */
function sameSecret(given: string | undefined, expected: Buffer): boolean {
  if (given === undefined) return false;
  const bytes = Buffer.from(given);
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}
