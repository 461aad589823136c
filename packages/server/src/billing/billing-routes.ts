import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { failureProblem } from '../http/failure-problem.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, Page, PageQuery, pageOf } from '../http/pagination.js';
import { HttpProblem } from '../http/problem.js';
import { RatedUsageSchema } from '../mediation/mediation-schemas.js';
import { ratedUsageView } from '../mediation/mediation-views.js';
import type { CollectionsQueue } from '../payments/collections-jobs.js';
import type { BillRunQueue } from './bill-run-queue.js';
import {
  BillRunAccountQuery,
  BillRunAccountSchema,
  BillRunSchema,
  CreditNoteBody,
  InvoiceDetailSchema,
  InvoiceListQuery,
  InvoiceSchema,
  StartBillRunBody,
  VoidBody,
} from './billing-schemas.js';
import { createCreditNote } from './create-credit-note.js';
import { finalizeInvoice } from './finalize-invoice.js';
import type { InvoiceFailure } from './invoice-failure.js';
import {
  findInvoice,
  invoiceDetail,
  invoiceView,
  listInvoices,
  usageOfInvoiceLine,
} from './invoice-store.js';
import { markInvoicePaid } from './mark-invoice-paid.js';
import { renderInvoiceHtml } from './render/render-invoice-html.js';
import { renderInvoicePdf } from './render/render-invoice-pdf.js';
import { renderingOf } from './render-options-of.js';
import { readBillRun, startBillRun } from './start-bill-run.js';
import { voidInvoice } from './void-invoice.js';

const tags = ['billing'];
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
/** Positions are whole numbers; any other text names no line (404, as an unknown position does). */
const LineParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  position: Type.String({ minLength: 1, maxLength: 40 }),
});

export interface BillingContext extends AppContext {
  /** Where bill runs go to be worked; absent: bill runs cannot be started (503). */
  readonly billRuns?: BillRunQueue | undefined;
  /** Where a finalised invoice goes for autopay; absent: the next scheduled collection pass. */
  readonly collections?: CollectionsQueue | undefined;
}

function failure(result: InvoiceFailure): never {
  throw failureProblem(result);
}

