import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { parseMoneyAmount } from '../accounts/money-amount.js';
import { loadConfig } from '../config/load-config.js';
import type { Database } from '../db/database-schema.js';
import { createPaymentGateways } from '../payments/gateways/create-payment-gateways.js';
import type { PaymentGateways } from '../payments/gateways/payment-gateway.js';
import { listPayments, paymentView } from '../payments/payment-store.js';
import { recordPayment } from '../payments/record-payment.js';
import { runCollections } from '../payments/run-collections.js';
import { ExitCode } from './exit-codes.js';
import { findCliAccount, findCliTenant, withDatabase } from './with-database.js';

const CLI_ACTOR = { type: 'system', id: 'cli' } as const;

/** `tollgate payment ...` and `tollgate collections run`: money received, and the collections pass. */
export function registerPaymentCommands(program: Command): void {
  const payment = program.command('payment').description('payments received and collected');
  payment
    .command('record')
    .description('record money received by hand and apply it to the oldest due invoices')
    .argument('<account>', 'account number (A-000123) or id')
    .argument('<amount>', "decimal amount in the account's currency, e.g. 71.40")
    .option('--source <source>', 'bank_transfer, cash, cheque or other', 'bank_transfer')
    .option('--reference <text>', 'remittance text, cheque number')
    .option('--invoice <id>', 'pay this invoice first')
    .option('--key <key>', 'idempotency key (default: source, reference and amount)')
    .option('--tenant <slug>', 'tenant slug')
    .action(
      (
        accountRef: string,
        amount: string,
        flags: { source: string; reference?: string; invoice?: string; key?: string; tenant?: string },
      ) => withDatabase((db) => record(db, accountRef, amount, flags)),
    );
  payment
    .command('list')
    .description('payments, newest first, one JSON object per line')
    .option('--account <number>', 'only this account')
    .option('--status <status>', 'pending, requires_action, succeeded or failed')
    .option('--limit <n>', 'at most this many', '20')
    .option('--tenant <slug>', 'tenant slug')
    .action((flags: { account?: string; status?: string; limit: string; tenant?: string }) =>
      withDatabase((db) => list(db, flags)),
    );
  program
    .command('collections')
    .description('credit, autopay and dunning')
    .command('run')
    .description('one collections pass now (the server also runs them on a schedule); safe to repeat')
    .option('--as-of <instant>', 'run as of this ISO instant (default: now)')
    .option('--tenant <slug>', 'tenant slug')
    .option('--json', 'print the summary as JSON')
    .action((flags: { asOf?: string; tenant?: string; json?: boolean }) =>
      withDatabase(async (db) => collections(db, await configuredGateways(), flags)),
    );
}

async function configuredGateways(): Promise<PaymentGateways> {
  const loaded = await loadConfig(process.env);
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const { config } = loaded;
  return createPaymentGateways({
    sandbox: config.sandboxGateway,
    sandboxWebhookSecret: config.sandboxWebhookSecret,
    ...(config.stripeSecretKey === undefined ? {} : { stripeSecretKey: config.stripeSecretKey }),
    ...(config.stripeWebhookSecret === undefined ? {} : { stripeWebhookSecret: config.stripeWebhookSecret }),
    ...(config.stripeApiBase === undefined ? {} : { stripeApiBase: config.stripeApiBase }),
  });
}

async function record(
  db: Kysely<Database>,
  accountRef: string,
  amount: string,
  flags: { source: string; reference?: string; invoice?: string; key?: string; tenant?: string },
): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  const account = await findCliAccount(db, tenant.id, accountRef);
  if (account === undefined) return usage(`no account ${accountRef}`);
  const currency = account.currency.trim();
  if (!['bank_transfer', 'cash', 'cheque', 'other'].includes(flags.source))
    return usage('--source is bank_transfer, cash, cheque or other');
  const parsed = parseMoneyAmount(amount, currency);
  if (!parsed.ok) return usage(`amount: ${parsed.message}`);
  const result = await recordPayment(
    db,
    tenant.id,
    CLI_ACTOR,
    account.id,
    {
      source: flags.source as 'bank_transfer',
      amount,
      currency,
      ...(flags.reference === undefined ? {} : { reference: flags.reference }),
      ...(flags.invoice === undefined ? {} : { invoiceId: flags.invoice }),
    },
    flags.key ?? `cli:${account.id}:${flags.source}:${flags.reference ?? ''}:${parsed.micros}`,
    new Date(),
  );
  if (!result.ok) {
    console.error(result.message);
    return result.code === 'conflict' ? ExitCode.refused : ExitCode.usage;
  }
  const view = await paymentView(db, result.payment);
  console.log(
    `${result.replayed ? 'already recorded' : 'recorded'}: payment ${view.id} of ${view.amount} ${view.currency}, ` +
      `applied ${view.allocated}, credit ${view.unallocated}`,
  );
  return ExitCode.ok;
}

async function list(
  db: Kysely<Database>,
  flags: { account?: string; status?: string; limit: string; tenant?: string },
): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  const account =
    flags.account === undefined ? undefined : await findCliAccount(db, tenant.id, flags.account);
  if (flags.account !== undefined && account === undefined) return usage(`no account ${flags.account}`);
  const limit = Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return usage('--limit is 1 to 1000');
  const rows = await listPayments(
    db,
    tenant.id,
    {
      ...(account === undefined ? {} : { accountId: account.id }),
      ...(flags.status === undefined ? {} : { status: flags.status as 'succeeded' }),
    },
    { after: null, order: 'desc', rows: limit },
  );
  for (const row of rows) console.log(JSON.stringify(await paymentView(db, row)));
  return ExitCode.ok;
}

async function collections(
  db: Kysely<Database>,
  gateways: PaymentGateways,
  flags: { asOf?: string; tenant?: string; json?: boolean },
): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  const asOf = flags.asOf === undefined ? new Date() : new Date(flags.asOf);
  if (Number.isNaN(asOf.getTime())) return usage('--as-of is an ISO instant, e.g. 2026-05-01T06:00:00Z');
  const summary = await runCollections(db, gateways, tenant.id, asOf);
  if (flags.json === true) {
    console.log(JSON.stringify(summary));
    return ExitCode.ok;
  }
  const { autopay, dunning } = summary;
  console.log(
    `autopay: ${autopay.attempted} charged (${autopay.succeeded} succeeded, ${autopay.failed} failed, ${autopay.other} pending); credit applied to ${autopay.creditsApplied} accounts`,
  );
  const steps = Object.entries(dunning.steps)
    .filter(([, count]) => count > 0)
    .map(([action, count]) => `${action} ${count}`)
    .join(', ');
  console.log(
    `dunning: ${dunning.accounts} accounts looked at, ${dunning.opened} cases opened, ${dunning.resolved} resolved; steps: ${steps === '' ? 'none' : steps}`,
  );
  return ExitCode.ok;
}

function usage(message: string): number {
  console.error(message);
  return ExitCode.usage;
}
