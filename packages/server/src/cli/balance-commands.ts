import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { BalanceFailure } from '../balances/balance-failure.js';
import type { AccountBalance } from '../balances/balance-schemas.js';
import { readAccountBalance } from '../balances/read-account-balance.js';
import { topUpAccount } from '../balances/top-up-account.js';
import type { Database } from '../db/database-schema.js';
import { ExitCode } from './exit-codes.js';
import { findCliAccount, findCliTenant, withDatabase } from './with-database.js';

interface AccountFlags {
  readonly account: string;
  readonly tenant?: string;
}

const CLI_ACTOR = { type: 'system', id: 'cli' } as const;

/** `tollgate balance show` and `tollgate balance topup`. */
export function registerBalanceCommands(program: Command): void {
  const balance = program.command('balance').description("an account's balance buckets");
  balance
    .command('show')
    .description("print an account's buckets and what it can spend")
    .requiredOption('--account <id or number>', 'account id, or account number such as A-000001')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .option('--json', 'print the balance as one JSON object')
    .action((flags: AccountFlags & { json?: boolean }) =>
      withDatabase((db) => show(db, flags, flags.json === true)),
    );
  balance
    .command('topup')
    .description("credit an account's main balance (an operator top-up)")
    .requiredOption('--account <id or number>', 'account id, or account number such as A-000001')
    .requiredOption('--amount <decimal>', 'in the account currency, e.g. 10.00')
    .option('--reference <text>', 'e.g. a receipt number')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .action((flags: AccountFlags & { amount: string; reference?: string }) =>
      withDatabase((db) => topUp(db, flags)),
    );
}

async function show(db: Kysely<Database>, flags: AccountFlags, json: boolean): Promise<number> {
  const found = await accountOf(db, flags);
  if (typeof found === 'number') return found;
  const balance = await readAccountBalance(db, found.tenantId, found.accountId, new Date());
  if (balance === undefined) throw new Error('the account vanished');
  if (json) console.log(JSON.stringify(balance));
  else printBalance(found.accountNumber, balance);
  return ExitCode.ok;
}

async function topUp(
  db: Kysely<Database>,
  flags: AccountFlags & { amount: string; reference?: string },
): Promise<number> {
  const found = await accountOf(db, flags);
  if (typeof found === 'number') return found;
  const result = await topUpAccount(
    db,
    found.tenantId,
    CLI_ACTOR,
    found.accountId,
    {
      amount: flags.amount,
      method: 'operator',
      ...(flags.reference === undefined ? {} : { reference: flags.reference }),
    },
    new Date(),
  );
  if (!result.ok) return reportFailure(result);
  const credited = result.transaction.entries.find((e) => e.bucketId !== null);
  console.log(
    `topped up ${found.accountNumber} by ${credited?.amount} ${credited?.unit}: transaction ${result.transaction.id}`,
  );
  return ExitCode.ok;
}

async function accountOf(
  db: Kysely<Database>,
  flags: AccountFlags,
): Promise<{ tenantId: string; accountId: string; accountNumber: string } | number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') {
    console.error(tenant);
    return ExitCode.usage;
  }
  const account = await findCliAccount(db, tenant.id, flags.account);
  if (account === undefined) {
    console.error(`no account "${flags.account}" in tenant ${tenant.slug}`);
    return ExitCode.usage;
  }
  return { tenantId: tenant.id, accountId: account.id, accountNumber: account.account_number };
}

function printBalance(accountNumber: string, balance: AccountBalance): void {
  const limit = balance.creditLimit === null ? '' : ` (credit limit ${balance.creditLimit})`;
  console.log(`account ${accountNumber}: main balance ${balance.mainBalance} ${balance.currency}${limit}`);
  console.log(
    `available to spend: ${balance.availableToSpend ?? 'no limit'}${balance.availableToSpend === null ? '' : ` ${balance.currency}`}`,
  );
  for (const b of balance.buckets) {
    const scope = [b.service, b.subscriptionId === null ? null : `line ${b.subscriptionId}`].filter(
      (s) => s !== null,
    );
    const validity = b.validTo === null ? '' : ` until ${b.validTo}`;
    console.log(
      `  ${b.label ?? b.kind} [${b.unit}${scope.length > 0 ? `, ${scope.join(', ')}` : ''}]: balance ${b.balance}, reserved ${b.reserved}, available ${b.available ?? 'no limit'}${validity}`,
    );
  }
}

/** Prints a use case's refusal; its exit code: usage for a wrong request, refused for the state. */
export function reportFailure(failure: BalanceFailure): number {
  console.error(failure.message);
  return failure.code === 'invalid' || failure.code === 'not_found' ? ExitCode.usage : ExitCode.refused;
}
