import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { UseCaseFailure } from '../outcomes/use-case-failure.js';
import type { BankStatementOptions } from '../receivables/bank-statement-schemas.js';
import { listBankLines, toBankLine } from '../receivables/bank-statement-store.js';
import { buildAccountStatement } from '../receivables/build-account-statement.js';
import { ignoreBankStatementLine } from '../receivables/ignore-bank-statement-line.js';
import { importBankStatement } from '../receivables/import-bank-statement.js';
import { matchBankStatementLine } from '../receivables/match-bank-statement-line.js';
import { agingReportView, readAgingReport, tenantToday } from '../receivables/read-aging-report.js';
import type { BankColumn, BankDateFormat, BankDelimiter } from '../receivables/read-bank-statement-csv.js';
import { formatAccountStatement, formatAgingTable, textTable } from '../receivables/receivables-text.js';
import { ExitCode } from './exit-codes.js';
import { findCliAccount, findCliTenant, withDatabase } from './with-database.js';

const CLI_ACTOR = { type: 'system', id: 'cli' } as const;
/** `bank-statement import` when some lines wait for review: "some were not processed", as for rating and bill runs. */
const SOME_UNMATCHED = ExitCode.someNotRated;
/** Unmatched lines `bank-statement unmatched` prints at most. */
const MAX_LISTED_LINES = 10_000;

interface ImportFlags {
  readonly tenant?: string;
  readonly delimiter?: string;
  readonly decimalSeparator?: string;
  readonly dateFormat?: string;
  readonly currency?: string;
  readonly column?: string[];
  readonly encoding: string;
  readonly json?: boolean;
  readonly dryRun?: boolean;
}

/** `tollgate bank-statement ...`, `tollgate aging` and `tollgate account-statement`. */
export function registerReceivablesCommands(program: Command): void {
  const bank = program.command('bank-statement').description('bank statements: import, review');
  bank
    .command('import')
    .description(
      'import a CSV bank statement and record the payments its lines name (exit 4: some lines wait for review)',
    )
    .argument('<file>', 'the CSV file, with a header line')
    .option('--delimiter <char>', "',', ';' or 'tab' (default: the one the header uses most)")
    .option('--decimal-separator <char>', "'.' or ',' (default '.')")
    .option('--date-format <format>', 'YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY (default YYYY-MM-DD)')
    .option('--currency <code>', 'the currency of lines that name none (a file without a currency column)')
    .option(
      '--column <name=header...>',
      'header of a column: date, amount, currency, reference, counterparty',
    )
    .option('--encoding <name>', 'the text encoding of the file: utf-8, latin1 or windows-1252', 'utf-8')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .option('--dry-run', 'match and count, then keep nothing: try the options first')
    .option('--json', 'print the import as JSON')
    .action((file: string, flags: ImportFlags) => withDatabase((db) => importFile(db, file, flags)));
  bank
    .command('unmatched')
    .description('the lines waiting for review, oldest import first')
    .option('--tenant <slug>', 'tenant slug')
    .option('--json', 'one JSON object per line')
    .action((flags: { tenant?: string; json?: boolean }) => withDatabase((db) => unmatched(db, flags)));
  bank
    .command('match')
    .description('match an unmatched line to an invoice or an account, recording its payment')
    .argument('<line-id>', 'the line (from `bank-statement unmatched`)')
    .option('--invoice <number>', 'the invoice (INV-000042) it pays')
    .option('--account <number>', 'the account (A-000123) it pays, oldest invoices first')
    .option('--tenant <slug>', 'tenant slug')
    .action((lineId: string, flags: { invoice?: string; account?: string; tenant?: string }) =>
      withDatabase((db) => match(db, lineId, flags)),
    );
  bank
    .command('ignore')
    .description('set an unmatched line aside')
    .argument('<line-id>', 'the line (from `bank-statement unmatched`)')
    .requiredOption('--note <text>', 'why it needs no payment')
    .option('--tenant <slug>', 'tenant slug')
    .action((lineId: string, flags: { note: string; tenant?: string }) =>
      withDatabase(async (db) => {
        const tenant = await findCliTenant(db, flags.tenant);
        if (typeof tenant === 'string') return usage(tenant);
        const result = await ignoreBankStatementLine(
          db,
          tenant.id,
          CLI_ACTOR,
          lineId,
          flags.note,
          new Date(),
        );
        if (!result.ok) return reportFailure(result);
        console.log(JSON.stringify(result.line));
        return ExitCode.ok;
      }),
    );

  program
    .command('aging')
    .description('accounts-receivable aging: what each account owes by days past due')
    .option(
      '--as-of <date>',
      "count days past due to this day, YYYY-MM-DD (default: today in the tenant's zone)",
    )
    .option('--tenant <slug>', 'tenant slug')
    .option('--json', 'print the report as JSON')
    .action((flags: { asOf?: string; tenant?: string; json?: boolean }) =>
      withDatabase((db) => aging(db, flags)),
    );

  program
    .command('account-statement')
    .description(
      "a customer's statement of account: opening balance, invoices, payments, credits, closing balance",
    )
    .argument('<account>', 'account number (A-000123) or id')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD in the account time zone')
    .requiredOption('--to <date>', 'the day after the last one (excluded), YYYY-MM-DD')
    .option('--tenant <slug>', 'tenant slug')
    .option('--json', 'print the statement as JSON')
    .action((account: string, flags: { from: string; to: string; tenant?: string; json?: boolean }) =>
      withDatabase((db) => accountStatement(db, account, flags)),
    );
}

