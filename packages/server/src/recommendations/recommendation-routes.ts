import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { failureProblem } from '../http/failure-problem.js';
import { findPlanOpportunities } from './find-plan-opportunities.js';
import { DEFAULT_CYCLES, recommendPlans } from './recommend-plans.js';
import {
  CyclesQuery,
  OpportunitiesQuery,
  OpportunitiesSchema,
  PlanRecommendationSchema,
  WhatIfBody,
  WhatIfSchema,
} from './recommendation-schemas.js';
import { simulateWhatIf } from './simulate-what-if.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
/** A what-if body may carry whole tariff documents, as POST /v1/tariffs/{id}/versions does. */
const WHAT_IF_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

/** Plan recommendations from real usage, the batch report behind them, and what-if pricing of drafts. */
export function recommendationRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
  return async (app) => {
    app.get(
      '/v1/subscriptions/:id/plan-recommendations',
      {
        // A signed-in customer may see their own lines' comparison ("you would have paid less on ...").
        config: { role: 'support', customerAccess: { kind: 'subscription', param: 'id' } },
        schema: {
          tags: ['subscriptions'],
          summary:
            "Re-price a line's last complete bill cycles of real usage under every plan it could move to",
          description:
            'Every usage event of the cycles is rated again with the pure rating engine under each base plan priced in the account currency, allowances spent as billing spends them, the recurring fee and taxes added; plans are ranked by what the customer would have paid. See docs/recommendations.md.',
          params: IdParams,
          querystring: CyclesQuery,
          response: { 200: PlanRecommendationSchema },
        },
      },
      async (request) => {
        const result = await recommendPlans(
          db,
          authOf(request).tenantId,
          request.params.id,
          request.query.cycles ?? DEFAULT_CYCLES,
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return result.recommendation;
      },
    );

    app.get(
      '/v1/plan-opportunities',
      {
        config: { role: 'support' },
        schema: {
          tags: ['subscriptions'],
          summary:
            'Lines that would pay less on another plan (churn risk) or keep exceeding their allowance (upsell)',
          querystring: OpportunitiesQuery,
          response: { 200: OpportunitiesSchema },
        },
      },
      async (request) =>
        findPlanOpportunities(db, authOf(request).tenantId, {
          kind: request.query.kind ?? 'saving',
          cycles: request.query.cycles ?? DEFAULT_CYCLES,
          limit: request.query.limit ?? 50,
          now: now(),
        }),
    );

    app.post(
      '/v1/what-if',
      {
        bodyLimit: WHAT_IF_BODY_LIMIT_BYTES,
        // Nothing is stored, so a client need not send an Idempotency-Key: asking twice is harmless.
        config: { role: 'operator' },
        schema: {
          tags: ['catalog'],
          summary:
            "Price draft plan versions or tariffs against a period's real usage: revenue change per plan and segment",
          description:
            'Drafts are checked as the publish routes check them (POST /v1/plans/{id}/versions, POST /v1/tariffs/{id}/versions) and never stored.',
          body: WhatIfBody,
          response: { 200: WhatIfSchema },
        },
      },
      async (request) => {
        const result = await simulateWhatIf(db, authOf(request).tenantId, request.body, now());
        if (!result.ok) throw result.problem;
        return result.whatIf;
      },
    );
  };
}
