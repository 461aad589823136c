import { writeFile } from 'node:fs/promises';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { closeBillRunIfDone } from '../billing/bill-run-jobs.js';
import { startBillRunQueue } from '../billing/bill-run-queue.js';
import { createCreditNote } from '../billing/create-credit-note.js';
import { finalizeInvoice } from '../billing/finalize-invoice.js';
import { invoiceDetail, invoiceView, listInvoices } from '../billing/invoice-store.js';
import { renderInvoiceHtml } from '../billing/render/render-invoice-html.js';
import { renderInvoicePdf } from '../billing/render/render-invoice-pdf.js';
import { renderingOf } from '../billing/render-options-of.js';
import { renewAllowances } from '../billing/renew-allowances.js';
import { type BillRunProgress, readBillRun, startBillRun } from '../billing/start-bill-run.js';
import { voidInvoice } from '../billing/void-invoice.js';
import type { DatabaseHandle } from '../db/create-database.js';
import type { Database } from '../db/database-schema.js';
import { ExitCode } from './exit-codes.js';
import { findCliAccount, findCliTenant, withDatabase } from './with-database.js';

const CLI_ACTOR = { type: 'system', id: 'cli' } as const;

interface BillRunFlags {
  readonly tenant?: string;
  readonly asOf?: string;
  readonly dryRun?: boolean;
  readonly draft?: boolean;
  readonly workers: string;
  readonly resume?: string;
  readonly json?: boolean;
  readonly progressEvery: string;
}

/** `tollgate bill-run` and `tollgate invoice ...`. */
export function registerBillingCommands(program: Command): void {
  program
    .command('bill-run')
    .description(
      'invoice every account whose bill cycle ended; works the run in this process with other processes',
    )
    .option('--as-of <instant>', 'bill cycles that ended by then (ISO 8601; default now)')
    .option('--dry-run', 'preview the invoices; write nothing else')
    .option('--draft', 'leave the invoices as drafts (finalise them later)')
    .option('--workers <n>', 'accounts chunks billed at once by this process', '2')
    .option('--resume <run>', 'work the pending accounts of an earlier run (after a crash)')
    .option('--progress-every <seconds>', 'without a terminal: a progress line this often', '5')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .option('--json', 'print the run summary as JSON')
    .action((flags: BillRunFlags) => withDatabase((db, handle) => billRun(db, handle, flags)));

  program
    .command('allowances')
    .description('plan allowances per bill cycle')
    .command('renew')
    .description(
      "grant every line its plans' allowances for the cycle holding --as-of, where not granted yet",
    )
    .option('--as-of <instant>', 'ISO 8601 instant (default now)')
    .option('--tenant <slug>', 'tenant slug')
    .action((flags: { asOf?: string; tenant?: string }) =>
      withDatabase(async (db) => {
        const tenant = await findCliTenant(db, flags.tenant);
        if (typeof tenant === 'string') return usage(tenant);
        const asOf = flags.asOf === undefined ? new Date() : new Date(flags.asOf);
        if (Number.isNaN(asOf.getTime())) return usage(`--as-of ${flags.asOf} is not an instant`);
        const granted = await renewAllowances(db, tenant.id, asOf, new Date());
        console.log(`${granted} allowances granted`);
        return ExitCode.ok;
      }),
    );

  const invoice = program.command('invoice').description('invoices and credit notes');
  invoice
    .command('list')
    .description('list invoices, newest first')
    .option('--account <number>', 'only this account (A-000123)')
    .option('--status <status>', 'draft, finalized, paid or void')
    .option('--limit <n>', 'at most this many', '20')
    .option('--tenant <slug>', 'tenant slug')
    .option('--json', 'one JSON object per line')
    .action((flags: { account?: string; status?: string; limit: string; tenant?: string; json?: boolean }) =>
      withDatabase((db) => list(db, flags)),
    );
  invoice
    .command('show')
    .description('an invoice with its lines and taxes, as JSON')
    .argument('<invoice>', 'number (INV-000042) or id')
    .option('--tenant <slug>', 'tenant slug')
    .action((ref: string, flags: { tenant?: string }) => withDatabase((db) => show(db, ref, flags)));
  invoice
    .command('download')
    .description('write an invoice as PDF or HTML (by the file name given)')
    .argument('<invoice>', 'number (INV-000042) or id')
    .requiredOption('--out <file>', 'a .pdf or .html file')
    .option('--tenant <slug>', 'tenant slug')
    .action((ref: string, flags: { out: string; tenant?: string }) =>
      withDatabase((db) => download(db, ref, flags)),
    );
  invoice
    .command('finalize')
    .description('number and freeze a draft')
    .argument('<invoice>', 'id of the draft')
    .option('--tenant <slug>', 'tenant slug')
    .action((ref: string, flags: { tenant?: string }) =>
      withDatabase((db) =>
        act(db, ref, flags, (tenantId, id) => finalizeInvoice(db, tenantId, CLI_ACTOR, id, new Date())),
      ),
    );
  invoice
    .command('void')
    .description('void an invoice issued in error (what it billed goes to the next invoice)')
    .argument('<invoice>', 'number or id')
    .requiredOption('--reason <text>', 'why')
    .option('--tenant <slug>', 'tenant slug')
    .action((ref: string, flags: { reason: string; tenant?: string }) =>
      withDatabase((db) =>
        act(db, ref, flags, (tenantId, id) =>
          voidInvoice(db, tenantId, CLI_ACTOR, id, flags.reason, new Date()),
        ),
      ),
    );
  invoice
    .command('credit')
    .description('issue a credit note for an invoice, in full or for some lines')
    .argument('<invoice>', 'number or id')
    .requiredOption('--reason <text>', 'why')
    .option('--line <position[:amount]...>', 'credit these lines (all that is left, or the amount)')
    .option('--tenant <slug>', 'tenant slug')
    .action((ref: string, flags: { reason: string; line?: string[]; tenant?: string }) =>
      withDatabase((db) =>
        act(db, ref, flags, (tenantId, id) =>
          createCreditNote(
            db,
            tenantId,
            CLI_ACTOR,
            id,
            {
              reason: flags.reason,
              ...(flags.line === undefined
                ? {}
                : {
                    lines: flags.line.map((spec) => {
                      const [position, amount] = spec.split(':');
                      return { position: Number(position), ...(amount === undefined ? {} : { amount }) };
                    }),
                  }),
            },
            new Date(),
          ),
        ),
      ),
    );
}

