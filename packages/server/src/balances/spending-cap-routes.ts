import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { HttpProblem } from '../http/problem.js';
import { balanceFailureProblem } from './balance-failure-problem.js';
import { removeSpendingCap } from './remove-spending-cap.js';
import { setSpendingCap } from './set-spending-cap.js';
import { SpendingCapBody, SpendingCapSchema } from './spending-cap-schemas.js';
import { readSpendingCap } from './spending-cap-store.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const tags = ['balances'];

/** A line's spending cap: /v1/subscriptions/:id/spending-cap. */
export function spendingCapRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
  return async (app) => {
    app.get(
      '/v1/subscriptions/:id/spending-cap',
      {
        config: { role: 'read-only', customerAccess: { kind: 'subscription', param: 'id' } },
        schema: {
          tags,
          summary: "A line's spending cap",
          params: IdParams,
          response: { 200: SpendingCapSchema },
        },
      },
      async (request) => {
        const cap = await readSpendingCap(db, authOf(request).tenantId, request.params.id);
        if (cap === undefined)
          throw new HttpProblem('not_found', `subscription ${request.params.id} has no spending cap`);
        return cap;
      },
    );

    app.put(
      '/v1/subscriptions/:id/spending-cap',
      {
        config: { role: 'operator', customerAccess: { kind: 'subscription', param: 'id' } },
        schema: {
          tags,
          summary: "Set a line's spending cap",
          description:
            'At most `limit` per calendar day or month in the account time zone. Changing only the limit keeps what the period has spent; a new period kind starts from zero.',
          params: IdParams,
          body: SpendingCapBody,
          response: { 200: SpendingCapSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await setSpendingCap(
          db,
          auth.tenantId,
          auth.actor,
          request.params.id,
          request.body,
          now(),
        );
        if (!result.ok) throw balanceFailureProblem(result);
        return result.cap;
      },
    );

    app.delete(
      '/v1/subscriptions/:id/spending-cap',
      {
        config: { role: 'operator', customerAccess: { kind: 'subscription', param: 'id' } },
        schema: {
          tags,
          summary: "Remove a line's spending cap",
          params: IdParams,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await removeSpendingCap(db, auth.tenantId, auth.actor, request.params.id, now());
        if (!result.ok) throw balanceFailureProblem(result);
        return reply.status(204).send(null);
      },
    );
  };
}
