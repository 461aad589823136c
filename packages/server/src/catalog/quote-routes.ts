import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import { parseQuantity } from '@tollgate/core';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { HttpProblem, type ProblemDocument, problemDocument, sendProblem } from '../http/problem.js';
import { instantOf } from './catalog-problems.js';
import { type QuoteTarget, quoteUsage } from './quote-usage.js';

const Text = (description: string) =>
  Type.String({ minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001f\\u007f]+$', description });

export const QuoteBody = Type.Object(
  {
    tariffId: Type.Optional(
      Type.String({ format: 'uuid', description: 'price with this tariff (its version in effect then)' }),
    ),
    planId: Type.Optional(
      Type.String({ format: 'uuid', description: 'price with this plan (its version and tariff then)' }),
    ),
    subscriptionId: Type.Optional(
      Type.String({ format: 'uuid', description: 'price for this line: its plan then, rated as its number' }),
    ),
    ratingTenant: Type.Optional(
      Text("the tenant of the tariff's rating profiles; default: the only one they name"),
    ),
    category: Text('rating category, e.g. call, sms, data'),
    subject: Type.Optional(Text("who is rated; default: the plan's rating subject, else *any")),
    destination: Type.String({
      maxLength: 256,
      pattern: '^[^\\u0000-\\u001f\\u007f]*$',
      description: 'the number or name called (may be empty, e.g. for data)',
    }),
    answerTime: Type.String({ format: 'date-time', description: 'when the usage started' }),
    usage: Type.Union([Type.String({ minLength: 1, maxLength: 40 }), Type.Integer({ minimum: 0 })], {
      description: 'a duration ("45s", "PT1M"), a data volume ("1MB") or a count',
    }),
  },
  { additionalProperties: false },
);
type QuoteBody = Static<typeof QuoteBody>;

const VersionRef = Type.Object({
  id: Type.String({ format: 'uuid' }),
  version: Type.Integer(),
  versionId: Type.String({ format: 'uuid' }),
});

export const QuoteSchema = Type.Object({
  cost: Type.String({ description: 'exact decimal, rounded as the tariff says' }),
  currency: Type.String(),
  ratingTenant: Type.String(),
  subject: Type.String(),
  tariff: VersionRef,
  plan: Type.Union([VersionRef, Type.Null()]),
  explanation: Type.Unknown({ description: 'how the cost was found, step by step (see docs/rating.md)' }),
});

/** A 422 whose cause is a rating error, named in `ratingError` for programs. */
interface RatingProblemDocument extends ProblemDocument {
  readonly ratingError: { readonly code: string; readonly message: string };
}

export function quoteRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db } = context;
  return async (app) => {
    app.post(
      '/v1/rating/quote',
      {
        config: { role: 'read-only' },
        schema: {
          tags: ['rating'],
          summary: 'Price a usage with a stored tariff or plan, with the explanation',
          body: QuoteBody,
          response: { 200: QuoteSchema },
        },
      },
      async (request, reply) => {
        const { body } = request;
        const usage = parseQuantity(body.usage);
        if (!usage.ok) {
          throw new HttpProblem('validation_failed', usage.error.message, [
            { field: '/usage', message: usage.error.message },
          ]);
        }
        const result = await quoteUsage(db, authOf(request).tenantId, targetOf(body), {
          ratingTenant: body.ratingTenant,
          category: body.category,
          subject: body.subject,
          destination: body.destination,
          answerTime: instantOf(body.answerTime, '/answerTime'),
          usage: usage.value,
        });
        if (result.ok) return result.quote;
        switch (result.code) {
          case 'not_found':
            throw new HttpProblem('not_found', result.message);
          case 'not_in_effect':
            throw new HttpProblem('unprocessable', result.message, [
              { field: '/answerTime', message: result.message },
            ]);
          case 'rating_tenant_required':
            throw new HttpProblem('validation_failed', result.message, [
              { field: '/ratingTenant', message: result.message },
            ]);
          case 'rating_failed': {
            const { code, message } = result.error;
            const document: RatingProblemDocument = {
              ...problemDocument('unprocessable', `${code}: ${message}`),
              ratingError: { code, message },
            };
            return sendProblem(reply, document);
          }
        }
      },
    );
  };
}

function targetOf(body: QuoteBody): QuoteTarget {
  const named = [
    body.tariffId === undefined ? null : { tariffId: body.tariffId },
    body.planId === undefined ? null : { planId: body.planId },
    body.subscriptionId === undefined ? null : { subscriptionId: body.subscriptionId },
  ].filter((target) => target !== null);
  if (named.length === 1) return named[0]!;
  const message = 'name exactly one of tariffId, planId or subscriptionId';
  throw new HttpProblem('validation_failed', message, [{ field: '/tariffId', message }]);
}
