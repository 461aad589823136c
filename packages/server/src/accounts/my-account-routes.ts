import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { type Kysely, sql } from 'kysely';
import { InvoiceSchema } from '../billing/billing-schemas.js';
import { invoiceView } from '../billing/invoice-store.js';
import { listPlanVersions, planVersionAt, toPlanVersion } from '../catalog/plan-store.js';
import type { Database } from '../db/database-schema.js';
import { keysetPage } from '../db/keyset-page.js';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { failureProblem } from '../http/failure-problem.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, Page, pageOf } from '../http/pagination.js';
import { HttpProblem } from '../http/problem.js';
import { PaymentSchema } from '../payments/payment-schemas.js';
import { allocationsOf, toPayment } from '../payments/payment-store.js';
import { AccountSchema } from './account-schemas.js';
import { listAccounts, toAccount } from './account-store.js';
import { MeSchema, MyPageQuery, type MyPlan, MyPlanSchema, UpdateMeBody } from './my-account-schemas.js';
import { readMyProfile } from './read-my-profile.js';
import { setMyLanguage } from './set-my-language.js';
import { SubscriptionSchema } from './subscription-schemas.js';
import { identifiersOf, listSubscriptions, toSubscription } from './subscription-store.js';

/** A customer has a handful of accounts and lines: one page holds them all. */
const MAX_OWN_ROWS = 500;
/** A retail catalogue offers tens of plans; the list is bounded all the same. */
const MAX_PLANS = 500;
const tags = ['me'];

/**
 * What a signed-in customer may read: their own accounts, lines, invoices and payments, never
 * another customer's (the customer id comes from the session, not from the request), the plans
 * they may choose, and their language. Staff use the /v1/accounts routes instead; the staff
 * routes a customer may also call for what is theirs declare `customerAccess`.
 */
export function myAccountRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
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

    app.get(
      '/v1/me/invoices',
      {
        config: { userSession: true },
        schema: {
          tags,
          summary: "The signed-in customer's invoices and credit notes, newest first",
          description: 'Of all their accounts; drafts are not shown until they are finalised.',
          querystring: MyPageQuery,
          response: { 200: Page(InvoiceSchema) },
        },
      },
      async (request) => {
        const { tenantId } = authOf(request);
        const { limit = DEFAULT_PAGE_SIZE, cursor } = request.query;
        const query = db
          .selectFrom('invoices')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('account_id', 'in', ownAccountIds(db, tenantId, customerOf(request)))
          .where('status', '<>', 'draft');
        const rows = await keysetPage(query, decodeCursor(cursor), 'desc', limit + 1).execute();
        return pageOf(rows, limit, invoiceView);
      },
    );

    app.get(
      '/v1/me/payments',
      {
        config: { userSession: true },
        schema: {
          tags,
          summary: "The signed-in customer's payments, newest first",
          description: 'Of all their accounts, in every state (a declined card shows as failed).',
          querystring: MyPageQuery,
          response: { 200: Page(PaymentSchema) },
        },
      },
      async (request) => {
        const { tenantId } = authOf(request);
        const { limit = DEFAULT_PAGE_SIZE, cursor } = request.query;
        const query = db
          .selectFrom('payments')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('account_id', 'in', ownAccountIds(db, tenantId, customerOf(request)));
        const rows = await keysetPage(query, decodeCursor(cursor), 'desc', limit + 1).execute();
        const allocations = await allocationsOf(
          db,
          rows.slice(0, limit).map((row) => row.id),
        );
        return pageOf(rows, limit, (row) => toPayment(row, allocations.get(row.id) ?? []));
      },
    );

    app.get(
      '/v1/me/plans',
      {
        config: { userSession: true },
        schema: {
          tags,
          summary: 'The plans and add-ons a customer may choose, with their current terms',
          description:
            'Plans with a version in effect now, base plans first, by name. Change a line with POST /v1/subscriptions/{id}/changes (plan_changed with planId, addon_added with addonPlanId).',
          response: { 200: Type.Object({ items: Type.Array(MyPlanSchema) }) },
        },
      },
      async (request) => {
        const { tenantId } = authOf(request);
        customerOf(request); // Staff read the whole catalogue at /v1/plans.
        const plans = await db
          .selectFrom('plans')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          // Base plans first (false sorts before true), then by name.
          .orderBy(sql`kind <> 'base'`)
          .orderBy('name')
          .orderBy('id')
          .limit(MAX_PLANS)
          .execute();
        const versions = await listPlanVersions(
          db,
          tenantId,
          plans.map((plan) => plan.id),
        );
        const at = now();
        const items: MyPlan[] = [];
        for (const plan of plans) {
          const current = planVersionAt(
            versions.filter((version) => version.plan_id === plan.id),
            at,
          );
          if (current === undefined) continue;
          const terms = toPlanVersion(current);
          items.push({
            id: plan.id,
            code: plan.code,
            name: plan.name,
            kind: plan.kind,
            recurringFee: terms.recurringFee,
            currency: terms.currency,
            feePeriod: terms.feePeriod,
            oneTimeFees: terms.oneTimeFees,
            allowances: terms.allowances,
            minimumCommitment: terms.minimumCommitment,
            prices: terms.prices,
            effectiveFrom: terms.effectiveFrom,
          });
        }
        return { items };
      },
    );

    app.patch(
      '/v1/me',
      {
        config: { userSession: true },
        schema: {
          tags,
          summary: "Set the signed-in customer's language and locale",
          description:
            "The language of the portal, invoices and messages, and the locale (BCP 47, language and optional region: de-AT) numbers, amounts and dates are written in. Both are kept as the customer's language tag.",
          body: UpdateMeBody,
          response: { 200: MeSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await setMyLanguage(
          db,
          auth.tenantId,
          auth.actor,
          customerOf(request),
          request.body,
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        const me =
          auth.session === undefined
            ? undefined
            : await readMyProfile(db, auth.tenantId, auth.session.userId, auth.session.expiresAt);
        if (me === undefined) throw new HttpProblem('not_found', 'no signed-in user');
        return me;
      },
    );
  };
}

/** The ids of a customer's accounts, as a subquery: the lists filter by account_id in it. */
function ownAccountIds(db: Kysely<Database>, tenantId: string, customerId: string) {
  return db
    .selectFrom('accounts')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId);
}
