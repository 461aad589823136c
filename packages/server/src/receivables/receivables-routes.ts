import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { failureProblem } from '../http/failure-problem.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, Page, PageQuery } from '../http/pagination.js';
import { HttpProblem } from '../http/problem.js';
import type { UseCaseFailure } from '../outcomes/use-case-failure.js';
import { AccountStatementQuery, AccountStatementSchema } from './account-statement-schemas.js';
import { AGING_REPORT_DEFAULT_PAGE, AgingReportQuery, AgingReportSchema } from './aging-report-schemas.js';
import {
  BankLineListQuery,
  BankStatementImportSchema,
  BankStatementLineSchema,
  IgnoreBankLineBody,
  ImportBankStatementBody,
  MatchBankLineBody,
} from './bank-statement-schemas.js';
import {
  bankImportViews,
  decodeBankLineCursor,
  encodeBankLineCursor,
  findBankImport,
  listBankImports,
  listBankLines,
  toBankLine,
} from './bank-statement-store.js';
import { buildAccountStatement } from './build-account-statement.js';
import { ignoreBankStatementLine } from './ignore-bank-statement-line.js';
import { importBankStatement } from './import-bank-statement.js';
import { matchBankStatementLine } from './match-bank-statement-line.js';
import { type AgingPosition, agingReportView, readAgingReport, tenantToday } from './read-aging-report.js';

const tags = ['receivables'];
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
/** A statement file arrives as JSON text: far larger than other bodies, yet bounded (10,000 lines). */
const STATEMENT_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Receivables: bank statements read and matched to invoices (with review of what did not match),
 * the aging of what customers owe, and a customer's statement of account.
 */
export function receivablesRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(bankStatementRoutes(context));
    await app.register(receivablesReportRoutes(context));
  };
}

/** /v1/bank-statements and /v1/bank-statement-lines. */
function bankStatementRoutes({ db, now }: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/bank-statements',
      {
        config: { role: 'operator' },
        bodyLimit: STATEMENT_BODY_LIMIT_BYTES,
        schema: {
          tags,
          summary: 'Import a bank statement (CSV) and record the payments it holds',
          description:
            'Every line is kept. An incoming line whose reference names an invoice (INV-000042, in any case, with or without the dash) records a bank-transfer payment that pays it, then the oldest due; else one naming an account number (A-000123) pays that account; else it waits for review with its reason. Outgoing lines are ignored; lines that cannot be read wait for review, their reason naming line and field. All in one transaction. The same file again (by SHA-256) is 409 naming the first import, and adds nothing. With dryRun the counts are answered (200) and nothing is kept.',
          body: ImportBankStatementBody,
          response: { 200: BankStatementImportSchema, 201: BankStatementImportSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await importBankStatement(db, auth.tenantId, auth.actor, request.body, now());
        if (!result.ok) throw failureProblem(result);
        return reply.status(result.dryRun ? 200 : 201).send(result.import);
      },
    );

    app.get(
      '/v1/bank-statements',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'List bank statement imports',
          querystring: PageQuery,
          response: { 200: Page(BankStatementImportSchema) },
        },
      },
      async (request) => {
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'asc' } = request.query;
        const rows = await listBankImports(db, authOf(request).tenantId, {
          after: decodeCursor(cursor),
          order,
          rows: limit + 1,
        });
        const items = await bankImportViews(db, rows.slice(0, limit));
        const last = rows[limit - 1];
        return {
          items,
          nextCursor:
            rows.length > limit && last !== undefined
              ? encodeCursor({ createdAt: last.imported_at, id: last.id })
              : null,
        };
      },
    );

    app.get(
      '/v1/bank-statements/:id',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'Read a bank statement import with its counts as they are now',
          params: IdParams,
          response: { 200: BankStatementImportSchema },
        },
      },
      async (request) => {
        const row = await findBankImport(db, authOf(request).tenantId, request.params.id);
        if (row === undefined)
          throw new HttpProblem('not_found', `no bank statement import ${request.params.id}`);
        const [view] = await bankImportViews(db, [row]);
        return view;
      },
    );

    app.get(
      '/v1/bank-statement-lines',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'List bank statement lines, e.g. those waiting for review (status=unmatched)',
          description: 'In the order of their files: import time, then line number.',
          querystring: Type.Composite([PageQuery, BankLineListQuery], { additionalProperties: false }),
          response: { 200: Page(BankStatementLineSchema) },
        },
      },
      async (request) => {
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'asc', status, importId } = request.query;
        const rows = await listBankLines(
          db,
          authOf(request).tenantId,
          { status, importId },
          { after: decodeBankLineCursor(cursor), order, rows: limit + 1 },
        );
        const items = rows.slice(0, limit);
        const last = items[items.length - 1];
        return {
          items: items.map(toBankLine),
          nextCursor: rows.length > limit && last !== undefined ? encodeBankLineCursor(last) : null,
        };
      },
    );

    app.post(
      '/v1/bank-statement-lines/:id/match',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Match an unmatched line to an invoice or an account, recording its payment',
          description:
            'Exactly one of invoiceId (pays it first, then the oldest due) and accountId (oldest due first). The account must be billed in the currency of the line. A line that is not unmatched, or whose amount could not be read, is 409.',
          params: IdParams,
          body: MatchBankLineBody,
          response: { 200: BankStatementLineSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await matchBankStatementLine(
          db,
          auth.tenantId,
          auth.actor,
          request.params.id,
          request.body,
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return result.line;
      },
    );

    app.post(
      '/v1/bank-statement-lines/:id/ignore',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Set an unmatched line aside, with a note on why it needs no payment',
          params: IdParams,
          body: IgnoreBankLineBody,
          response: { 200: BankStatementLineSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await ignoreBankStatementLine(
          db,
          auth.tenantId,
          auth.actor,
          request.params.id,
          request.body.note,
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return result.line;
      },
    );
  };
}

