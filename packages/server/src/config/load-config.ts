import { readFile } from 'node:fs/promises';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml } from 'yaml';

/**
 * Tollgate's settings: from an optional file (TOLLGATE_CONFIG, YAML or JSON), overridden by
 * environment variables, checked once at start-up so a bad value stops the process with a message
 * naming it, rather than failing later.
 */
export const ConfigSchema = Type.Object(
  {
    host: Type.String({ minLength: 1, default: '127.0.0.1' }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
    databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
    dataDir: Type.String({ minLength: 1, default: '.tollgate/data' }),
    logLevel: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
      { default: 'info' },
    ),
    bodyLimitBytes: Type.Integer({ minimum: 1024, maximum: 100 * 1024 * 1024, default: 1024 * 1024 }),
    rateLimitPerMinute: Type.Integer({ minimum: 1, default: 6000 }),
    diameterPort: Type.Integer({
      minimum: -1,
      maximum: 65535,
      default: 3868,
      description: 'the Diameter Gy/Ro server (RFC 6733 port 3868); -1 turns it off; 0 picks a free port',
    }),
    diameterOriginHost: Type.String({ minLength: 1, default: 'tollgate.localdomain' }),
    diameterOriginRealm: Type.String({ minLength: 1, default: 'localdomain' }),
    diameterTenant: Type.String({
      minLength: 1,
      default: 'demo',
      description: 'the slug of the tenant whose subscribers the Diameter peers charge',
    }),
    diameterPeers: Type.String({
      default: '',
      description:
        'the Origin-Hosts allowed to connect, comma-separated; empty: any peer that reaches the port (keep it on a private address then)',
    }),
    chargingLanes: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 64,
        description: 'charging batches in flight at once; default 1 on PGlite, 2 on PostgreSQL',
      }),
    ),
    ingestDirectory: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'a drop directory of usage files: one subdirectory per usage source, files moved to done/ or failed/ when loaded',
      }),
    ),
    ingestTenant: Type.String({
      minLength: 1,
      default: 'demo',
      description: 'the slug of the tenant whose usage the drop directory holds',
    }),
    billingWorkers: Type.Integer({
      minimum: 0,
      maximum: 16,
      default: 1,
      description: 'bill-run jobs this process works at once (0: none; another process works them)',
    }),
    allowanceRenewal: Type.Boolean({
      default: true,
      description: "grant every line its plans' allowances as each bill cycle begins (hourly check)",
    }),
    seedDemo: Type.Boolean({
      default: true,
      description: 'create the demo operator when the database is empty',
    }),
    seedDemoActivity: Type.Boolean({
      default: true,
      description:
        'with seedDemo: give the demo operator its past (users, 60 days of usage, invoices, payments); false: only the operator, its catalog and customers',
    }),
    secureCookies: Type.Boolean({
      default: true,
      description: 'mark session cookies Secure (HTTPS only); false only for plain-HTTP development',
    }),
    collectionsIntervalMinutes: Type.Integer({
      minimum: 0,
      maximum: 1440,
      default: 15,
      description: 'minutes between collection passes (credit, autopay, dunning) over every tenant; 0: none',
    }),
    collectionsWorkers: Type.Boolean({
      default: true,
      description: 'whether this process works collection jobs (another process may)',
    }),
    sandboxGateway: Type.Boolean({
      default: true,
      description:
        'offer the built-in sandbox payment gateway (test cards, no money moves); turn it off in production',
    }),
    sandboxWebhookSecret: Type.String({
      minLength: 1,
      default: 'whsec_sandbox_development',
      description:
        'the secret the sandbox gateway signs its webhooks with; the default is public, for development',
    }),
    stripeSecretKey: Type.Optional(
      Type.String({
        pattern: '^(sk|rk)_(test|live)_',
        description: 'a Stripe secret or restricted API key: Stripe is offered when it is set',
      }),
    ),
    stripeWebhookSecret: Type.Optional(
      Type.String({
        pattern: '^whsec_',
        description: 'the signing secret of the Stripe webhook endpoint (POST /v1/gateway-webhooks/stripe)',
      }),
    ),
    stripeApiBase: Type.Optional(
      Type.String({
        pattern: '^https?://[^/]+/?$',
        description: 'where the Stripe API is, when not at https://api.stripe.com (a test double)',
      }),
    ),
    smtpUrl: Type.Optional(
      Type.String({
        pattern: '^smtps?://[^/\\s?]+/?([?]\\S*)?$',
        description:
          'where email notifications go: smtp://user:pass@host:587 (STARTTLS) or smtps://...:465; absent: emails stay queued',
      }),
    ),
    mailFrom: Type.String({
      minLength: 3,
      default: 'Tollgate <no-reply@localhost>',
      description: 'the From of notification emails: "Operator <billing@example.com>"',
    }),
    smsUrl: Type.Optional(
      Type.String({
        pattern: '^https?://',
        description: 'the SMS gateway: {to, from, text} is POSTed here as JSON; absent: SMS stay queued',
      }),
    ),
    smsToken: Type.Optional(
      Type.String({ minLength: 1, description: 'the bearer token of the SMS gateway' }),
    ),
    smsFrom: Type.String({
      minLength: 1,
      maxLength: 15,
      default: 'Tollgate',
      description: 'the sender of SMS: an E.164 number or an alphanumeric id of up to 11 characters',
    }),
    publicUrl: Type.Optional(
      Type.String({
        pattern: '^https?://[^/\\s?#]+(/[^\\s?#]*)?$',
        description:
          'where users reach the portal (https://portal.example.com): links in messages, such as a password reset, point there; default http://<host>:<port>',
      }),
    ),
    metricsToken: Type.Optional(
      Type.String({
        minLength: 16,
        description:
          'the bearer token GET /metrics requires (Prometheus `authorization: { credentials: ... }`); absent: /metrics is open, for a server only the private network reaches',
      }),
    ),
  },
  { additionalProperties: false },
);
export type Config = Static<typeof ConfigSchema>;

