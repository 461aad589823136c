import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { UseCaseFailure } from '../outcomes/use-case-failure.js';
import { createWebhookEndpoint } from '../webhooks/create-webhook-endpoint.js';
import { deliverDueWebhooks } from '../webhooks/deliver-due-webhooks.js';
import { replayWebhookDelivery } from '../webhooks/replay-webhook-delivery.js';
import { listWebhookDeliveries, withAttempts } from '../webhooks/webhook-delivery-store.js';
import { listWebhookEndpoints, toWebhookEndpoint } from '../webhooks/webhook-endpoint-store.js';
import { ExitCode } from './exit-codes.js';
import { findCliTenant, withDatabase } from './with-database.js';

const CLI_ACTOR = { type: 'system', id: 'cli' } as const;
const STATUSES = ['pending', 'delivered', 'dead'] as const;
const MAX_LIMIT = 1000;

interface AddFlags {
  readonly url: string;
  readonly events?: string;
  readonly description?: string;
  readonly tenant?: string;
  readonly json?: boolean;
}

interface DeliveriesFlags {
  readonly status?: string;
  readonly endpoint?: string;
  readonly limit: string;
  readonly tenant?: string;
  readonly json?: boolean;
}

/** `tollgate webhook ...`: endpoints, the delivery log, replays, and a delivery pass for cron. */
export function registerWebhookCommands(program: Command): void {
  const webhook = program.command('webhook').description('outgoing webhooks: endpoints, deliveries, replays');
  webhook
    .command('endpoints')
    .description('list webhook endpoints (never their secrets)')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .option('--json', 'one JSON object per line')
    .action((flags: { tenant?: string; json?: boolean }) => withDatabase((db) => endpoints(db, flags)));
  webhook
    .command('add')
    .description('add an endpoint and print its signing secret (shown only now)')
    .requiredOption('--url <url>', 'http(s) URL events are POSTed to')
    .option('--events <types>', 'comma-separated event types, families (payment.*) or * (default *)')
    .option('--description <text>', 'what the endpoint is for')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .option('--json', 'print the endpoint and its secret as one JSON object')
    .action((flags: AddFlags) => withDatabase((db) => add(db, flags)));
  webhook
    .command('deliveries')
    .description('the delivery log, newest first')
    .option('--status <status>', 'pending, delivered or dead')
    .option('--endpoint <id>', 'only this endpoint')
    .option('--limit <n>', 'at most this many', '50')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .option('--json', 'one JSON object per line, with its attempts')
    .action((flags: DeliveriesFlags) => withDatabase((db) => deliveries(db, flags)));
  webhook
    .command('replay')
    .description('send a delivery again (delivered, dead or pending): it is due now')
    .argument('<delivery>', 'delivery id')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .action((id: string, flags: { tenant?: string }) => withDatabase((db) => replay(db, id, flags)));
  webhook
    .command('deliver')
    .description("send the deliveries due now, every tenant's, once (for setups without `tollgate serve`)")
    .option('--timeout <ms>', 'per HTTP request', '10000')
    .option('--json', 'print the summary as JSON')
    .action((flags: { timeout: string; json?: boolean }) => withDatabase((db) => deliver(db, flags)));
}

async function endpoints(db: Kysely<Database>, flags: { tenant?: string; json?: boolean }): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  const rows = await listWebhookEndpoints(db, tenant.id, { after: null, order: 'asc', rows: MAX_LIMIT });
  for (const endpoint of rows.map(toWebhookEndpoint)) {
    if (flags.json === true) console.log(JSON.stringify(endpoint));
    else console.log(`${endpoint.id}  ${endpoint.status}  ${endpoint.url}  ${endpoint.eventTypes.join(',')}`);
  }
  return ExitCode.ok;
}

async function add(db: Kysely<Database>, flags: AddFlags): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  const eventTypes = flags.events?.split(',').map((entry) => entry.trim());
  const result = await createWebhookEndpoint(
    db,
    tenant.id,
    CLI_ACTOR,
    {
      url: flags.url,
      ...(eventTypes === undefined ? {} : { eventTypes }),
      ...(flags.description === undefined ? {} : { description: flags.description }),
    },
    new Date(),
  );
  if (!result.ok) return reportFailure(result);
  if (flags.json === true) {
    console.log(JSON.stringify({ ...result.endpoint, secret: result.secret }));
  } else {
    console.log(result.secret);
    console.error(
      `added webhook endpoint ${result.endpoint.id} for ${result.endpoint.url} (events: ${result.endpoint.eventTypes.join(',')}); ` +
        'its signing secret is above and is not shown again',
    );
  }
  return ExitCode.ok;
}

async function deliveries(db: Kysely<Database>, flags: DeliveriesFlags): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  const status = STATUSES.find((candidate) => candidate === flags.status);
  if (flags.status !== undefined && status === undefined)
    return usage(`--status must be one of ${STATUSES.join(', ')}, not "${flags.status}"`);
  const limit = Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    return usage(`--limit must be a whole number from 1 to ${MAX_LIMIT}`);
  if (flags.endpoint !== undefined && !/^[0-9a-f-]{36}$/i.test(flags.endpoint))
    return usage(`--endpoint must be an endpoint id, not "${flags.endpoint}"`);
  const rows = await listWebhookDeliveries(db, tenant.id, {
    endpointId: flags.endpoint,
    status,
    after: null,
    order: 'desc',
    rows: limit,
  });
  for (const delivery of await withAttempts(db, tenant.id, rows)) {
    if (flags.json === true) console.log(JSON.stringify(delivery));
    else
      console.log(
        `${delivery.id}  ${delivery.status}  event ${delivery.eventId}  endpoint ${delivery.endpointId}  ` +
          `${delivery.attemptCount} attempts  last ${delivery.lastStatusCode ?? delivery.lastError ?? '-'}  ` +
          `next ${delivery.nextAttemptAt ?? '-'}`,
      );
  }
  return ExitCode.ok;
}

async function replay(db: Kysely<Database>, id: string, flags: { tenant?: string }): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  if (!/^[0-9a-f-]{36}$/i.test(id)) return usage(`"${id}" is not a delivery id`);
  const result = await replayWebhookDelivery(db, tenant.id, CLI_ACTOR, id, new Date());
  if (!result.ok) return reportFailure(result);
  console.log(`delivery ${result.delivery.id} is pending again, due ${result.delivery.nextAttemptAt}`);
  return ExitCode.ok;
}

async function deliver(db: Kysely<Database>, flags: { timeout: string; json?: boolean }): Promise<number> {
  const timeoutMs = Number(flags.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 120_000)
    return usage('--timeout must be a whole number of milliseconds from 1 to 120000');
  const pass = await deliverDueWebhooks(db, { now: () => new Date(), timeoutMs });
  if (flags.json === true) console.log(JSON.stringify(pass));
  else
    console.log(
      `${pass.attempted} sent: ${pass.delivered} delivered, ${pass.retrying} to retry, ${pass.dead} dead` +
        (pass.moreDue ? '; more are due: run it again' : ''),
    );
  return ExitCode.ok;
}

function usage(message: string): number {
  console.error(message);
  return ExitCode.usage;
}

function reportFailure(failure: UseCaseFailure): number {
  console.error(failure.message);
  return failure.code === 'invalid' || failure.code === 'not_found' ? ExitCode.usage : ExitCode.refused;
}
