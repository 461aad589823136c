import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { sql } from 'kysely';
import { accountRoutes } from '../accounts/account-routes.js';
import { planChangePreviewRoutes } from '../accounts/plan-change-preview-routes.js';
import { auditEntryRoutes } from '../audit/audit-entry-routes.js';
import { balanceRoutes } from '../balances/balance-routes.js';
import type { BillRunQueue } from '../billing/bill-run-queue.js';
import { billingRoutes } from '../billing/billing-routes.js';
import { billingReferenceRoutes } from '../billing/reference/billing-reference-routes.js';
import { statementRoutes } from '../billing/statements/statement-routes.js';
import { catalogRoutes } from '../catalog/catalog-routes.js';
import { ChargingEngine } from '../charging/charging-engine.js';
import { chargingRoutes } from '../charging/charging-routes.js';
import { customerNoteRoutes } from '../customers/customer-note-routes.js';
import { customerRoutes } from '../customers/customer-routes.js';
import type { ApiKeyRole } from '../db/database-schema.js';
import { dunningRoutes } from '../dunning/dunning-routes.js';
import { fraudRoutes } from '../fraud/fraud-routes.js';
import { insightRoutes } from '../insights/insight-routes.js';
import { mediationRoutes } from '../mediation/mediation-routes.js';
import { AppMetrics } from '../metrics/app-metrics.js';
import { registerMetrics } from '../metrics/metrics-routes.js';
import { notificationRoutes } from '../notifications/notification-routes.js';
import { thresholdRoutes } from '../notifications/thresholds/threshold-routes.js';
import type { CollectionsQueue } from '../payments/collections-jobs.js';
import { createPaymentGateways } from '../payments/gateways/create-payment-gateways.js';
import type { PaymentGateways } from '../payments/gateways/payment-gateway.js';
import { paymentRoutes } from '../payments/payment-routes.js';
import { receivablesRoutes } from '../receivables/receivables-routes.js';
import { recommendationRoutes } from '../recommendations/recommendation-routes.js';
import { reportRoutes } from '../reports/report-routes.js';
import { searchRoutes } from '../search/search-routes.js';
import { tenantRoutes } from '../tenants/tenant-routes.js';
import { userRoutes } from '../users/user-routes.js';
import { webhookRoutes } from '../webhooks/webhook-routes.js';
import type { AppContext } from './app-context.js';
import { registerAuthentication } from './authenticate.js';
import { registerIdempotency } from './idempotency.js';
import {
  type FieldError,
  HttpProblem,
  type ProblemDocument,
  problemDocument,
  sendProblem,
} from './problem.js';
import { DEFAULT_PORTAL_DIR, servePortal } from './serve-portal.js';

function ajv(coerceTypes: false | 'array'): Ajv {
  const instance = new Ajv({
    allErrors: true,
    removeAdditional: false,
    useDefaults: true,
    coerceTypes,
    strict: false,
  });
  addFormats(instance);
  return instance;
}

// ajv-formats is CommonJS with a default export; under NodeNext its namespace is what arrives.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

const STRICT = ajv(false);
const COERCING = ajv('array');

export interface RouteRole {
  readonly method: string;
  readonly url: string;
  readonly role: ApiKeyRole | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeRoles: readonly RouteRole[];
  }
}

export interface AppOptions extends AppContext {
  /** Pino logger options, or false; secrets (API keys, cookies) are redacted. */
  readonly logger?: FastifyServerOptions['logger'];
  readonly bodyLimitBytes?: number;
  /** Requests per minute per API key (or per address without one). */
  readonly rateLimitPerMinute?: number;
  /** Online charging; absent: an engine of the app's own over the same database. */
  readonly charging?: ChargingEngine;
  /** Session cookies are `Secure` (HTTPS only) unless this is false: plain-HTTP development only. */
  readonly secureCookies?: boolean;
  /** Where bill runs are queued; absent: POST /v1/bill-runs answers 503. */
  readonly billRuns?: BillRunQueue;
  /** Where finalised invoices are handed to autopay; absent: the next scheduled pass takes them. */
  readonly collections?: CollectionsQueue;
  /** The payment gateways; absent: the built-in sandbox with its development webhook secret. */
  readonly paymentGateways?: PaymentGateways;
  /** The built web app to serve at / (customer portal and console); null: none. Default: packages/portal/dist. */
  readonly portalDir?: string | null;
}

