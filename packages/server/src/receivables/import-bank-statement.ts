import { createHash } from 'node:crypto';
import { dayOfIsoDate, isoDateOfDay } from '@tollgate/core';
import type { Kysely, Transaction } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { conflict, invalid, type UseCaseFailure } from '../outcomes/use-case-failure.js';
import type { BankStatementImportView, BankStatementOptions } from './bank-statement-schemas.js';
import {
  bankImportViews,
  insertBankLines,
  lookUpNamedDocuments,
  type NewBankLine,
} from './bank-statement-store.js';
import { type BankLineDecision, decideBankLine } from './decide-bank-line.js';
import { type BankCsvLine, readBankStatementCsv } from './read-bank-statement-csv.js';
import { recordBankLinePayment } from './record-bank-line-payment.js';
import { referenceNumbersIn } from './reference-numbers.js';

export interface ImportBankStatementInput {
  readonly fileName: string;
  /** The CSV text, header first. */
  readonly content: string;
  readonly options?: BankStatementOptions | undefined;
  /** Decide and record everything, answer the counts, then roll it all back: a preview of the options. */
  readonly dryRun?: boolean | undefined;
}

/** Told after each payment an import records: how many so far, of how many. */
export type ImportProgress = (recorded: number, toRecord: number) => void;

export type ImportBankStatementResult =
  | { readonly ok: true; readonly import: BankStatementImportView; readonly dryRun: boolean }
  | UseCaseFailure;

/** Thrown to roll a dry run back once its counts are known. */
class DryRunDone extends Error {
  constructor(readonly result: ImportBankStatementResult) {
    super('dry run: rolled back');
  }
}

/** What a line that could not be read is stored with: the columns are required, the values unknown. */
const UNKNOWN_CURRENCY = 'XXX';

/**
 * Imports a bank statement (docs/receivables.md): every line is stored, and each incoming one
 * whose reference names an invoice or an account of the tenant records a payment there. The
 * whole file is one transaction: an infrastructure failure leaves nothing behind, while a line
 * that cannot be read or matched never stops the others (it waits for review with its reason).
 * A file is imported once: the same content again (by SHA-256) is a conflict naming the first
 * import, and adds nothing. A dry run does all of it and rolls it back, so that the options can
 * be tried before the file is taken for good.
 */
export async function importBankStatement(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  input: ImportBankStatementInput,
  now: Date,
  onProgress: ImportProgress = () => {},
): Promise<ImportBankStatementResult> {
  const fileName = input.fileName.trim();
  if (fileName.length === 0 || fileName.length > 255)
    return invalid('/fileName', 'a file name has 1 to 255 characters');
  const read = readBankStatementCsv(input.content, input.options ?? {});
  if (!read.ok) return invalid(read.field, read.message);
  const sha256 = createHash('sha256').update(input.content, 'utf8').digest('hex');
  try {
    return await db.transaction().execute(async (trx): Promise<ImportBankStatementResult> => {
      const result = await importIn(
        trx,
        tenantId,
        actor,
        { ...input, fileName },
        read.lines,
        sha256,
        now,
        onProgress,
      );
      if (input.dryRun === true && result.ok) throw new DryRunDone({ ...result, dryRun: true });
      return result;
    });
  } catch (error) {
    if (error instanceof DryRunDone) return error.result;
    throw error;
  }
}

