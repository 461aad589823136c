import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { accountOrNotFound } from '../http/account-or-not-found.js';
import { authOf } from '../http/authenticate.js';
import { failureProblem } from '../http/failure-problem.js';
import { HttpProblem } from '../http/problem.js';
import type { PaymentContext } from '../payments/payment-routes.js';
import { runCollections } from '../payments/run-collections.js';
import { DunningCaseSchema, DunningPolicySchema, SetDunningPolicyBody } from './dunning-policy-schemas.js';
import {
  dunningCasesOf,
  findDunningPolicy,
  listDunningPolicies,
  toDunningPolicy,
} from './dunning-policy-store.js';
import { setDunningPolicy } from './set-dunning-policy.js';

const tags = ['dunning'];
const GroupParams = Type.Object({ group: Type.String({ pattern: '^[a-z][a-z0-9_-]{0,39}$' }) });
/** Reading an unknown group is a 404 whatever its spelling. */
const AnyGroupParams = Type.Object({ group: Type.String({ minLength: 1, maxLength: 100 }) });
const Count = Type.Integer({ minimum: 0 });

const CollectionsSummarySchema = Type.Object({
  autopay: Type.Object({
    creditsApplied: Count,
    attempted: Count,
    succeeded: Count,
    failed: Count,
    other: Count,
  }),
  dunning: Type.Object({
    accounts: Count,
    opened: Count,
    resolved: Count,
    steps: Type.Record(Type.String(), Count),
    skipped: Count,
    retries: Type.Object({ succeeded: Count, failed: Count, other: Count }),
  }),
});

/** Dunning policies per customer group, the cases of an account, and collection runs on demand. */
export function dunningRoutes({ db, now, gateways }: PaymentContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.put(
      '/v1/dunning-policies/:group',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: "Set a customer group's dunning policy",
          description:
            "Steps on days counted from the due date of the oldest unpaid invoice: reminder, retry, late_fee, suspend, terminate, write_off. The 'default' group's policy applies to groups without their own.",
          params: GroupParams,
          body: SetDunningPolicyBody,
          response: { 200: DunningPolicySchema, 201: DunningPolicySchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await setDunningPolicy(
          db,
          auth.tenantId,
          auth.actor,
          request.params.group,
          request.body,
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return reply.status(result.created ? 201 : 200).send(toDunningPolicy(result.policy));
      },
    );
    app.get(
      '/v1/dunning-policies',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'The dunning policies',
          response: { 200: Type.Object({ items: Type.Array(DunningPolicySchema) }) },
        },
      },
      async (request) => {
        const rows = await listDunningPolicies(db, authOf(request).tenantId);
        return { items: rows.map(toDunningPolicy) };
      },
    );
    app.get(
      '/v1/dunning-policies/:group',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: "A customer group's dunning policy",
          params: AnyGroupParams,
          response: { 200: DunningPolicySchema },
        },
      },
      async (request) => {
        const row = await findDunningPolicy(db, authOf(request).tenantId, request.params.group);
        if (row === undefined)
          throw new HttpProblem('not_found', `no dunning policy for group ${request.params.group}`);
        return toDunningPolicy(row);
      },
    );
    app.get(
      '/v1/accounts/:id/dunning-cases',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: "The account's dunning cases with every step taken",
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          response: { 200: Type.Object({ items: Type.Array(DunningCaseSchema) }) },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const account = await accountOrNotFound(db, tenantId, request.params.id);
        return { items: await dunningCasesOf(db, tenantId, account.id) };
      },
    );
    app.post(
      '/v1/collection-runs',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Run collections now: credit, autopay, then dunning',
          description: 'The same pass the job queue runs on its schedule; safe to repeat.',
          body: Type.Object(
            {
              accountIds: Type.Optional(
                Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 1000 }),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 200: CollectionsSummarySchema },
        },
      },
      async (request) =>
        runCollections(
          db,
          gateways,
          authOf(request).tenantId,
          now(),
          request.body.accountIds === undefined ? {} : { accountIds: request.body.accountIds },
        ),
    );
  };
}