function paymentGatewaysOf(options: AppOptions): PaymentGateways {
  return (
    options.paymentGateways ??
    createPaymentGateways({ sandbox: true, sandboxWebhookSecret: 'whsec_sandbox_development' })
  );
}

/**
 * Builds the HTTP API without listening (tests drive it with app.inject()). Everything is a
 * plugin; errors become problem+json here and only here.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Bodies are JSON and must have the right types; query strings and path parameters are text,
  // so only they are coerced ("limit=2" is the number 2; a body's "givenName": 42 is an error).
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? STRICT : COERCING).compile(schema),
  );
  app.removeContentTypeParser(['text/plain']);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const document = toProblem(error);
    if (document.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, document);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problemDocument('not_found', `no route ${request.method} ${request.url}`)),
  );

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Tollgate API', version: '1', description: 'Telecom rating, charging and billing' },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'tg_... API key' } },
      },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(rateLimit, {
    max: options.rateLimitPerMinute ?? 6000,
    timeWindow: '1 minute',
    keyGenerator: (request) => request.headers.authorization?.slice(0, 40) ?? request.ip,
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(
        'rate_limited',
        `more than ${context.max} requests a minute; retry in ${Math.ceil(context.ttl / 1000)} s`,
      ),
  });

  // Every route with the role it needs: the authorisation tests walk this list.
  const routes: RouteRole[] = [];
  app.decorate('routeRoles', routes);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.push({ method, url: route.url, role: route.config?.role });
  });
  registerAuthentication(app, options.db, options.now);
  registerIdempotency(app, options.db);
  const metrics = options.metrics ?? new AppMetrics(options);
  registerMetrics(app, metrics, options.metricsToken);

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/ready', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(options.db);
      return { status: 'ready' };
    } catch {
      return sendProblem(reply, problemDocument('unavailable', 'the database does not answer'));
    }
  });

  await app.register(customerRoutes(options));
  await app.register(accountRoutes(options));
  await app.register(catalogRoutes(options));
  await app.register(userRoutes(options));
  await app.register(tenantRoutes(options));
  await app.register(balanceRoutes(options));
  await app.register(mediationRoutes({ ...options, metrics }));
  await app.register(billingRoutes(options));
  await app.register(billingReferenceRoutes(options));
  await app.register(statementRoutes(options));
  await app.register(webhookRoutes(options));
  await app.register(receivablesRoutes(options));
  await app.register(notificationRoutes(options));
  await app.register(thresholdRoutes(options));
  await app.register(insightRoutes(options));
  await app.register(planChangePreviewRoutes(options));
  await app.register(recommendationRoutes(options));
  await app.register(customerNoteRoutes(options));
  await app.register(auditEntryRoutes(options));
  await app.register(searchRoutes(options));
  await app.register(fraudRoutes(options));
  await app.register(reportRoutes(options));
  const gateways = paymentGatewaysOf(options);
  await app.register(paymentRoutes({ ...options, gateways }));
  await app.register(dunningRoutes({ ...options, gateways }));
  const charging =
    options.charging ?? new ChargingEngine({ db: options.db, now: options.now, metrics: metrics.charging });
  await app.register(chargingRoutes({ ...options, charging }));
  const portalDir = options.portalDir === undefined ? DEFAULT_PORTAL_DIR : options.portalDir;
  if (portalDir !== null) await servePortal(app, portalDir);
  return app;
}

function toProblem(error: FastifyError): ProblemDocument {
  if (error instanceof HttpProblem) return problemDocument(error.code, error.detail, error.errors);
  if (error.validation !== undefined) {
    const errors: FieldError[] = error.validation.map((issue) => ({
      field: `${error.validationContext === 'body' ? '' : `${error.validationContext}:`}${fieldOf(issue)}`,
      message: issue.message ?? 'invalid',
    }));
    return problemDocument(
      'validation_failed',
      errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      errors,
    );
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problemDocument('invalid_json', error.message);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problemDocument('payload_too_large', error.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problemDocument('unsupported_media_type', error.message);
  }
  if (error.statusCode === 400 && error instanceof SyntaxError)
    return problemDocument('invalid_json', error.message);
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return problemDocument('validation_failed', error.message);
  }
  return problemDocument('internal_error', 'the server failed; the failure is logged');
}

/** The field an Ajv error is about: its instance path, or the missing or extra property. */
function fieldOf(issue: { instancePath: string; params: Record<string, unknown> }): string {
  const property = issue.params.missingProperty ?? issue.params.additionalProperty;
  return typeof property === 'string' ? `${issue.instancePath}/${property}` : issue.instancePath || '/';
}
