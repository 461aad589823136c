import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { HttpProblem } from '../http/problem.js';
import { AccountSchema } from './account-schemas.js';
import { listAccounts, toAccount } from './account-store.js';
import { SubscriptionSchema } from './subscription-schemas.js';
import { identifiersOf, listSubscriptions, toSubscription } from './subscription-store.js';

/** A customer has a handful of accounts and lines: one page holds them all. */
const MAX_OWN_ROWS = 500;
const tags = ['me'];

/**
 * What a signed-in customer may read: their own accounts and lines, never another customer's
 * (the customer id comes from the session, not from the request). Staff use the /v1/accounts
 * routes instead.
 */
export function myAccountRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db } = context;
  const customerOf = (request: Parameters<typeof authOf>[0]) => {
    const customerId = authOf(request).customerId;
    if (customerId === undefined)
      throw new HttpProblem('not_found', 'only a customer user has accounts of their own');
    return customerId;
  };
  return async (app) => {
    app.get(
      '/v1/me/accounts',
      {
        config: { userSession: true },
        schema: {
          tags,
          summary: "The signed-in customer's accounts",
          response: { 200: Type.Object({ items: Type.Array(AccountSchema) }) },
        },
      },
      async (request) => {
        const rows = await listAccounts(db, authOf(request).tenantId, {
          filters: { customerId: customerOf(request) },
          after: null,
          order: 'asc',
          rows: MAX_OWN_ROWS,
        });
        return { items: rows.map(toAccount) };
      },
    );

    app.get(
      '/v1/me/subscriptions',
      {
        config: { userSession: true },
        schema: {
          tags,
          summary: "The signed-in customer's lines",
          response: { 200: Type.Object({ items: Type.Array(SubscriptionSchema) }) },
        },
      },
      async (request) => {
        const { tenantId } = authOf(request);
        const accounts = await listAccounts(db, tenantId, {
          filters: { customerId: customerOf(request) },
          after: null,
          order: 'asc',
          rows: MAX_OWN_ROWS,
        });
        const lines = [];
        for (const account of accounts) {
          lines.push(
            ...(await listSubscriptions(db, tenantId, {
              filters: { accountId: account.id },
              after: null,
              order: 'asc',
              rows: MAX_OWN_ROWS,
            })),
          );
        }
        const identifiers = await identifiersOf(
          db,
          tenantId,
          lines.map((line) => line.id),
        );
        return { items: lines.map((line) => toSubscription(line, identifiers.get(line.id) ?? [])) };
      },
    );
  };
}
