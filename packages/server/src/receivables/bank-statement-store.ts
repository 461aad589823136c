import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import { bareArrayLiteral, textArrayLiteral } from '../db/array-literal.js';
import type { Database } from '../db/database-schema.js';
import type { CursorPosition } from '../http/pagination.js';
import { HttpProblem } from '../http/problem.js';
import type { BankStatementImportTable, BankStatementLineTable } from '../payments/payment-tables.js';
import type { BankStatementImportView, BankStatementLineView } from './bank-statement-schemas.js';
import type { NamedAccount, NamedDocuments, NamedInvoice } from './decide-bank-line.js';
import { type ReferenceNumber, sequenceOfDigits } from './reference-numbers.js';

type Executor = Kysely<Database> | Transaction<Database>;
export type BankImportRow = Selectable<BankStatementImportTable>;
export type BankLineRow = Selectable<BankStatementLineTable>;
export type BankLineStatus = BankLineRow['status'];

/** The invoices and accounts a file's references name: two lookups for the whole file, by their unique keys. */
export async function lookUpNamedDocuments(
  db: Executor,
  tenantId: string,
  numbers: readonly ReferenceNumber[],
): Promise<NamedDocuments> {
  const invoiceKeys = numbers.flatMap((number) => {
    const sequence = sequenceOfDigits(number.digits);
    return sequence === null ? [] : [{ series: number.series, sequence }];
  });
  const invoices = new Map<string, NamedInvoice>();
  const accounts = new Map<string, NamedAccount>();
  if (invoiceKeys.length > 0) {
    // By (tenant_id, series, sequence), the unique key of invoice numbers.
    const { rows } = await sql<{
      id: string;
      number: string;
      account_id: string;
      account_number: string;
      currency: string;
    }>`
      select distinct i.id, i.number, i.account_id, a.account_number, a.currency
      from unnest(${textArrayLiteral(invoiceKeys.map((k) => k.series))}::text[],
        ${bareArrayLiteral(invoiceKeys.map((k) => k.sequence))}::int8[]) as n(series, sequence)
      join invoices i on i.tenant_id = ${tenantId}::uuid and i.series = n.series and i.sequence = n.sequence
      join accounts a on a.tenant_id = i.tenant_id and a.id = i.account_id
      where i.kind = 'invoice' and i.number is not null`.execute(db);
    for (const row of rows)
      invoices.set(row.number, {
        id: row.id,
        number: row.number,
        accountId: row.account_id,
        accountNumber: row.account_number,
        currency: row.currency.trim(),
      });
  }
  if (numbers.length > 0) {
    const { rows } = await sql<{ id: string; account_number: string; currency: string }>`
      select id, account_number, currency from accounts
      where tenant_id = ${tenantId}::uuid
        and account_number = any(${textArrayLiteral([...new Set(numbers.map((n) => n.text))])}::text[])`.execute(
      db,
    );
    for (const row of rows)
      accounts.set(row.account_number, {
        id: row.id,
        accountNumber: row.account_number,
        currency: row.currency.trim(),
      });
  }
  return { invoices, accounts };
}

export interface NewBankLine {
  readonly lineNumber: number;
  readonly bookedOn: string;
  readonly amountMicros: bigint;
  readonly currency: string;
  readonly reference: string;
  readonly counterparty: string;
  readonly status: BankLineStatus;
  readonly reason: string | null;
  readonly invoiceId: string | null;
  readonly paymentId: string | null;
}

/**
 * The lines of an import in one statement: each column is one array parameter (PGlite allows
 * fewer than 32,767 parameters a statement; a statement file may have 10,000 lines).
 */
export async function insertBankLines(
  trx: Transaction<Database>,
  tenantId: string,
  importId: string,
  lines: readonly NewBankLine[],
  now: Date,
): Promise<void> {
  if (lines.length === 0) return;
  await sql`
    insert into bank_statement_lines (tenant_id, import_id, line_number, booked_on, amount_micros, currency,
      reference, counterparty, status, reason, invoice_id, payment_id, created_at)
    select ${tenantId}::uuid, ${importId}::uuid, x.line_number, x.booked_on, x.amount_micros, x.currency,
      x.reference, x.counterparty, x.status, x.reason, x.invoice_id, x.payment_id, ${now}
    from unnest(
      ${bareArrayLiteral(lines.map((l) => l.lineNumber))}::int4[],
      ${textArrayLiteral(lines.map((l) => l.bookedOn))}::text[],
      ${bareArrayLiteral(lines.map((l) => l.amountMicros))}::int8[],
      ${textArrayLiteral(lines.map((l) => l.currency))}::text[],
      ${textArrayLiteral(lines.map((l) => l.reference))}::text[],
      ${textArrayLiteral(lines.map((l) => l.counterparty))}::text[],
      ${textArrayLiteral(lines.map((l) => l.status))}::text[],
      ${textArrayLiteral(lines.map((l) => l.reason))}::text[],
      ${bareArrayLiteral(lines.map((l) => l.invoiceId))}::uuid[],
      ${bareArrayLiteral(lines.map((l) => l.paymentId))}::uuid[]
    ) as x(line_number, booked_on, amount_micros, currency, reference, counterparty, status, reason,
      invoice_id, payment_id)`.execute(trx);
}

