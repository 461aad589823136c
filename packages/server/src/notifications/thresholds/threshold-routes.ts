import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { accountOrNotFound } from '../../http/account-or-not-found.js';
import type { AppContext } from '../../http/app-context.js';
import { authOf } from '../../http/authenticate.js';
import { failureProblem } from '../../http/failure-problem.js';
import { listNotificationFirings, listNotificationRules } from './notification-rule-store.js';
import { removeNotificationRule, setNotificationRule } from './set-notification-rule.js';
import {
  FiringsPage,
  FiringsQuery,
  NotificationRuleBody,
  NotificationRuleFilter,
  NotificationRuleKey,
  NotificationRuleSchema,
} from './threshold-schemas.js';

const tags = ['notifications'];

/**
 * Bill-shock rules and what they fired: /v1/notification-rules (admin to change, read-only to
 * read) and /v1/accounts/:id/notification-firings.
 */
export function thresholdRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
  return async (app) => {
    app.get(
      '/v1/notification-rules',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: "The tenant's threshold rules",
          description:
            'Without a rule, allowance_used fires at 50, 80 and 100 % and credit_used at 80 and 100 %; the other kinds are off. The most specific rule wins: subscription, account, plan, tenant.',
          querystring: NotificationRuleFilter,
          response: { 200: Type.Object({ items: Type.Array(NotificationRuleSchema) }) },
        },
      },
      async (request) => ({
        items: await listNotificationRules(db, authOf(request).tenantId, request.query),
      }),
    );

    app.put(
      '/v1/notification-rules',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Set the threshold rule of a scope and kind',
          body: NotificationRuleBody,
          response: { 200: NotificationRuleSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await setNotificationRule(db, auth.tenantId, auth.actor, request.body, now());
        if (!result.ok) throw failureProblem(result);
        return result.rule;
      },
    );

    app.delete(
      '/v1/notification-rules',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Remove the threshold rule of a scope and kind',
          description: 'The next broader rule, or the default, applies again.',
          querystring: NotificationRuleKey,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await removeNotificationRule(db, auth.tenantId, auth.actor, request.query, now());
        if (!result.ok) throw failureProblem(result);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/v1/accounts/:id/notification-firings',
      {
        config: { role: 'read-only', customerAccess: { kind: 'account', param: 'id' } },
        schema: {
          tags,
          summary: "The thresholds an account's usage crossed",
          description:
            'Newest first. Each threshold fires once per cycle; its messages have source key firing:<id>.',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          querystring: FiringsQuery,
          response: { 200: FiringsPage },
        },
      },
      async (request) => {
        const { tenantId } = authOf(request);
        await accountOrNotFound(db, tenantId, request.params.id);
        return listNotificationFirings(db, tenantId, request.params.id, {
          limit: request.query.limit ?? 50,
          cursor: request.query.cursor,
        });
      },
    );
  };
}
