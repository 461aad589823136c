import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../http/app-context.js';
import { authOf } from '../../http/authenticate.js';
import { HttpProblem } from '../../http/problem.js';
import type { InvoiceDocument } from '../invoice-document.js';
import type { InvoiceFailure } from '../invoice-failure.js';
import type { RenderInvoiceOptions } from '../render/invoice-template.js';
import { renderInvoiceHtml } from '../render/render-invoice-html.js';
import { renderInvoicePdf } from '../render/render-invoice-pdf.js';
import { renderOptionsOf } from '../render-options-of.js';
import { buildStatementDocument } from './build-statement-document.js';
import { issueReceipt } from './issue-receipt.js';
import { findReceipt, receiptView } from './receipt-store.js';
import { FormatQuery, InvoiceDocumentSchema, ReceiptSchema, StatementQuery } from './statement-schemas.js';

const tags = ['billing'];
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
/** A receipt number or a ledger transaction id; any other text names no receipt (404). */
const ReceiptParams = Type.Object({ reference: Type.String({ minLength: 1, maxLength: 100 }) });
const produces = ['application/json', 'text/html', 'application/pdf'];

/** Query string fields are named as the request validation names them. */
function failure(result: InvoiceFailure): never {
  if (result.code === 'invalid') {
    const field = `querystring:${result.field}`;
    throw new HttpProblem('validation_failed', `${field}: ${result.message}`, [
      { field, message: result.message },
    ]);
  }
  throw new HttpProblem(result.code, result.message);
}

/** The document itself as JSON, or rendered in its language as HTML or PDF. */
async function sendDocument(
  reply: FastifyReply,
  document: InvoiceDocument,
  format: 'json' | 'html' | 'pdf',
  fileName: string,
  options: () => Promise<RenderInvoiceOptions>,
): Promise<FastifyReply> {
  if (format === 'json') return reply.send(document);
  if (format === 'html')
    return reply.type('text/html; charset=utf-8').send(renderInvoiceHtml(document, await options()));
  return reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename="${fileName}.pdf"`)
    .send(await renderInvoicePdf(document, await options()));
}

/**
 * The documents of prepaid balances: an account's statement over a period, and the numbered
 * receipt of a top-up or voucher redemption.
 */
export function statementRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
  return async (app) => {
    app.get(
      '/v1/accounts/:id/statement',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: "An account's statement over a period",
          description:
            'The main balance at the start of the period, every movement (top-ups, vouchers, adjustments; usage summed per day and kind of charge), and the balance at its end: the opening balance plus the movements is the closing balance exactly. Days are days of the account time zone; `from` and `to` are required, `to` is excluded, at most 366 days apart.',
          params: IdParams,
          querystring: StatementQuery,
          produces,
          response: { 200: InvoiceDocumentSchema },
        },
      },
      async (request, reply) => {
        const tenantId = authOf(request).tenantId;
        const result = await buildStatementDocument(db, tenantId, request.params.id, request.query, now());
        if (!result.ok) failure(result);
        const { document } = result;
        const fileName = `statement-${document.buyer.accountNumber}-${document.period?.from ?? ''}`;
        return sendDocument(reply, document, request.query.format ?? 'json', fileName, () =>
          renderOptionsOf(db, tenantId),
        );
      },
    );

    app.post(
      '/v1/ledger-transactions/:id/receipt',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Issue the receipt of a top-up or voucher redemption',
          description:
            'Numbers the receipt in the gapless series RCT and keeps it: 201 the first time, then 200 with the same receipt. A transaction that put no money on the balance (usage, an adjustment, a reversal) has no receipt: 409.',
          params: IdParams,
          response: { 200: ReceiptSchema, 201: ReceiptSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await issueReceipt(db, auth.tenantId, auth.actor, request.params.id, now());
        if (!result.ok) failure(result);
        return reply.status(result.created ? 201 : 200).send(receiptView(result.receipt));
      },
    );

    app.get(
      '/v1/receipts/:reference',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'A receipt, by its number or its ledger transaction id',
          params: ReceiptParams,
          querystring: FormatQuery,
          produces,
          response: { 200: ReceiptSchema },
        },
      },
      async (request, reply) => {
        const tenantId = authOf(request).tenantId;
        const row = await findReceipt(db, tenantId, request.params.reference);
        if (row === undefined) throw new HttpProblem('not_found', `no receipt ${request.params.reference}`);
        const format = request.query.format ?? 'json';
        if (format === 'json') return receiptView(row);
        return sendDocument(reply, row.document, format, row.number, () => renderOptionsOf(db, tenantId));
      },
    );
  };
}
