import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { failureProblem } from '../http/failure-problem.js';
import { decodeCursor, encodeCursor, Page } from '../http/pagination.js';
import { HttpProblem } from '../http/problem.js';
import { decideFraudCase } from './decide-fraud-case.js';
import { findFraudCase, listFraudCases } from './fraud-case-store.js';
import { loadFraudRules, toFraudRule } from './fraud-rule-store.js';
import { isFraudRuleKind } from './fraud-rules.js';
import {
  FraudCaseQuery,
  FraudCaseSchema,
  FraudDecisionBody,
  FraudRuleBody,
  FraudRuleSchema,
} from './fraud-schemas.js';
import { setFraudRule } from './set-fraud-rule.js';

const tags = ['fraud'];
/** Any text: an unknown kind is a 404, as an unknown id is. */
const KindParams = Type.Object({ kind: Type.String({ maxLength: 64 }) });
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Fraud rules (support reads, admin changes) and cases (support reads, operator decides). */
export function fraudRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
  return async (app) => {
    app.get(
      '/v1/fraud-rules',
      {
        config: { role: 'support' },
        schema: {
          tags,
          summary: 'The fraud rules of the tenant',
          description:
            'All five kinds, with their defaults where the tenant set nothing (updatedAt null). See docs/fraud.md for each kind\u2019s parameters.',
          response: { 200: Type.Object({ items: Type.Array(FraudRuleSchema) }) },
        },
      },
      async (request) => ({
        items: [...(await loadFraudRules(db, authOf(request).tenantId)).values()].map(toFraudRule),
      }),
    );

    app.get(
      '/v1/fraud-rules/:kind',
      {
        config: { role: 'support' },
        schema: { tags, summary: 'One fraud rule', params: KindParams, response: { 200: FraudRuleSchema } },
      },
      async (request) => {
        const { kind } = request.params;
        if (!isFraudRuleKind(kind)) throw new HttpProblem('not_found', `no fraud rule ${kind}`);
        return toFraudRule((await loadFraudRules(db, authOf(request).tenantId)).get(kind)!);
      },
    );

    app.put(
      '/v1/fraud-rules/:kind',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Set a fraud rule',
          description:
            'Audited. Parameters not named keep their defaults; the rule applies from the next evaluation.',
          params: KindParams,
          body: FraudRuleBody,
          response: { 200: FraudRuleSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await setFraudRule(
          db,
          auth.tenantId,
          auth.actor,
          request.params.kind,
          request.body,
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return result.rule;
      },
    );

    app.get(
      '/v1/fraud-cases',
      {
        config: { role: 'support' },
        schema: {
          tags,
          summary: 'Fraud cases, newest first',
          querystring: FraudCaseQuery,
          response: { 200: Page(FraudCaseSchema) },
        },
      },
      async (request) => {
        const { tenantId } = authOf(request);
        const { status, subscriptionId, customerId, cursor } = request.query;
        const limit = request.query.limit ?? 50;
        const rows = await listFraudCases(
          db,
          tenantId,
          { status, subscriptionId, customerId },
          decodeCursor(cursor),
          limit + 1,
        );
        const items = rows.slice(0, limit);
        const last = items[items.length - 1];
        return {
          items: items.map(({ createdAt: _createdAt, ...item }) => item),
          nextCursor:
            rows.length > limit && last !== undefined
              ? encodeCursor({ createdAt: last.createdAt, id: last.id })
              : null,
        };
      },
    );

    app.get(
      '/v1/fraud-cases/:id',
      {
        config: { role: 'support' },
        schema: { tags, summary: 'One fraud case', params: IdParams, response: { 200: FraudCaseSchema } },
      },
      async (request) => {
        const found = await findFraudCase(db, authOf(request).tenantId, request.params.id);
        if (found === undefined) throw new HttpProblem('not_found', `no fraud case ${request.params.id}`);
        return found;
      },
    );

    app.post(
      '/v1/fraud-cases/:id/decision',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Confirm or dismiss an open fraud case',
          description:
            'Audited. dismiss lifts the case\u2019s bar; confirm keeps it, or bars the line when bar is true. A decided case is 409.',
          params: IdParams,
          body: FraudDecisionBody,
          response: { 200: FraudCaseSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await decideFraudCase(
          db,
          auth.tenantId,
          auth.actor,
          request.params.id,
          request.body,
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return result.fraudCase;
      },
    );
  };
}
