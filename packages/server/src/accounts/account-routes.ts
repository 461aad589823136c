import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { failureProblem } from '../http/failure-problem.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, Page, PageQuery, pageOf } from '../http/pagination.js';
import { HttpProblem } from '../http/problem.js';
import { AccountListQuery, AccountSchema, CreateAccountBody, UpdateAccountBody } from './account-schemas.js';
import { findAccount, listAccounts, toAccount } from './account-store.js';
import { createAccount } from './create-account.js';

import { myAccountRoutes } from './my-account-routes.js';
import { subscriptionRoutes } from './subscription-routes.js';
import { updateAccount } from './update-account.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const tags = ['accounts'];

/** Billing accounts under /v1/accounts, and their subscriptions (subscription-routes.ts). */
export function accountRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
  return async (app) => {
    app.post(
      '/v1/accounts',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Open a billing account for a customer',
          body: CreateAccountBody,
          response: { 201: AccountSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await createAccount(db, auth.tenantId, auth.actor, request.body, now());
        if (!result.ok) throw failureProblem(result);
        return reply.status(201).send(result.account);
      },
    );

    app.get(
      '/v1/accounts/:id',
      {
        config: { role: 'read-only', customerAccess: { kind: 'account', param: 'id' } },
        schema: { tags, summary: 'Read an account', params: IdParams, response: { 200: AccountSchema } },
      },
      async (request) => {
        const row = await findAccount(db, authOf(request).tenantId, request.params.id);
        if (row === undefined) throw new HttpProblem('not_found', `no account ${request.params.id}`);
        return toAccount(row);
      },
    );

    app.patch(
      '/v1/accounts/:id',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Change an account: credit limit, bill cycle day, payment terms, status',
          params: IdParams,
          body: UpdateAccountBody,
          response: { 200: AccountSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await updateAccount(
          db,
          auth.tenantId,
          auth.actor,
          request.params.id,
          request.body,
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return result.account;
      },
    );

    app.get(
      '/v1/accounts',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'List accounts',
          querystring: Type.Composite([PageQuery, AccountListQuery], { additionalProperties: false }),
          response: { 200: Page(AccountSchema) },
        },
      },
      async (request) => {
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'asc', ...filters } = request.query;
        const rows = await listAccounts(db, authOf(request).tenantId, {
          filters,
          after: decodeCursor(cursor),
          order,
          rows: limit + 1,
        });
        return pageOf(rows, limit, toAccount);
      },
    );

    await app.register(subscriptionRoutes(context));
    await app.register(myAccountRoutes(context));
  };
}
