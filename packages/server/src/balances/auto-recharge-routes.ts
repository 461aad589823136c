import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { findAccount } from '../accounts/account-store.js';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { HttpProblem } from '../http/problem.js';
import { AutoRechargeBody, AutoRechargeSchema } from './auto-recharge-schemas.js';
import { readAutoRecharge } from './auto-recharge-store.js';
import { balanceFailureProblem } from './balance-failure-problem.js';
import { removeAutoRecharge } from './remove-auto-recharge.js';
import { setAutoRecharge } from './set-auto-recharge.js';

const AccountParams = Type.Object({ accountId: Type.String({ format: 'uuid' }) });
const tags = ['balances'];

/** An account's auto-recharge rule: /v1/accounts/:accountId/auto-recharge. */
export function autoRechargeRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
  return async (app) => {
    app.get(
      '/v1/accounts/:accountId/auto-recharge',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: "An account's auto-recharge rule",
          params: AccountParams,
          response: { 200: AutoRechargeSchema },
        },
      },
      async (request) => {
        const { tenantId } = authOf(request);
        const { accountId } = request.params;
        const rule = await readAutoRecharge(db, tenantId, accountId);
        if (rule !== undefined) return rule;
        const account = await findAccount(db, tenantId, accountId);
        throw new HttpProblem(
          'not_found',
          account === undefined
            ? `no account ${accountId}`
            : `account ${accountId} has no auto-recharge rule`,
        );
      },
    );

    app.put(
      '/v1/accounts/:accountId/auto-recharge',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Set the auto-recharge rule',
          description:
            "When the main bucket's available balance falls below `threshold`, `amount` is collected from the customer's payment method and credited (one recharge per dip). No payment methods exist yet, so attempts are recorded as failed until payments land.",
          params: AccountParams,
          body: AutoRechargeBody,
          response: { 200: AutoRechargeSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await setAutoRecharge(
          db,
          auth.tenantId,
          auth.actor,
          request.params.accountId,
          request.body,
          now(),
        );
        if (!result.ok) throw balanceFailureProblem(result);
        return result.rule;
      },
    );

    app.delete(
      '/v1/accounts/:accountId/auto-recharge',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Remove the auto-recharge rule',
          params: AccountParams,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await removeAutoRecharge(
          db,
          auth.tenantId,
          auth.actor,
          request.params.accountId,
          now(),
        );
        if (!result.ok) throw balanceFailureProblem(result);
        return reply.status(204).send(null);
      },
    );
  };
}
