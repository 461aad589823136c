import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { InvoiceDocument } from '../billing/invoice-document.js';
import type { InvoiceFailure } from '../billing/invoice-failure.js';
import { renderInvoiceHtml } from '../billing/render/render-invoice-html.js';
import { renderInvoicePdf } from '../billing/render/render-invoice-pdf.js';
import { renderOptionsOf } from '../billing/render-options-of.js';
import { buildStatementDocument } from '../billing/statements/build-statement-document.js';
import { issueReceipt } from '../billing/statements/issue-receipt.js';
import { receiptView } from '../billing/statements/receipt-store.js';
import type { Database } from '../db/database-schema.js';
import { ExitCode } from './exit-codes.js';
import { findCliAccount, findCliTenant, withDatabase } from './with-database.js';

const CLI_ACTOR = { type: 'system', id: 'cli' } as const;

interface StatementFlags {
  readonly account: string;
  readonly from: string;
  readonly to: string;
  readonly out?: string;
  readonly tenant?: string;
}

/** `tollgate statement` and `tollgate receipt`: the documents of prepaid balances. */
export function registerStatementCommands(program: Command): void {
  program
    .command('statement')
    .description("an account's statement: opening balance, top-ups, usage per day, closing balance")
    .requiredOption('--account <id or number>', 'account id, or account number such as A-000001')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD in the account time zone')
    .requiredOption('--to <date>', 'the day after the last one (excluded), YYYY-MM-DD')
    .option('--out <file>', 'write it as PDF or HTML (by the file name) instead of JSON to stdout')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .action((flags: StatementFlags) => withDatabase((db) => statement(db, flags)));

  program
    .command('receipt')
    .description('issue the numbered receipt of a top-up or voucher redemption, or show the one issued')
    .argument('<ledger-transaction-id>', 'the top-up or voucher transaction')
    .option('--out <file>', 'write it as PDF or HTML (by the file name) instead of JSON to stdout')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .action((transactionId: string, flags: { out?: string; tenant?: string }) =>
      withDatabase((db) => receipt(db, transactionId, flags)),
    );
}

async function statement(db: Kysely<Database>, flags: StatementFlags): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  const account = await findCliAccount(db, tenant.id, flags.account);
  if (account === undefined) return usage(`no account "${flags.account}" in tenant ${tenant.slug}`);
  const result = await buildStatementDocument(
    db,
    tenant.id,
    account.id,
    { from: flags.from, to: flags.to },
    new Date(),
  );
  if (!result.ok) return reportFailure(result);
  return output(db, tenant.id, result.document, flags.out);
}

async function receipt(
  db: Kysely<Database>,
  transactionId: string,
  flags: { out?: string; tenant?: string },
): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  const result = await issueReceipt(db, tenant.id, CLI_ACTOR, transactionId, new Date());
  if (!result.ok) return reportFailure(result);
  if (flags.out === undefined) {
    console.log(JSON.stringify(receiptView(result.receipt), null, 2));
    return ExitCode.ok;
  }
  return output(db, tenant.id, result.receipt.document, flags.out);
}

/** JSON to stdout, or the rendering the file name asks for (its name on stdout). */
async function output(
  db: Kysely<Database>,
  tenantId: string,
  document: InvoiceDocument,
  out: string | undefined,
): Promise<number> {
  if (out === undefined) {
    console.log(JSON.stringify(document, null, 2));
    return ExitCode.ok;
  }
  if (!out.endsWith('.pdf') && !out.endsWith('.html')) return usage('--out must name a .pdf or .html file');
  const options = await renderOptionsOf(db, tenantId);
  await writeFile(
    out,
    out.endsWith('.pdf') ? await renderInvoicePdf(document, options) : renderInvoiceHtml(document, options),
  );
  console.log(out);
  return ExitCode.ok;
}

/** A wrong request (a bad date, an unknown transaction) is a usage error; a refusal of the state is not. */
function reportFailure(failure: InvoiceFailure): number {
  if (failure.code === 'invalid') return usage(`--${failure.field.replace(/^\//, '')}: ${failure.message}`);
  if (failure.code === 'not_found') return usage(failure.message);
  console.error(failure.message);
  return ExitCode.refused;
}

function usage(message: string): number {
  console.error(message);
  return ExitCode.usage;
}
