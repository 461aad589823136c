import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { createVoucherBatch } from '../balances/create-voucher-batch.js';
import type { Database } from '../db/database-schema.js';
import { reportFailure } from './balance-commands.js';
import { ExitCode } from './exit-codes.js';
import { findCliTenant, withDatabase } from './with-database.js';

interface CreateFlags {
  readonly name: string;
  readonly amount: string;
  readonly count: string;
  readonly expires: string;
  readonly currency?: string;
  readonly tenant?: string;
}

/** `tollgate voucher create`: a batch of vouchers whose codes are printed this once. */
export function registerVoucherCommands(program: Command): void {
  const voucher = program.command('voucher').description('prepaid vouchers');
  voucher
    .command('create')
    .description('create a batch of single-use vouchers and print their codes, one per line (shown only now)')
    .requiredOption('--name <name>', 'what the batch is, e.g. "Scratch cards March"')
    .requiredOption('--amount <decimal>', 'value of each voucher, e.g. 10.00')
    .requiredOption('--count <n>', 'how many vouchers (1 to 10000)')
    .requiredOption(
      '--expires <instant>',
      'ISO 8601 instant with offset after which no voucher is redeemable',
    )
    .option('--currency <code>', "ISO 4217 (default: the tenant's default currency)")
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .action((flags: CreateFlags) => withDatabase((db) => create(db, flags)));
}

async function create(db: Kysely<Database>, flags: CreateFlags): Promise<number> {
  const count = Number(flags.count);
  const expiresAt = new Date(flags.expires);
  if (!Number.isInteger(count) || count < 1 || count > 10_000) {
    console.error(`--count must be a whole number from 1 to 10000, not "${flags.count}"`);
    return ExitCode.usage;
  }
  if (Number.isNaN(expiresAt.getTime())) {
    console.error(`--expires must be an ISO 8601 instant, not "${flags.expires}"`);
    return ExitCode.usage;
  }
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') {
    console.error(tenant);
    return ExitCode.usage;
  }
  const settings = await db
    .selectFrom('tenants')
    .select('default_currency')
    .where('id', '=', tenant.id)
    .executeTakeFirstOrThrow();
  const result = await createVoucherBatch(
    db,
    tenant.id,
    { type: 'system', id: 'cli' },
    {
      name: flags.name,
      amount: flags.amount,
      currency: flags.currency ?? settings.default_currency,
      count,
      expiresAt: expiresAt.toISOString(),
    },
    new Date(),
  );
  if (!result.ok) return reportFailure(result);
  for (const { code } of result.codes) console.log(code);
  console.error(
    `created batch ${result.batch.id} "${result.batch.name}": ${result.batch.count} vouchers of ${result.batch.amount} ${result.batch.currency}, expiring ${result.batch.expiresAt}; the codes are not shown again`,
  );
  return ExitCode.ok;
}