async function billRun(db: Kysely<Database>, handle: DatabaseHandle, flags: BillRunFlags): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  const workers = Number(flags.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 16) return usage('--workers must be 1 to 16');
  const asOf = flags.asOf === undefined ? new Date() : new Date(flags.asOf);
  if (Number.isNaN(asOf.getTime())) return usage(`--as-of ${flags.asOf} is not an instant`);
  const queue = await startBillRunQueue(handle, () => new Date(), workers);
  try {
    const runId =
      flags.resume ??
      (
        await startBillRun(
          db,
          tenant.id,
          CLI_ACTOR,
          { asOf, dryRun: flags.dryRun ?? false, finalize: !(flags.draft ?? false) },
          new Date(),
        )
      ).runId;
    const first = await readBillRun(db, tenant.id, runId);
    if (first === undefined) return usage(`no bill run ${runId}`);
    console.error(`bill run ${runId}: ${first.accounts} accounts due`);
    await queue.enqueue(runId, tenant.id);
    const done = await waitForRun(db, tenant.id, runId, first.accounts, Number(flags.progressEvery) * 1000);
    if (flags.json === true) console.log(JSON.stringify(done));
    else
      console.log(
        `bill run ${done.id}${done.dryRun ? ' (dry run)' : ''}: ${done.accounts} accounts, ${done.invoiced} invoiced, ` +
          `${done.skipped} skipped, ${done.parked} parked`,
      );
    if (done.parked > 0)
      console.error(`parked accounts and why: GET /v1/bill-runs/${done.id}/accounts?status=parked`);
    return done.parked > 0 ? ExitCode.someNotRated : ExitCode.ok;
  } finally {
    await queue.stop();
  }
}

