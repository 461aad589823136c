import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { failureProblem } from '../http/failure-problem.js';
import { PlanChangePreviewBody, PlanChangePreviewSchema } from './plan-change-preview-schemas.js';
import { previewPlanChange } from './preview-plan-change.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** What a plan change would cost, asked before making it (the portal's plan picker, support). */
export function planChangePreviewRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
  return async (app) => {
    app.post(
      '/v1/subscriptions/:id/plan-change-preview',
      {
        // A signed-in customer may ask about their own lines. The preview changes nothing, so a
        // client need not send an Idempotency-Key: asking twice is harmless.
        config: { role: 'support', customerAccess: { kind: 'subscription', param: 'id' } },
        schema: {
          tags: ['subscriptions'],
          summary: 'Preview a plan change: the credit, the charge and the net on the next invoice',
          description:
            "Checks the change as POST /v1/subscriptions/{id}/changes would and prices it with billing's proration (fee × days ÷ days of the fee period, rounded to the minor unit): the current plan's fee for the rest of the cycle credited, the new plan's charged. Nothing is changed.",
          params: IdParams,
          body: PlanChangePreviewBody,
          response: { 200: PlanChangePreviewSchema },
        },
      },
      async (request) => {
        const result = await previewPlanChange(
          db,
          authOf(request).tenantId,
          request.params.id,
          request.body,
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return result.preview;
      },
    );
  };
}