async function importFile(db: Kysely<Database>, file: string, flags: ImportFlags): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  const options = importOptions(flags);
  if (typeof options === 'string') return usage(options);
  let content: string;
  try {
    content = new TextDecoder(flags.encoding, { fatal: true }).decode(await readFile(file));
  } catch (error) {
    if (error instanceof RangeError) return usage(`--encoding ${flags.encoding}: not an encoding this knows`);
    if (error instanceof TypeError)
      return usage(`${file} is not ${flags.encoding} text; try --encoding latin1`);
    throw error;
  }
  const progress = paymentProgress();
  const result = await importBankStatement(
    db,
    tenant.id,
    CLI_ACTOR,
    { fileName: basename(file), content, options, dryRun: flags.dryRun === true },
    new Date(),
    progress.update,
  ).finally(progress.stop);
  if (!result.ok) return reportFailure(result);
  const view = result.import;
  if (flags.json === true) console.log(JSON.stringify(view));
  else {
    const amounts = view.matchedAmounts.map((m) => `${m.amount} ${m.currency}`).join(', ');
    console.log(
      `${result.dryRun ? 'dry run, nothing kept: ' : ''}bank statement ${view.id} (${view.fileName}): ` +
        `${view.lines} lines, ${view.matched} matched${amounts === '' ? '' : ` (${amounts})`}, ` +
        `${view.unmatched} unmatched, ${view.ignored} ignored`,
    );
  }
  if (view.unmatched > 0 && !result.dryRun)
    console.error(
      `${view.unmatched} lines wait for review: tollgate bank-statement unmatched --tenant ${tenant.slug}`,
    );
  return view.unmatched > 0 ? SOME_UNMATCHED : ExitCode.ok;
}

