import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { AppContext } from '../http/app-context.js';
import { authOf, isCustomerCaller } from '../http/authenticate.js';
import { failureProblem } from '../http/failure-problem.js';
import {
  DEFAULT_PAGE_SIZE,
  decodeCursor,
  MAX_PAGE_SIZE,
  Page,
  PageQuery,
  pageOf,
} from '../http/pagination.js';
import { HttpProblem } from '../http/problem.js';
import type { IdentifierKind } from './account-tables.js';
import { addSubscriptionIdentifier } from './add-subscription-identifier.js';
import { changeSubscription } from './change-subscription.js';
import { createSubscription } from './create-subscription.js';
import { endSubscriptionIdentifier } from './end-subscription-identifier.js';

import { normaliseIdentifier } from './normalise-identifier.js';
import {
  AddIdentifierBody,
  type ChangeKind,
  CreateSubscriptionBody,
  EndIdentifierBody,
  IdentifierSchema,
  SubscriptionChangeBody,
  SubscriptionChangeResult,
  SubscriptionEventSchema,
  SubscriptionListQuery,
  SubscriptionSchema,
} from './subscription-schemas.js';
import {
  findSubscription,
  identifiersOf,
  listSubscriptionEvents,
  listSubscriptions,
  numberingContextOf,
  readSubscription,
  toSubscription,
  toSubscriptionEvent,
} from './subscription-store.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const AccountParams = Type.Object({ accountId: Type.String({ format: 'uuid' }) });
const IdentifierParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  identifierId: Type.String({ format: 'uuid' }),
});
const EventPageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
    cursor: PageQuery.properties.cursor,
  },
  { additionalProperties: false },
);
const tags = ['subscriptions'];

