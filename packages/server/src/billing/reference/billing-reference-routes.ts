import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { instantOf } from '../../catalog/catalog-problems.js';
import { accountOrNotFound } from '../../http/account-or-not-found.js';
import type { AppContext } from '../../http/app-context.js';
import { authOf } from '../../http/authenticate.js';
import { failureProblem } from '../../http/failure-problem.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, Page, PageQuery, pageOf } from '../../http/pagination.js';
import { HttpProblem } from '../../http/problem.js';
import {
  AccountChargeListQuery,
  AccountChargeSchema,
  AddAccountChargeBody,
} from './account-charge-schemas.js';
import { listAccountCharges, toAccountCharge } from './account-charge-store.js';
import { addAccountCharge } from './add-account-charge.js';
import { addTaxRule } from './add-tax-rule.js';
import { BillingProfileSchema, SetBillingProfileBody } from './billing-profile-schemas.js';
import { readBillingProfile } from './billing-profile-store.js';
import { createDiscount } from './create-discount.js';
import { CreateDiscountBody, DiscountSchema } from './discount-schemas.js';
import { listDiscounts, toDiscount } from './discount-store.js';
import { endDiscount } from './end-discount.js';
import { FxRateListQuery, FxRateSchema, RecordFxRateBody } from './fx-rate-schemas.js';
import { listFxRates, toFxRate } from './fx-rate-store.js';
import { recordFxRate } from './record-fx-rate.js';
import { removeAccountCharge } from './remove-account-charge.js';
import { setBillingProfile } from './set-billing-profile.js';
import { AddTaxRuleBody, TaxRuleListQuery, TaxRuleSchema } from './tax-rule-schemas.js';
import { findTaxRule, listTaxRules, toTaxRule } from './tax-rule-store.js';

const tags = ['billing'];
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Uuid = Type.String({ format: 'uuid' });

/**
 * The reference data billing prices and prints with: the tenant's billing profile, tax rules,
 * exchange rates, and each account's discounts and one-time charges.
 */
export function billingReferenceRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(billingProfileRoutes(context));
    await app.register(taxRuleRoutes(context));
    await app.register(fxRateRoutes(context));
    await app.register(discountRoutes(context));
    await app.register(accountChargeRoutes(context));
  };
}

/** /v1/billing-profile: the seller on the tenant's invoices, their look, tax settings and series. */
function billingProfileRoutes({ db, now }: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/billing-profile',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: "The tenant's billing profile (the defaults until it is set)",
          response: { 200: BillingProfileSchema },
        },
      },
      async (request) => readBillingProfile(db, authOf(request).tenantId),
    );

    app.put(
      '/v1/billing-profile',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: "Set the tenant's billing profile",
          description:
            'Replaces the whole profile: a field left out returns to its default. Issued invoices keep the seller they were issued with.',
          body: SetBillingProfileBody,
          response: { 200: BillingProfileSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await setBillingProfile(db, auth.tenantId, auth.actor, request.body, now());
        if (!result.ok) throw failureProblem(result);
        return result.profile;
      },
    );
  };
}

/** /v1/tax-rules: effective-dated, immutable versions of the taxes per jurisdiction and category. */
function taxRuleRoutes({ db, now }: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/tax-rules',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Add the next version of the taxes of a jurisdiction and category',
          description:
            'Versions never change: a correction is a new version. Where versions overlap, billing takes the one that starts later, and at an equal start the higher version.',
          body: AddTaxRuleBody,
          response: { 201: TaxRuleSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        instantOf(request.body.effectiveFrom, '/effectiveFrom');
        if (request.body.effectiveTo !== undefined) instantOf(request.body.effectiveTo, '/effectiveTo');
        const result = await addTaxRule(db, auth.tenantId, auth.actor, request.body, now());
        if (!result.ok) throw failureProblem(result);
        return reply.status(201).send(result.rule);
      },
    );

    app.get(
      '/v1/tax-rules',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'List tax rule versions',
          querystring: Type.Composite([PageQuery, TaxRuleListQuery], { additionalProperties: false }),
          response: { 200: Page(TaxRuleSchema) },
        },
      },
      async (request) => {
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'asc', jurisdiction, category } = request.query;
        const rows = await listTaxRules(db, authOf(request).tenantId, {
          filters: { jurisdiction, category },
          after: decodeCursor(cursor),
          order,
          rows: limit + 1,
        });
        return pageOf(rows, limit, toTaxRule);
      },
    );

    app.get(
      '/v1/tax-rules/:id',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'Read a tax rule version',
          params: IdParams,
          response: { 200: TaxRuleSchema },
        },
      },
      async (request) => {
        const row = await findTaxRule(db, authOf(request).tenantId, request.params.id);
        if (row === undefined) throw new HttpProblem('not_found', `no tax rule ${request.params.id}`);
        return toTaxRule(row);
      },
    );
  };
}