/** A bar on stderr while the payments of an import are recorded; only on a terminal. */
function paymentProgress(): { update: (recorded: number, toRecord: number) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new SingleBar(
    {
      format: 'payments [{bar}] {value}/{total} | {speed} lines/s | ETA {eta_formatted}',
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  const startedMs = performance.now();
  let started = false;
  return {
    update: (recorded, toRecord) => {
      if (!started) bar.start(toRecord, 0, { speed: 0 });
      started = true;
      const seconds = (performance.now() - startedMs) / 1000;
      bar.update(recorded, { speed: seconds > 0 ? Math.round(recorded / seconds) : 0 });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

const DELIMITERS: Readonly<Record<string, BankDelimiter>> = { ',': ',', ';': ';', tab: '\t', '\t': '\t' };
const DATE_FORMATS: readonly BankDateFormat[] = ['YYYY-MM-DD', 'DD.MM.YYYY', 'DD/MM/YYYY'];
const COLUMNS: readonly BankColumn[] = ['date', 'amount', 'currency', 'reference', 'counterparty'];

/** The import options from the flags, or what is wrong with them. */
function importOptions(flags: ImportFlags): BankStatementOptions | string {
  const delimiter = flags.delimiter === undefined ? undefined : DELIMITERS[flags.delimiter];
  if (flags.delimiter !== undefined && delimiter === undefined) return "--delimiter is ',', ';' or 'tab'";
  const separator = flags.decimalSeparator;
  if (separator !== undefined && separator !== '.' && separator !== ',')
    return "--decimal-separator is '.' or ','";
  const dateFormat = DATE_FORMATS.find((format) => format === flags.dateFormat);
  if (flags.dateFormat !== undefined && dateFormat === undefined)
    return `--date-format is one of ${DATE_FORMATS.join(', ')}`;
  if (flags.currency !== undefined && !/^[A-Z]{3}$/.test(flags.currency))
    return '--currency is an ISO 4217 code (EUR)';
  const columns: Partial<Record<BankColumn, string>> = {};
  for (const spec of flags.column ?? []) {
    const [name = '', ...header] = spec.split('=');
    const column = COLUMNS.find((known) => known === name);
    if (column === undefined || header.length === 0)
      return `--column ${spec}: write name=header, with a name of ${COLUMNS.join(', ')}`;
    columns[column] = header.join('=');
  }
  return {
    ...(delimiter === undefined ? {} : { delimiter }),
    ...(separator === undefined ? {} : { decimalSeparator: separator }),
    ...(dateFormat === undefined ? {} : { dateFormat }),
    ...(flags.currency === undefined ? {} : { currency: flags.currency }),
    ...(Object.keys(columns).length === 0 ? {} : { columns }),
  };
}

async function unmatched(db: Kysely<Database>, flags: { tenant?: string; json?: boolean }): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  const rows = await listBankLines(
    db,
    tenant.id,
    { status: 'unmatched' },
    { after: null, order: 'asc', rows: MAX_LISTED_LINES + 1 },
  );
  const lines = rows.slice(0, MAX_LISTED_LINES).map(toBankLine);
  if (flags.json === true) for (const line of lines) console.log(JSON.stringify(line));
  else if (lines.length === 0) console.log('no line waits for review');
  else
    console.log(
      textTable(
        ['Line id', 'Line', 'Booked', 'Amount', 'Cur', 'Reference', 'Reason'],
        lines.map((line) => [
          line.id,
          String(line.lineNumber),
          line.bookedOn,
          line.amount,
          line.currency,
          line.reference,
          line.reason ?? '',
        ]),
        ['left', 'right', 'left', 'right', 'left', 'left', 'left'],
      ).join('\n'),
    );
  if (rows.length > MAX_LISTED_LINES) console.error(`only the first ${MAX_LISTED_LINES} are listed`);
  return ExitCode.ok;
}

async function match(
  db: Kysely<Database>,
  lineId: string,
  flags: { invoice?: string; account?: string; tenant?: string },
): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  if ((flags.invoice === undefined) === (flags.account === undefined))
    return usage('give one of --invoice and --account');
  let body: { invoiceId: string } | { accountId: string };
  if (flags.invoice !== undefined) {
    const invoice = await db
      .selectFrom('invoices')
      .select('id')
      .where('tenant_id', '=', tenant.id)
      .where('number', '=', flags.invoice)
      .executeTakeFirst();
    if (invoice === undefined) return usage(`no invoice ${flags.invoice}`);
    body = { invoiceId: invoice.id };
  } else {
    const account = await findCliAccount(db, tenant.id, flags.account ?? '');
    if (account === undefined) return usage(`no account ${flags.account}`);
    body = { accountId: account.id };
  }
  const result = await matchBankStatementLine(db, tenant.id, CLI_ACTOR, lineId, body, new Date());
  if (!result.ok) return reportFailure(result);
  console.log(JSON.stringify(result.line));
  return ExitCode.ok;
}

async function aging(
  db: Kysely<Database>,
  flags: { asOf?: string; tenant?: string; json?: boolean },
): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  const asOf = flags.asOf ?? (await tenantToday(db, tenant.id, new Date()));
  if (asOf === undefined) return usage(`no tenant ${tenant.slug}`);
  const result = await readAgingReport(db, tenant.id, { asOf });
  if (!result.ok) return reportFailure(result);
  const view = agingReportView(result.report, null);
  if (flags.json === true) console.log(JSON.stringify(view, null, 2));
  else process.stdout.write(formatAgingTable(view));
  return ExitCode.ok;
}

async function accountStatement(
  db: Kysely<Database>,
  reference: string,
  flags: { from: string; to: string; tenant?: string; json?: boolean },
): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  const account = await findCliAccount(db, tenant.id, reference);
  if (account === undefined) return usage(`no account "${reference}" in tenant ${tenant.slug}`);
  const result = await buildAccountStatement(
    db,
    tenant.id,
    account.id,
    { from: flags.from, to: flags.to },
    new Date(),
  );
  if (!result.ok) return reportFailure(result);
  if (flags.json === true) console.log(JSON.stringify(result.statement, null, 2));
  else process.stdout.write(formatAccountStatement(result.statement));
  return ExitCode.ok;
}

/** A wrong request is a usage error; a refusal of the current state (a file imported already) is not. */
function reportFailure(failure: UseCaseFailure): number {
  if (failure.code === 'invalid') return usage(`${failure.field}: ${failure.message}`);
  console.error(failure.message);
  return failure.code === 'not_found' ? ExitCode.usage : ExitCode.refused;
}

function usage(message: string): number {
  console.error(message);
  return ExitCode.usage;
}