export function toBankLine(row: BankLineRow): BankStatementLineView {
  const currency = row.currency.trim();
  return {
    id: row.id,
    importId: row.import_id,
    lineNumber: row.line_number,
    bookedOn: row.booked_on,
    amount: formatMoneyAmount(BigInt(row.amount_micros), currency),
    currency,
    reference: row.reference,
    counterparty: row.counterparty,
    status: row.status,
    reason: row.reason,
    invoiceId: row.invoice_id,
    paymentId: row.payment_id,
    createdAt: row.created_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
  };
}

export async function findBankLine(
  db: Executor,
  tenantId: string,
  id: string,
  lock = false,
): Promise<BankLineRow | undefined> {
  let query = db
    .selectFrom('bank_statement_lines')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function findBankImport(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<BankImportRow | undefined> {
  return db
    .selectFrom('bank_statement_imports')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Imports as the API shows them, with the lines' counts as they are now (review changes them). */
export async function bankImportViews(
  db: Executor,
  rows: readonly BankImportRow[],
): Promise<BankStatementImportView[]> {
  if (rows.length === 0) return [];
  const { rows: counts } = await sql<{
    import_id: string;
    status: BankLineStatus;
    currency: string;
    lines: number | string;
    amount_micros: bigint;
  }>`
    select import_id, status, currency, count(*) as lines, sum(amount_micros) as amount_micros
    from bank_statement_lines
    where import_id = any(${bareArrayLiteral(rows.map((row) => row.id))}::uuid[])
    group by import_id, status, currency
    order by import_id, status, currency`.execute(db);
  return rows.map((row) => {
    const mine = counts.filter((count) => count.import_id === row.id);
    const lines = (status: BankLineStatus) =>
      mine.filter((count) => count.status === status).reduce((sum, count) => sum + Number(count.lines), 0);
    return {
      id: row.id,
      fileName: row.file_name,
      sha256: row.sha256,
      lines: row.line_count,
      matched: lines('matched'),
      unmatched: lines('unmatched'),
      ignored: lines('ignored'),
      matchedAmounts: mine
        .filter((count) => count.status === 'matched')
        .map((count) => {
          const currency = count.currency.trim();
          return { currency, amount: formatMoneyAmount(BigInt(count.amount_micros), currency) };
        }),
      importedAt: row.imported_at.toISOString(),
    };
  });
}

export interface PageRequest<Cursor> {
  readonly after: Cursor | null;
  readonly order: 'asc' | 'desc';
  readonly rows: number;
}

/** A page of the tenant's imports, by import time. */
export async function listBankImports(
  db: Executor,
  tenantId: string,
  page: PageRequest<CursorPosition>,
): Promise<BankImportRow[]> {
  const direction = sql.raw(page.order === 'asc' ? 'asc' : 'desc');
  const after =
    page.after === null
      ? sql`true`
      : sql`(imported_at, id) ${sql.raw(page.order === 'asc' ? '>' : '<')} (${page.after.createdAt}, ${page.after.id}::uuid)`;
  const { rows } = await sql<BankImportRow>`
    select * from bank_statement_imports
    where tenant_id = ${tenantId}::uuid and ${after}
    order by imported_at ${direction}, id ${direction}
    limit ${page.rows}`.execute(db);
  return rows;
}

/** Where a page of lines starts: after this line, in the list's order (import time, import, line). */
export interface BankLinePosition {
  readonly createdAt: Date;
  readonly importId: string;
  readonly lineNumber: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Cursors are opaque to clients: base64url of the last line's position. */
export function encodeBankLineCursor(
  row: Pick<BankLineRow, 'created_at' | 'import_id' | 'line_number'>,
): string {
  return Buffer.from(JSON.stringify([row.created_at.toISOString(), row.import_id, row.line_number])).toString(
    'base64url',
  );
}

export function decodeBankLineCursor(cursor: string | undefined): BankLinePosition | null {
  if (cursor === undefined) return null;
  try {
    const [createdAt, importId, lineNumber] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    ) as [unknown, unknown, unknown];
    const date = typeof createdAt === 'string' ? new Date(createdAt) : new Date(Number.NaN);
    if (
      Number.isNaN(date.getTime()) ||
      typeof importId !== 'string' ||
      !UUID.test(importId) ||
      typeof lineNumber !== 'number' ||
      !Number.isInteger(lineNumber)
    )
      throw new Error('bad cursor');
    return { createdAt: date, importId, lineNumber };
  } catch {
    throw new HttpProblem('invalid_cursor', 'cursor is not one this API returned', [
      { field: '/cursor', message: 'invalid' },
    ]);
  }
}

/** A page of statement lines, in the order of their files: import time, import, line number. */
export async function listBankLines(
  db: Executor,
  tenantId: string,
  filter: { readonly status?: BankLineStatus | undefined; readonly importId?: string | undefined },
  page: PageRequest<BankLinePosition>,
): Promise<BankLineRow[]> {
  const direction = sql.raw(page.order === 'asc' ? 'asc' : 'desc');
  const after =
    page.after === null
      ? sql`true`
      : sql`(created_at, import_id, line_number) ${sql.raw(page.order === 'asc' ? '>' : '<')}
          (${page.after.createdAt}, ${page.after.importId}::uuid, ${page.after.lineNumber}::int4)`;
  const { rows } = await sql<BankLineRow>`
    select * from bank_statement_lines
    where tenant_id = ${tenantId}::uuid
      and ${filter.status === undefined ? sql`true` : sql`status = ${filter.status}`}
      and ${filter.importId === undefined ? sql`true` : sql`import_id = ${filter.importId}::uuid`}
      and ${after}
    order by created_at ${direction}, import_id ${direction}, line_number ${direction}
    limit ${page.rows}`.execute(db);
  return rows;
}