/** Environment variable -> setting; values are parsed as the setting's type. */
const ENVIRONMENT: Readonly<Record<string, keyof Config>> = {
  TOLLGATE_HOST: 'host',
  TOLLGATE_PORT: 'port',
  DATABASE_URL: 'databaseUrl',
  TOLLGATE_DATA_DIR: 'dataDir',
  TOLLGATE_LOG_LEVEL: 'logLevel',
  TOLLGATE_BODY_LIMIT_BYTES: 'bodyLimitBytes',
  TOLLGATE_RATE_LIMIT_PER_MINUTE: 'rateLimitPerMinute',
  TOLLGATE_SEED_DEMO: 'seedDemo',
  TOLLGATE_SEED_DEMO_ACTIVITY: 'seedDemoActivity',
  TOLLGATE_DIAMETER_PORT: 'diameterPort',
  TOLLGATE_DIAMETER_ORIGIN_HOST: 'diameterOriginHost',
  TOLLGATE_DIAMETER_ORIGIN_REALM: 'diameterOriginRealm',
  TOLLGATE_DIAMETER_TENANT: 'diameterTenant',
  TOLLGATE_DIAMETER_PEERS: 'diameterPeers',
  TOLLGATE_CHARGING_LANES: 'chargingLanes',
  TOLLGATE_SECURE_COOKIES: 'secureCookies',
  TOLLGATE_INGEST_DIR: 'ingestDirectory',
  TOLLGATE_INGEST_TENANT: 'ingestTenant',
  TOLLGATE_BILLING_WORKERS: 'billingWorkers',
  TOLLGATE_ALLOWANCE_RENEWAL: 'allowanceRenewal',
  TOLLGATE_COLLECTIONS_INTERVAL_MINUTES: 'collectionsIntervalMinutes',
  TOLLGATE_COLLECTIONS_WORKERS: 'collectionsWorkers',
  TOLLGATE_SANDBOX_GATEWAY: 'sandboxGateway',
  TOLLGATE_SANDBOX_WEBHOOK_SECRET: 'sandboxWebhookSecret',
  TOLLGATE_STRIPE_SECRET_KEY: 'stripeSecretKey',
  TOLLGATE_STRIPE_WEBHOOK_SECRET: 'stripeWebhookSecret',
  TOLLGATE_STRIPE_API_BASE: 'stripeApiBase',
  TOLLGATE_SMTP_URL: 'smtpUrl',
  TOLLGATE_MAIL_FROM: 'mailFrom',
  TOLLGATE_SMS_URL: 'smsUrl',
  TOLLGATE_SMS_TOKEN: 'smsToken',
  TOLLGATE_SMS_FROM: 'smsFrom',
  TOLLGATE_PUBLIC_URL: 'publicUrl',
  TOLLGATE_METRICS_TOKEN: 'metricsToken',
};

