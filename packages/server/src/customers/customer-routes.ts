import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { keysetPage } from '../db/keyset-page.js';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, Page, PageQuery, pageOf } from '../http/pagination.js';
import { HttpProblem } from '../http/problem.js';
import { createCustomer } from './create-customer.js';
import {
  CreateCustomerBody,
  CustomerListQuery,
  CustomerSchema,
  UpdateCustomerBody,
} from './customer-schemas.js';
import { findCustomer, toCustomer } from './customer-store.js';
import { updateCustomer } from './update-customer.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const tags = ['customers'];

export function customerRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
  return async (app) => {
    app.post(
      '/v1/customers',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Create a customer',
          body: CreateCustomerBody,
          response: { 201: CustomerSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await createCustomer(db, auth.tenantId, auth.actor, request.body, now());
        if (!result.ok)
          throw new HttpProblem('validation_failed', result.message, [
            { field: result.field, message: result.message },
          ]);
        return reply.status(201).send(result.customer);
      },
    );

    app.get(
      '/v1/customers/:id',
      {
        config: { role: 'read-only', customerAccess: { kind: 'customer', param: 'id' } },
        schema: { tags, summary: 'Read a customer', params: IdParams, response: { 200: CustomerSchema } },
      },
      async (request) => {
        const row = await findCustomer(db, authOf(request).tenantId, request.params.id);
        if (row === undefined) throw new HttpProblem('not_found', `no customer ${request.params.id}`);
        return toCustomer(row);
      },
    );

    app.patch(
      '/v1/customers/:id',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Change a customer',
          params: IdParams,
          body: UpdateCustomerBody,
          response: { 200: CustomerSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await updateCustomer(
          db,
          auth.tenantId,
          auth.actor,
          request.params.id,
          request.body,
          now(),
        );
        if (result.ok) return result.customer;
        if (result.code === 'not_found')
          throw new HttpProblem('not_found', `no customer ${request.params.id}`);
        throw new HttpProblem('validation_failed', result.message, [
          { field: result.field, message: result.message },
        ]);
      },
    );

    app.get(
      '/v1/customers',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'List customers',
          querystring: Type.Composite([PageQuery, CustomerListQuery], { additionalProperties: false }),
          response: { 200: Page(CustomerSchema) },
        },
      },
      async (request) => {
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'asc', status, q, email } = request.query;
        const after = decodeCursor(cursor);
        let query = db.selectFrom('customers').selectAll().where('tenant_id', '=', authOf(request).tenantId);
        if (status !== undefined) query = query.where('status', '=', status);
        if (email !== undefined) query = query.where('email', '=', email);
        if (q !== undefined) {
          const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          query = query.where((eb) =>
            eb.or([eb('display_name', 'ilike', pattern), eb('email', 'ilike', pattern)]),
          );
        }
        const rows = await keysetPage(query, after, order, limit + 1).execute();
        return pageOf(rows, limit, toCustomer);
      },
    );
  };
}