/** Subscriptions (lines), their identifiers and their dated changes. */
export function subscriptionRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
  return async (app) => {
    app.post(
      '/v1/accounts/:accountId/subscriptions',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Add a subscription (a line) with its identifiers to an account',
          params: AccountParams,
          body: CreateSubscriptionBody,
          response: { 201: SubscriptionSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await createSubscription(
          db,
          auth.tenantId,
          auth.actor,
          request.params.accountId,
          request.body,
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return reply.status(201).send(result.subscription);
      },
    );

    app.get(
      '/v1/subscriptions/:id',
      {
        config: { role: 'read-only', customerAccess: { kind: 'subscription', param: 'id' } },
        schema: {
          tags,
          summary: 'Read a subscription with its identifiers',
          params: IdParams,
          response: { 200: SubscriptionSchema },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const row = await findSubscription(db, tenantId, request.params.id);
        if (row === undefined) throw new HttpProblem('not_found', `no subscription ${request.params.id}`);
        return readSubscription(db, tenantId, row);
      },
    );

    app.get(
      '/v1/subscriptions',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'List subscriptions, or find the holder of an identifier',
          querystring: Type.Composite([PageQuery, SubscriptionListQuery], { additionalProperties: false }),
          response: { 200: Page(SubscriptionSchema) },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'asc', accountId, status, at } = request.query;
        const identifier =
          request.query.identifier === undefined
            ? undefined
            : await identifierFilter(db, tenantId, request.query.identifier);
        const rows = await listSubscriptions(db, tenantId, {
          filters: { accountId, status, identifier, at: at === undefined ? undefined : new Date(at) },
          after: decodeCursor(cursor),
          order,
          rows: limit + 1,
        });
        const identifiers = await identifiersOf(
          db,
          tenantId,
          rows.slice(0, limit).map((row) => row.id),
        );
        return pageOf(rows, limit, (row) => toSubscription(row, identifiers.get(row.id) ?? []));
      },
    );

    app.post(
      '/v1/subscriptions/:id/identifiers',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Give a subscription another identifier',
          params: IdParams,
          body: AddIdentifierBody,
          response: { 201: IdentifierSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await addSubscriptionIdentifier(
          db,
          auth.tenantId,
          auth.actor,
          request.params.id,
          request.body,
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return reply.status(201).send(result.identifier);
      },
    );

    app.post(
      '/v1/subscriptions/:id/identifiers/:identifierId/end',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Release an identifier from a subscription at a time',
          params: IdentifierParams,
          // An empty body (or none) ends the identifier now.
          body: Type.Union([EndIdentifierBody, Type.Null()]),
          response: { 200: IdentifierSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await endSubscriptionIdentifier(
          db,
          auth.tenantId,
          auth.actor,
          request.params.id,
          request.params.identifierId,
          request.body ?? {},
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return result.identifier;
      },
    );

    app.post(
      '/v1/subscriptions/:id/changes',
      {
        config: { role: 'operator', customerAccess: { kind: 'subscription', param: 'id' } },
        schema: {
          tags,
          summary: 'Apply a dated change: plan change, add-on, pause, resume, suspend, restore, terminate',
          description:
            'A signed-in customer may change the plan, add or remove add-ons, and pause or resume their own line, taking effect now; suspend, restore and terminate are for staff (403).',
          params: IdParams,
          body: SubscriptionChangeBody,
          response: { 201: SubscriptionChangeResult },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        if (isCustomerCaller(auth)) refuseForCustomer(request.body);
        const result = await changeSubscription(
          db,
          auth.tenantId,
          auth.actor,
          request.params.id,
          request.body,
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return reply.status(201).send({ change: result.change, subscription: result.subscription });
      },
    );

    app.get(
      '/v1/subscriptions/:id/changes',
      {
        config: { role: 'read-only', customerAccess: { kind: 'subscription', param: 'id' } },
        schema: {
          tags,
          summary: "A subscription's changes, in the order they were applied",
          params: IdParams,
          querystring: EventPageQuery,
          response: { 200: Page(SubscriptionEventSchema) },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const subscription = await findSubscription(db, tenantId, request.params.id);
        if (subscription === undefined)
          throw new HttpProblem('not_found', `no subscription ${request.params.id}`);
        const { limit = DEFAULT_PAGE_SIZE, cursor } = request.query;
        const after = decodeCursor(cursor);
        const rows = await listSubscriptionEvents(
          db,
          tenantId,
          subscription.id,
          after?.id ?? null,
          limit + 1,
        );
        if (rows === undefined)
          throw new HttpProblem('invalid_cursor', 'cursor is not one of this subscription', [
            { field: '/cursor', message: 'invalid' },
          ]);
        return pageOf(rows, limit, toSubscriptionEvent);
      },
    );
  };
}

/** The changes a customer may make to their own line: the rest are the operator's (suspension for non-payment, termination). */
const CUSTOMER_CHANGE_KINDS: ReadonlySet<ChangeKind> = new Set<ChangeKind>([
  'plan_changed',
  'addon_added',
  'addon_removed',
  'paused',
  'resumed',
]);

/**
 * What a customer may not do to their own line, as 403: the operator's changes, and dating a
 * change (a back-dated plan change would alter what days already past cost).
 */
function refuseForCustomer(change: SubscriptionChangeBody): void {
  if (!CUSTOMER_CHANGE_KINDS.has(change.kind))
    throw new HttpProblem(
      'forbidden',
      `a customer cannot make the change ${change.kind}; ask the operator (a customer may change the plan, add or remove add-ons, pause and resume)`,
    );
  if (change.effectiveAt !== undefined)
    throw new HttpProblem('forbidden', "a customer's change takes effect now: leave out effectiveAt");
}

/** `kind:value` from the query string, with the value normalised as stored. */
async function identifierFilter(
  db: Kysely<Database>,
  tenantId: string,
  text: string,
): Promise<{ kind: IdentifierKind; value: string }> {
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon) as IdentifierKind;
  let value = text.slice(colon + 1);
  // An unencoded "+" in a query string arrives as a space (application/x-www-form-urlencoded);
  // no MSISDN starts with a space otherwise, so it is read back as the "+" it was.
  if (kind === 'msisdn') value = value.replace(/^ /, '+');
  const normalised = normaliseIdentifier(kind, value, await numberingContextOf(db, tenantId));
  if (!normalised.ok)
    throw new HttpProblem('validation_failed', `identifier: ${normalised.message}`, [
      { field: 'querystring:/identifier', message: normalised.message },
    ]);
  return { kind, value: normalised.value };
}
