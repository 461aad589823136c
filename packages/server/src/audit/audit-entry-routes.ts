import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { findCustomer } from '../customers/customer-store.js';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { DEFAULT_PAGE_SIZE } from '../http/pagination.js';
import { HttpProblem } from '../http/problem.js';
import { AuditEntryPageQuery, AuditEntrySchema } from './audit-entry-schemas.js';
import {
  decodeAuditCursor,
  encodeAuditCursor,
  listCustomerAuditEntries,
  toAuditEntry,
} from './list-customer-audit-entries.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Reading the audit log by what it is about, for support staff. */
export function auditEntryRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db } = context;
  return async (app) => {
    app.get(
      '/v1/customers/:id/audit-entries',
      {
        config: { role: 'support' },
        schema: {
          tags: ['customers'],
          summary: 'The audit trail of a customer, its accounts and its lines, newest first',
          params: IdParams,
          querystring: AuditEntryPageQuery,
          response: {
            200: Type.Object({
              items: Type.Array(AuditEntrySchema),
              nextCursor: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const customer = await findCustomer(db, tenantId, request.params.id);
        if (customer === undefined) throw new HttpProblem('not_found', `no customer ${request.params.id}`);
        const { limit = DEFAULT_PAGE_SIZE, cursor } = request.query;
        const rows = await listCustomerAuditEntries(
          db,
          tenantId,
          customer.id,
          decodeAuditCursor(cursor),
          limit + 1,
        );
        const items = rows.slice(0, limit);
        const last = items[items.length - 1];
        return {
          items: items.map(toAuditEntry),
          nextCursor: rows.length > limit && last !== undefined ? encodeAuditCursor(last.sequence) : null,
        };
      },
    );
  };
}