async function importIn(
  trx: Transaction<Database>,
  tenantId: string,
  actor: Actor,
  input: ImportBankStatementInput,
  read: readonly BankCsvLine[],
  sha256: string,
  now: Date,
  onProgress: ImportProgress,
): Promise<ImportBankStatementResult> {
  const { fileName } = input;
  // A concurrent import of the same file waits here on the unique key, then finds the first one.
  const inserted = await trx
    .insertInto('bank_statement_imports')
    .values({
      tenant_id: tenantId,
      file_name: fileName,
      sha256,
      line_count: read.length,
      matched_count: 0,
      unmatched_count: 0,
      imported_at: now,
    })
    .onConflict((c) => c.columns(['tenant_id', 'sha256']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted === undefined) return alreadyImported(trx, tenantId, sha256);
  const lines = await matchAndRecord(
    trx,
    tenantId,
    actor,
    { fileName, sha256, lines: read },
    now,
    onProgress,
  );
  await insertBankLines(trx, tenantId, inserted.id, lines, now);
  const matched = lines.filter((line) => line.status === 'matched').length;
  const unmatched = lines.filter((line) => line.status === 'unmatched').length;
  await trx
    .updateTable('bank_statement_imports')
    .set({ matched_count: matched, unmatched_count: unmatched })
    .where('id', '=', inserted.id)
    .execute();
  const [view] = await bankImportViews(trx, [
    { ...inserted, matched_count: matched, unmatched_count: unmatched },
  ]);
  if (view === undefined) throw new Error('importBankStatement: the import has no view');
  await recordAuditEntry(trx, {
    tenantId,
    actor,
    action: 'bank_statement.imported',
    objectType: 'bank_statement_import',
    objectId: inserted.id,
    before: null,
    after: {
      fileName,
      sha256,
      lines: view.lines,
      matched: view.matched,
      unmatched: view.unmatched,
      ignored: view.ignored,
      matchedAmounts: view.matchedAmounts,
    },
    occurredAt: now,
  });
  return { ok: true, import: view, dryRun: false };
}

async function alreadyImported(
  trx: Transaction<Database>,
  tenantId: string,
  sha256: string,
): Promise<UseCaseFailure> {
  const first = await trx
    .selectFrom('bank_statement_imports')
    .select(['id', 'file_name', 'imported_at'])
    .where('tenant_id', '=', tenantId)
    .where('sha256', '=', sha256)
    .executeTakeFirstOrThrow();
  return conflict(
    `this file was imported already, as ${first.id} ("${first.file_name}", ${first.imported_at.toISOString()}): nothing was added`,
    '/content',
  );
}

interface ReadFile {
  readonly fileName: string;
  readonly sha256: string;
  readonly lines: readonly BankCsvLine[];
}

/**
 * Decides every line, then records the payments of the matched ones: sorted by account (and by
 * line within an account), so that imports running at once take the accounts' payment locks in
 * one order and cannot deadlock, and each account's payments apply in the order of the file.
 */
async function matchAndRecord(
  trx: Transaction<Database>,
  tenantId: string,
  actor: Actor,
  file: ReadFile,
  now: Date,
  onProgress: ImportProgress,
): Promise<NewBankLine[]> {
  const numbers = file.lines.flatMap((line) =>
    line.problems.length > 0 ? [] : referenceNumbersIn(line.reference),
  );
  const named = await lookUpNamedDocuments(trx, tenantId, numbers);
  // A bank's day may begin before UTC's: a line booked "tomorrow" in UTC may be today where it was booked.
  const latestBookedOn = isoDateOfDay(dayOfIsoDate(now.toISOString().slice(0, 10)) + 1);
  const decided = file.lines.map((line) => ({ line, decision: decideBankLine(line, named, latestBookedOn) }));
  const paid = new Map<number, { readonly paymentId: string } | { readonly reason: string }>();
  const toPay = decided
    .filter((entry) => entry.decision.status === 'matched')
    .sort(
      (a, b) =>
        accountOf(a.decision).localeCompare(accountOf(b.decision)) || a.line.lineNumber - b.line.lineNumber,
    );
  for (const { line, decision } of toPay) {
    if (decision.status !== 'matched') continue;
    const result = await recordBankLinePayment(
      trx,
      tenantId,
      actor,
      {
        fileName: file.fileName,
        sha256: file.sha256,
        lineNumber: line.lineNumber,
        accountId: decision.accountId,
        invoiceId: decision.invoiceId,
        amountMicros: line.amountMicros ?? 0n,
        currency: line.currency ?? UNKNOWN_CURRENCY,
        bookedOn: line.bookedOn ?? isoDateOf(now),
        reference: line.reference,
      },
      now,
    );
    paid.set(line.lineNumber, result.ok ? { paymentId: result.payment.id } : { reason: result.message });
    onProgress(paid.size, toPay.length);
  }
  return decided.map(({ line, decision }) => storedLine(line, decision, paid.get(line.lineNumber), now));
}

function accountOf(decision: BankLineDecision): string {
  return decision.status === 'matched' ? decision.accountId : '';
}

function storedLine(
  line: BankCsvLine,
  decision: BankLineDecision,
  payment: { readonly paymentId: string } | { readonly reason: string } | undefined,
  now: Date,
): NewBankLine {
  const base = {
    lineNumber: line.lineNumber,
    bookedOn: line.bookedOn ?? isoDateOf(now),
    amountMicros: line.amountMicros ?? 0n,
    currency: line.currency ?? UNKNOWN_CURRENCY,
    reference: line.reference,
    counterparty: line.counterparty,
  };
  if (decision.status !== 'matched')
    return { ...base, status: decision.status, reason: decision.reason, invoiceId: null, paymentId: null };
  if (payment === undefined)
    throw new Error(`importBankStatement: matched line ${line.lineNumber} was not recorded`);
  if ('reason' in payment)
    return { ...base, status: 'unmatched', reason: payment.reason, invoiceId: null, paymentId: null };
  return {
    ...base,
    status: 'matched',
    reason: null,
    invoiceId: decision.invoiceId,
    paymentId: payment.paymentId,
  };
}

function isoDateOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}