/** /v1/fx-rates: dated exchange rates; billing converts with the latest on or before a day. */
function fxRateRoutes({ db, now }: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/fx-rates',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: "Record a pair's exchange rate for a day",
          description:
            "A day's rate never changes: recording the same rate and source again answers 200 with the stored one; another rate is 409.",
          body: RecordFxRateBody,
          response: { 200: FxRateSchema, 201: FxRateSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await recordFxRate(db, auth.tenantId, auth.actor, request.body, now());
        if (!result.ok) throw failureProblem(result);
        return reply.status(result.created ? 201 : 200).send(result.rate);
      },
    );

    app.get(
      '/v1/fx-rates',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'List exchange rates',
          querystring: Type.Composite([PageQuery, FxRateListQuery], { additionalProperties: false }),
          response: { 200: Page(FxRateSchema) },
        },
      },
      async (request) => {
        const {
          limit = DEFAULT_PAGE_SIZE,
          cursor,
          order = 'asc',
          from,
          to,
          dateFrom,
          dateTo,
        } = request.query;
        const rows = await listFxRates(db, authOf(request).tenantId, {
          filters: { from, to, dateFrom, dateTo },
          after: decodeCursor(cursor),
          order,
          rows: limit + 1,
        });
        return pageOf(rows, limit, toFxRate);
      },
    );
  };
}

/** /v1/accounts/:id/discounts: percent or fixed discounts, ended rather than deleted. */
function discountRoutes({ db, now }: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/accounts/:id/discounts',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Give an account a discount',
          params: IdParams,
          body: CreateDiscountBody,
          response: { 201: DiscountSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const { startsAt, endsAt } = request.body;
        if (startsAt !== undefined) instantOf(startsAt, '/startsAt');
        if (endsAt !== undefined) instantOf(endsAt, '/endsAt');
        const result = await createDiscount(
          db,
          auth.tenantId,
          auth.actor,
          request.params.id,
          request.body,
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return reply.status(201).send(result.discount);
      },
    );

    app.get(
      '/v1/accounts/:id/discounts',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: "An account's discounts, ended ones included",
          params: IdParams,
          querystring: PageQuery,
          response: { 200: Page(DiscountSchema) },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const { id } = request.params;
        await accountOrNotFound(db, tenantId, id);
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'asc' } = request.query;
        const rows = await listDiscounts(db, tenantId, id, {
          after: decodeCursor(cursor),
          order,
          rows: limit + 1,
        });
        return pageOf(rows, limit, toDiscount);
      },
    );

    app.delete(
      '/v1/accounts/:id/discounts/:discountId',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'End a discount now',
          description:
            'Invoices refer to the discount, so it is ended, not deleted: later invoices no longer apply it.',
          params: Type.Object({ id: Uuid, discountId: Uuid }),
          response: { 200: DiscountSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const { id, discountId } = request.params;
        const result = await endDiscount(db, auth.tenantId, auth.actor, id, discountId, now());
        if (!result.ok) throw failureProblem(result);
        return result.discount;
      },
    );
  };
}

/** /v1/accounts/:id/charges: one-time charges and credits waiting for the next invoice. */
function accountChargeRoutes({ db, now }: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/accounts/:id/charges',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Add a one-time charge or credit to an account',
          params: IdParams,
          body: AddAccountChargeBody,
          response: { 201: AccountChargeSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        if (request.body.chargedAt !== undefined) instantOf(request.body.chargedAt, '/chargedAt');
        const result = await addAccountCharge(
          db,
          auth.tenantId,
          auth.actor,
          request.params.id,
          request.body,
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return reply.status(201).send(result.charge);
      },
    );

    app.get(
      '/v1/accounts/:id/charges',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: "An account's one-time charges",
          params: IdParams,
          querystring: Type.Composite([PageQuery, AccountChargeListQuery], { additionalProperties: false }),
          response: { 200: Page(AccountChargeSchema) },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const { id } = request.params;
        await accountOrNotFound(db, tenantId, id);
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'asc', open } = request.query;
        const rows = await listAccountCharges(db, tenantId, id, {
          open,
          after: decodeCursor(cursor),
          order,
          rows: limit + 1,
        });
        return pageOf(rows, limit, toAccountCharge);
      },
    );

    app.delete(
      '/v1/accounts/:id/charges/:chargeId',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Remove a charge no invoice has taken yet',
          description: 'A charge on an invoice stays (409): credit it instead.',
          params: Type.Object({ id: Uuid, chargeId: Uuid }),
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const { id, chargeId } = request.params;
        const result = await removeAccountCharge(db, auth.tenantId, auth.actor, id, chargeId, now());
        if (!result.ok) throw failureProblem(result);
        return reply.status(204).send(null);
      },
    );
  };
}