/** Polls the run until no account is pending, with a bar on a terminal and a line now and then otherwise. */
async function waitForRun(
  db: Kysely<Database>,
  tenantId: string,
  runId: string,
  total: number,
  plainEveryMs: number,
): Promise<BillRunProgress> {
  const bar = process.stderr.isTTY
    ? new SingleBar(
        {
          format: 'bill run [{bar}] {percentage}% | {value}/{total} accounts | ETA {eta_formatted}',
          stream: process.stderr,
        },
        Presets.shades_classic,
      )
    : null;
  bar?.start(Math.max(total, 1), 0);
  let lastLine = performance.now();
  for (;;) {
    const run = await readBillRun(db, tenantId, runId);
    if (run === undefined) throw new Error(`bill run ${runId} vanished`);
    const finished = run.accounts - run.pending;
    bar?.update(finished);
    if (bar === null && performance.now() - lastLine >= plainEveryMs) {
      lastLine = performance.now();
      console.error(`bill run: ${finished}/${run.accounts} accounts`);
    }
    if (run.pending === 0) {
      bar?.stop();
      await closeBillRunIfDone(db, runId, new Date());
      return (await readBillRun(db, tenantId, runId)) ?? run;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(50, Math.min(250, plainEveryMs))));
  }
}

async function resolveInvoice(
  db: Kysely<Database>,
  tenantId: string,
  ref: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('invoices')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where((eb) =>
      /^[0-9a-f-]{36}$/i.test(ref)
        ? eb.or([eb('id', '=', ref), eb('number', '=', ref)])
        : eb('number', '=', ref),
    )
    .executeTakeFirst();
  return row?.id;
}

async function list(
  db: Kysely<Database>,
  flags: { account?: string; status?: string; limit: string; tenant?: string; json?: boolean },
): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  let accountId: string | undefined;
  if (flags.account !== undefined) {
    const account = await findCliAccount(db, tenant.id, flags.account);
    if (account === undefined) return usage(`no account ${flags.account}`);
    accountId = account.id;
  }
  const rows = await listInvoices(
    db,
    tenant.id,
    { accountId, status: flags.status as 'draft' | 'finalized' | 'paid' | 'void' | undefined },
    { limit: Number(flags.limit), after: null, order: 'desc' },
  );
  for (const row of rows.map(invoiceView)) {
    if (flags.json === true) console.log(JSON.stringify(row));
    else
      console.log(
        `${row.number ?? row.id}  ${row.kind}  ${row.status}  ${row.periodFrom ?? ''}..${row.periodTo ?? ''}  ${row.total} ${row.currency}`,
      );
  }
  return ExitCode.ok;
}

async function show(db: Kysely<Database>, ref: string, flags: { tenant?: string }): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  const id = await resolveInvoice(db, tenant.id, ref);
  const row =
    id === undefined
      ? undefined
      : await db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) return usage(`no invoice ${ref}`);
  console.log(JSON.stringify(await invoiceDetail(db, row), null, 2));
  return ExitCode.ok;
}

async function download(
  db: Kysely<Database>,
  ref: string,
  flags: { out: string; tenant?: string },
): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  const id = await resolveInvoice(db, tenant.id, ref);
  const row =
    id === undefined
      ? undefined
      : await db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) return usage(`no invoice ${ref}`);
  const rendering = await renderingOf(db, tenant.id, row.document);
  if (flags.out.endsWith('.pdf'))
    await writeFile(flags.out, await renderInvoicePdf(rendering.document, rendering.options));
  else if (flags.out.endsWith('.html'))
    await writeFile(flags.out, renderInvoiceHtml(rendering.document, rendering.options));
  else return usage('--out must name a .pdf or .html file');
  console.log(flags.out);
  return ExitCode.ok;
}

async function act(
  db: Kysely<Database>,
  ref: string,
  flags: { tenant?: string },
  work: (
    tenantId: string,
    invoiceId: string,
  ) => Promise<{ ok: true } | { ok: false; code: string; message: string }>,
): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  const id = await resolveInvoice(db, tenant.id, ref);
  if (id === undefined) return usage(`no invoice ${ref}`);
  const result = await work(tenant.id, id);
  if (!result.ok) {
    console.error(result.message);
    return result.code === 'conflict' ? ExitCode.refused : ExitCode.usage;
  }
  const row = await db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  console.log(JSON.stringify(invoiceView(row)));
  return ExitCode.ok;
}

function usage(message: string): number {
  console.error(message);
  return ExitCode.usage;
}