/** Bill runs, invoices and credit notes: reading, rendering, finalising, voiding, paying, crediting. */
export function billingRoutes(context: BillingContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
  const invoiceOrThrow = async (tenantId: string, id: string) => {
    const row = await findInvoice(db, tenantId, id);
    if (row === undefined) throw new HttpProblem('not_found', `no invoice ${id}`);
    return row;
  };
  return async (app) => {
    app.post(
      '/v1/bill-runs',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Start a bill run',
          description:
            "Invoices every postpaid or hybrid account whose bill cycle ended by `asOf`, as jobs that every Tollgate process works, one account at a time under its lock. An account that cannot be billed is parked with its reason and the run goes on. A dry run previews the invoices (see the run's accounts) and writes nothing else. Starting runs twice, or a run again after a crash, bills no period twice.",
          body: StartBillRunBody,
          response: { 202: BillRunSchema },
        },
      },
      async (request, reply) => {
        if (context.billRuns === undefined)
          throw new HttpProblem('unavailable', 'this process runs no job queue');
        const auth = authOf(request);
        const started = await startBillRun(
          db,
          auth.tenantId,
          auth.actor,
          {
            asOf: request.body.asOf === undefined ? now() : new Date(request.body.asOf),
            dryRun: request.body.dryRun ?? false,
            finalize: request.body.finalize ?? true,
          },
          now(),
        );
        await context.billRuns.enqueue(started.runId, auth.tenantId);
        const run = await readBillRun(db, auth.tenantId, started.runId);
        if (run === undefined) throw new Error(`bill run ${started.runId} vanished`);
        return reply.status(202).send(run);
      },
    );

    app.get(
      '/v1/bill-runs/:id',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'A bill run and its progress',
          params: IdParams,
          response: { 200: BillRunSchema },
        },
      },
      async (request) => {
        const run = await readBillRun(db, authOf(request).tenantId, request.params.id);
        if (run === undefined) throw new HttpProblem('not_found', `no bill run ${request.params.id}`);
        return run;
      },
    );

    app.get(
      '/v1/bill-runs/:id/accounts',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: "A bill run's accounts and their outcomes (parked ones with the reason)",
          params: IdParams,
          querystring: BillRunAccountQuery,
          response: {
            200: Type.Object({
              items: Type.Array(BillRunAccountSchema),
              nextAfter: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const run = await readBillRun(db, tenantId, request.params.id);
        if (run === undefined) throw new HttpProblem('not_found', `no bill run ${request.params.id}`);
        const limit = request.query.limit ?? 100;
        const rows = await db
          .selectFrom('bill_run_accounts')
          .selectAll()
          .where('bill_run_id', '=', run.id)
          .$if(request.query.status !== undefined, (q) => q.where('status', '=', request.query.status!))
          .$if(request.query.after !== undefined, (q) => q.where('account_id', '>', request.query.after!))
          .orderBy('account_id')
          .limit(limit)
          .execute();
        return {
          items: rows.map((row) => {
            const preview = row.preview as { totals?: { totalMicros?: string }; currency?: string } | null;
            return {
              accountId: row.account_id,
              status: row.status,
              reason: row.reason,
              invoiceId: row.invoice_id,
              previewTotal:
                preview?.totals?.totalMicros === undefined || preview.currency === undefined
                  ? null
                  : formatMoneyAmount(BigInt(preview.totals.totalMicros), preview.currency),
              attempts: row.attempts,
            };
          }),
          nextAfter: rows.length === limit ? (rows.at(-1)?.account_id ?? null) : null,
        };
      },
    );

    app.get(
      '/v1/invoices',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'List invoices and credit notes',
          querystring: Type.Object(
            { ...PageQuery.properties, ...InvoiceListQuery.properties },
            { additionalProperties: false },
          ),
          response: { 200: Page(InvoiceSchema) },
        },
      },
      async (request) => {
        const limit = request.query.limit ?? DEFAULT_PAGE_SIZE;
        const rows = await listInvoices(
          db,
          authOf(request).tenantId,
          {
            accountId: request.query.accountId,
            status: request.query.status,
            kind: request.query.kind,
            billRunId: request.query.billRunId,
          },
          {
            limit: limit + 1,
            after: decodeCursor(request.query.cursor),
            order: request.query.order ?? 'asc',
          },
        );
        return pageOf(rows, limit, invoiceView);
      },
    );

    app.get(
      '/v1/invoices/:id',
      {
        config: { role: 'read-only', customerAccess: { kind: 'invoice', param: 'id' } },
        schema: {
          tags,
          summary: 'An invoice or credit note with its lines and taxes',
          params: IdParams,
          response: { 200: InvoiceDetailSchema },
        },
      },
      async (request) => invoiceDetail(db, await invoiceOrThrow(authOf(request).tenantId, request.params.id)),
    );

    app.get(
      '/v1/invoices/:id/pdf',
      {
        config: { role: 'read-only', customerAccess: { kind: 'invoice', param: 'id' } },
        schema: {
          tags,
          summary: 'The invoice as PDF, in the customer language',
          params: IdParams,
          produces: ['application/pdf'],
        },
      },
      async (request, reply) => {
        const tenantId = authOf(request).tenantId;
        const row = await invoiceOrThrow(tenantId, request.params.id);
        const rendering = await renderingOf(db, tenantId, row.document);
        const pdf = await renderInvoicePdf(rendering.document, rendering.options);
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="${row.number ?? row.id}.pdf"`)
          .send(pdf);
      },
    );

    app.get(
      '/v1/invoices/:id/html',
      {
        config: { role: 'read-only', customerAccess: { kind: 'invoice', param: 'id' } },
        schema: {
          tags,
          summary: 'The invoice as HTML, in the customer language',
          params: IdParams,
          produces: ['text/html'],
        },
      },
      async (request, reply) => {
        const tenantId = authOf(request).tenantId;
        const row = await invoiceOrThrow(tenantId, request.params.id);
        const rendering = await renderingOf(db, tenantId, row.document);
        return reply
          .type('text/html; charset=utf-8')
          .send(renderInvoiceHtml(rendering.document, rendering.options));
      },
    );

    app.get(
      '/v1/invoices/:id/lines/:position/usage',
      {
        config: { role: 'read-only', customerAccess: { kind: 'invoice', param: 'id' } },
        schema: {
          tags,
          summary: 'The rated records a usage line summarises',
          description: 'Each record links to its explanation at /v1/rated-usage/{id}.',
          params: LineParams,
          querystring: Type.Object(
            {
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
              after: Type.Optional(
                Type.String({
                  pattern: '^[0-9]{1,18}$',
                  description: 'the last record id of the previous page',
                }),
              ),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              items: Type.Array(RatedUsageSchema),
              nextAfter: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const limit = request.query.limit ?? 200;
        const position = /^[1-9][0-9]{0,8}$/.test(request.params.position)
          ? Number(request.params.position)
          : 0;
        const found = await usageOfInvoiceLine(db, tenantId, request.params.id, position, {
          limit,
          afterId: request.query.after === undefined ? null : BigInt(request.query.after),
        });
        if (!found.found)
          throw new HttpProblem(
            'not_found',
            `invoice ${request.params.id} has no usage line ${request.params.position}`,
          );
        const rows =
          found.ids.length === 0
            ? []
            : await db
                .selectFrom('rated_usage')
                .selectAll()
                .where('tenant_id', '=', tenantId)
                .where('id', 'in', found.ids)
                .orderBy('id')
                .execute();
        return {
          items: rows.map(ratedUsageView),
          nextAfter: found.ids.length === limit ? String(found.ids.at(-1)) : null,
        };
      },
    );

    app.post(
      '/v1/invoices/:id/finalization',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Finalise a draft: number it and freeze it',
          params: IdParams,
          response: { 200: InvoiceSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await finalizeInvoice(db, auth.tenantId, auth.actor, request.params.id, now());
        if (!result.ok) failure(result);
        const invoice = await invoiceOrThrow(auth.tenantId, request.params.id);
        // Autopay runs as a job: the answer does not wait for the gateway.
        await context.collections
          ?.request(auth.tenantId, [invoice.account_id])
          .catch((error: unknown) =>
            request.log.error({ err: error }, 'autopay not queued; the next pass takes it'),
          );
        return invoiceView(invoice);
      },
    );

    app.post(
      '/v1/invoices/:id/void',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Void an invoice issued in error (a draft is deleted)',
          description:
            'The number stays taken; what the invoice billed (fees, usage, charges) goes to the next invoice. An invoice with credit notes, or paid, is corrected with a credit note instead.',
          params: IdParams,
          body: VoidBody,
          response: { 200: Type.Object({ id: Type.String({ format: 'uuid' }), status: Type.String() }) },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await voidInvoice(
          db,
          auth.tenantId,
          auth.actor,
          request.params.id,
          request.body.reason,
          now(),
        );
        if (!result.ok) failure(result);
        const row = await findInvoice(db, auth.tenantId, request.params.id);
        return { id: request.params.id, status: row?.status ?? 'deleted' };
      },
    );

    app.post(
      '/v1/invoices/:id/payment',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Record that an invoice was paid in full',
          params: IdParams,
          response: { 200: InvoiceSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await markInvoicePaid(db, auth.tenantId, auth.actor, request.params.id, now());
        if (!result.ok) failure(result);
        return invoiceView(await invoiceOrThrow(auth.tenantId, request.params.id));
      },
    );

    app.post(
      '/v1/invoices/:id/credit-notes',
      {
        // Operators act on customers' bills (credits with a recorded reason); admins manage the tenant.
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Credit an invoice in full or in part, with a reason',
          params: IdParams,
          body: CreditNoteBody,
          response: { 201: InvoiceDetailSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await createCreditNote(
          db,
          auth.tenantId,
          auth.actor,
          request.params.id,
          request.body,
          now(),
        );
        if (!result.ok) failure(result);
        const note = await invoiceOrThrow(auth.tenantId, result.creditNoteId);
        return reply.status(201).send(await invoiceDetail(db, note));
      },
    );
  };
}