/** Settings whose values are never echoed in a problem: the problems are printed at start-up. */
const SECRETS: ReadonlySet<string> = new Set([
  'sandboxWebhookSecret',
  'stripeSecretKey',
  'stripeWebhookSecret',
  // The SMTP URL may carry a password, and the SMS URL a key in its query.
  'smtpUrl',
  'smsUrl',
  'smsToken',
  'metricsToken',
]);

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

export async function loadConfig(
  environment: NodeJS.ProcessEnv,
  overrides: Partial<Config> = {},
): Promise<ConfigResult> {
  const problems: string[] = [];
  let fromFile: Record<string, unknown> = {};
  const file = environment.TOLLGATE_CONFIG;
  if (file !== undefined && file !== '') {
    try {
      const parsed: unknown = parseYaml(await readFile(file, 'utf8'));
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
        fromFile = parsed as Record<string, unknown>;
      else problems.push(`TOLLGATE_CONFIG ${file}: must hold an object of settings`);
    } catch (error) {
      problems.push(`TOLLGATE_CONFIG ${file}: ${(error as Error).message}`);
    }
  }
  const fromEnvironment: Record<string, unknown> = {};
  for (const [variable, setting] of Object.entries(ENVIRONMENT)) {
    const raw = environment[variable];
    if (raw === undefined || raw === '') continue;
    fromEnvironment[setting] = raw;
  }
  // Environment values are text: convert them by the schema ("3000" -> 3000, "false" -> false).
  const merged = Value.Default(
    ConfigSchema,
    Value.Convert(ConfigSchema, { ...fromFile, ...fromEnvironment, ...overrides }),
  );
  for (const error of Value.Errors(ConfigSchema, merged)) {
    const setting = error.path.replace(/^\//, '');
    const variable = Object.entries(ENVIRONMENT).find(([, name]) => name === setting)?.[0];
    const got = SECRETS.has(setting) ? 'a value not shown here' : JSON.stringify(error.value);
    problems.push(`${setting}${variable ? ` (${variable})` : ''}: ${error.message}, got ${got}`);
  }
  problems.push(...crossCheck(merged as Config));
  if (problems.length > 0) return { ok: false, problems };
  const config = merged as Config;
  return {
    ok: true,
    config: { ...config, publicUrl: config.publicUrl ?? publicUrlOf(config.host, config.port) },
  };
}

/**
 * The portal's address when TOLLGATE_PUBLIC_URL is not set: the server's own, which is right for
 * development on one machine. Behind a proxy or a DNS name it must be set: a link must never be
 * built from a request's Host header, which whoever asks for a password reset chooses.
 */
export function publicUrlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Settings that are valid alone but not together. */
function crossCheck(config: Config): string[] {
  // Stripe's events are what settle pending and 3-D Secure charges: without them payments would hang.
  if (config.stripeSecretKey !== undefined && config.stripeWebhookSecret === undefined) {
    return ['stripeWebhookSecret (TOLLGATE_STRIPE_WEBHOOK_SECRET): required when stripeSecretKey is set'];
  }
  // The SMS gateway is reached with a bearer token: without one every message would be refused.
  if (config.smsUrl !== undefined && config.smsToken === undefined) {
    return ['smsToken (TOLLGATE_SMS_TOKEN): required when smsUrl is set'];
  }
  return [];
}
