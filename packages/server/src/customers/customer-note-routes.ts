import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { failureProblem } from '../http/failure-problem.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, Page, pageOf } from '../http/pagination.js';
import { HttpProblem } from '../http/problem.js';
import { addCustomerNote } from './customer-note-add.js';
import { AddCustomerNoteBody, CustomerNotePageQuery, CustomerNoteSchema } from './customer-note-schemas.js';
import { listCustomerNotes, toCustomerNote } from './customer-note-store.js';
import { findCustomer } from './customer-store.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const tags = ['customers'];

/** A customer's support log: staff append notes and read them back, newest first. */
export function customerNoteRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
  return async (app) => {
    app.post(
      '/v1/customers/:id/notes',
      {
        config: { role: 'support' },
        schema: {
          tags,
          summary: "Add a note to a customer's support log",
          description:
            'Notes are append-only: a wrong note is corrected by a later one. The author is the caller; the note is audited against the customer.',
          params: IdParams,
          body: AddCustomerNoteBody,
          response: { 201: CustomerNoteSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await addCustomerNote(
          db,
          auth.tenantId,
          auth.actor,
          request.params.id,
          request.body,
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return reply.status(201).send(result.note);
      },
    );

    app.get(
      '/v1/customers/:id/notes',
      {
        config: { role: 'support' },
        schema: {
          tags,
          summary: "A customer's notes, newest first",
          params: IdParams,
          querystring: CustomerNotePageQuery,
          response: { 200: Page(CustomerNoteSchema) },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const customer = await findCustomer(db, tenantId, request.params.id);
        if (customer === undefined) throw new HttpProblem('not_found', `no customer ${request.params.id}`);
        const { limit = DEFAULT_PAGE_SIZE, cursor } = request.query;
        const rows = await listCustomerNotes(db, tenantId, customer.id, decodeCursor(cursor), limit + 1);
        return pageOf(rows, limit, toCustomerNote);
      },
    );
  };
}
