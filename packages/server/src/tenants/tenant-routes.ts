import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { HttpProblem } from '../http/problem.js';
import { changeTenantSettings } from './change-tenant-settings.js';
import { createReseller } from './create-reseller.js';
import { CreateResellerBody, TenantSchema, UpdateTenantBody } from './tenant-schemas.js';
import { findTenant, toTenant } from './tenant-store.js';

const tags = ['tenant'];

/** The caller's own tenant (settings) and the resellers under it. */
export function tenantRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
  return async (app) => {
    app.get(
      '/v1/tenant',
      {
        config: { role: 'read-only' },
        schema: { tags, summary: "The caller's tenant and its settings", response: { 200: TenantSchema } },
      },
      async (request) => toTenant((await findTenant(db, authOf(request).tenantId))!),
    );

    app.patch(
      '/v1/tenant',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Change the tenant settings',
          body: UpdateTenantBody,
          response: { 200: TenantSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await changeTenantSettings(db, auth.tenantId, auth.actor, request.body, now());
        if (!result.ok)
          throw new HttpProblem('validation_failed', result.message, [
            { field: result.field, message: result.message },
          ]);
        return result.tenant;
      },
    );

    app.post(
      '/v1/resellers',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Create a reseller under this tenant',
          body: CreateResellerBody,
          response: { 201: TenantSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await createReseller(db, auth.tenantId, auth.actor, request.body, now());
        if (result.ok) return reply.status(201).send(result.tenant);
        if ('code' in result) throw new HttpProblem('conflict', result.message);
        throw new HttpProblem('validation_failed', result.message, [
          { field: result.field, message: result.message },
        ]);
      },
    );

    app.get(
      '/v1/resellers',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'The resellers under this tenant',
          response: { 200: Type.Object({ items: Type.Array(TenantSchema) }) },
        },
      },
      async (request) => {
        const rows = await db
          .selectFrom('tenants')
          .selectAll()
          .where('parent_tenant_id', '=', authOf(request).tenantId)
          .orderBy('created_at')
          .orderBy('id')
          .execute();
        return { items: rows.map(toTenant) };
      },
    );
  };
}
