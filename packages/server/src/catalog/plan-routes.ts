import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { keysetPage } from '../db/keyset-page.js';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, Page, PageQuery, pageOf } from '../http/pagination.js';
import { HttpProblem } from '../http/problem.js';
import { addPlanVersion } from './add-plan-version.js';
import { instantOf, issuesProblem } from './catalog-problems.js';
import { createPlan } from './create-plan.js';
import {
  AddPlanVersionBody,
  CreatePlanBody,
  PlanAtQuery,
  PlanDetailSchema,
  PlanListQuery,
  PlanSchema,
  PlanVersionSchema,
} from './plan-schemas.js';
import { findPlan, listPlanVersions, toPlanDetail, toPlanItem } from './plan-store.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const tags = ['catalog'];

export function planRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
  return async (app) => {
    app.post(
      '/v1/plans',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Create a plan (base or add-on) with its first version',
          body: CreatePlanBody,
          response: { 201: PlanDetailSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        if (request.body.effectiveFrom !== undefined) instantOf(request.body.effectiveFrom, '/effectiveFrom');
        const result = await createPlan(db, auth.tenantId, auth.actor, request.body, now());
        if (result.ok) return reply.status(201).send(result.plan);
        if (result.code === 'code_taken')
          throw new HttpProblem('conflict', result.message, [{ field: '/code', message: result.message }]);
        throw planProblem(result.code, result.issues);
      },
    );

    app.post(
      '/v1/plans/:id/versions',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Add a version to a plan, taking effect later than every earlier one',
          params: IdParams,
          body: AddPlanVersionBody,
          response: { 201: PlanVersionSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const { id } = request.params;
        if (request.body.effectiveFrom !== undefined) instantOf(request.body.effectiveFrom, '/effectiveFrom');
        const result = await addPlanVersion(db, auth.tenantId, auth.actor, id, request.body, now());
        if (result.ok) return reply.status(201).send(result.version);
        if (result.code === 'not_found') throw new HttpProblem('not_found', `no plan ${id}`);
        throw planProblem(result.code, result.issues);
      },
    );

    app.get(
      '/v1/plans/:id',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'Read a plan: its versions, and the one in effect at `at` (default now)',
          params: IdParams,
          querystring: PlanAtQuery,
          response: { 200: PlanDetailSchema },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const plan = await findPlan(db, tenantId, request.params.id);
        if (plan === undefined) throw new HttpProblem('not_found', `no plan ${request.params.id}`);
        const at = request.query.at === undefined ? now() : instantOf(request.query.at, 'querystring:/at');
        return toPlanDetail(plan, await listPlanVersions(db, tenantId, [plan.id]), at);
      },
    );

    app.get(
      '/v1/plans',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'List plans, each with the version in effect now',
          querystring: Type.Composite([PageQuery, PlanListQuery], { additionalProperties: false }),
          response: { 200: Page(PlanSchema) },
        },
      },
      async (request) => {
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'asc', kind, code } = request.query;
        const tenantId = authOf(request).tenantId;
        const after = decodeCursor(cursor);
        let query = db.selectFrom('plans').selectAll().where('tenant_id', '=', tenantId);
        if (kind !== undefined) query = query.where('kind', '=', kind);
        if (code !== undefined) query = query.where('code', '=', code);
        const rows = await keysetPage(query, after, order, limit + 1).execute();
        const versions = await listPlanVersions(
          db,
          tenantId,
          rows.slice(0, limit).map((row) => row.id),
        );
        const at = now();
        return pageOf(rows, limit, (row) =>
          toPlanItem(
            row,
            versions.filter((version) => version.plan_id === row.id),
            at,
          ),
        );
      },
    );
  };
}

/** Values wrong in themselves are 400; values at odds with what is stored (the tariff, earlier versions) are 422. */
function planProblem(code: 'invalid_plan' | 'plan_rejected', issues: Parameters<typeof issuesProblem>[2]) {
  return code === 'invalid_plan'
    ? issuesProblem('validation_failed', 'the plan is not valid', issues)
    : issuesProblem('unprocessable', 'the plan cannot be stored', issues);
}