/** /v1/receivables/aging and /v1/accounts/{id}/account-statement: read-only reports. */
function receivablesReportRoutes({ db, now }: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/receivables/aging',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'Accounts-receivable aging: what each account owes by days past due, per currency',
          description:
            'Buckets current, 1-30, 31-60, 61-90 and over 90 days past due on asOf, of what finalised invoices owe now; unapplied credit (payments not applied to any invoice) beside, not netted. Accounts by account number, a page at a time; the totals per currency cover every account on every page.',
          querystring: AgingReportQuery,
          response: { 200: AgingReportSchema },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const { asOf, limit = AGING_REPORT_DEFAULT_PAGE, cursor } = request.query;
        const day = asOf ?? (await tenantToday(db, tenantId, now()));
        if (day === undefined) throw new HttpProblem('not_found', `no tenant ${tenantId}`);
        const result = await readAgingReport(db, tenantId, {
          asOf: day,
          after: decodeAgingCursor(cursor),
          limit,
        });
        if (!result.ok) throw queryProblem(result);
        const { next } = result.report;
        return agingReportView(result.report, next === null ? null : encodeAgingCursor(next));
      },
    );

    app.get(
      '/v1/accounts/:id/account-statement',
      {
        config: { role: 'read-only', customerAccess: { kind: 'account', param: 'id' } },
        schema: {
          tags,
          summary: "A customer's statement of account over a period (receivables)",
          description:
            'What the account owed at the start of `from`, every invoice, credit note, payment, refund, chargeback, write-off and void in date order with the running balance, and what it owed at the end. Days of the account time zone; `from` and `to` are required, `to` is excluded, at most 366 days apart. (GET /v1/accounts/{id}/statement is the statement of the prepaid balance.)',
          params: IdParams,
          querystring: AccountStatementQuery,
          response: { 200: AccountStatementSchema },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const result = await buildAccountStatement(db, tenantId, request.params.id, request.query, now());
        if (!result.ok) throw queryProblem(result);
        return result.statement;
      },
    );
  };
}

/** Query string fields are named as request validation names them (`querystring:/from`). */
function queryProblem(failure: UseCaseFailure): HttpProblem {
  if (failure.code !== 'invalid') return failureProblem(failure);
  const field = `querystring:${failure.field}`;
  return new HttpProblem('validation_failed', `${field}: ${failure.message}`, [
    { field, message: failure.message },
  ]);
}

function encodeAgingCursor(position: AgingPosition): string {
  return Buffer.from(JSON.stringify([position.accountNumber, position.currency])).toString('base64url');
}

function decodeAgingCursor(cursor: string | undefined): AgingPosition | null {
  if (cursor === undefined) return null;
  try {
    const [accountNumber, currency] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      unknown,
      unknown,
    ];
    if (typeof accountNumber !== 'string' || typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency))
      throw new Error('bad cursor');
    return { accountNumber, currency };
  } catch {
    throw new HttpProblem('invalid_cursor', 'cursor is not one this API returned', [
      { field: '/cursor', message: 'invalid' },
    ]);
  }
}
