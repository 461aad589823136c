import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { formatMoneyDecimal } from '@tollgate/core';
import { numberingContextOf } from '../accounts/subscription-store.js';
import { AccountBalanceSchema } from '../balances/balance-schemas.js';
import { readAccountBalance } from '../balances/read-account-balance.js';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { HttpProblem, type ProblemCode } from '../http/problem.js';
import type { ChargingEngine } from './charging-engine.js';
import {
  AuthoriseBody,
  type ChargingAnswer,
  ChargingAnswerSchema,
  ContinueBody,
  EventBody,
  InitiateBody,
  SessionParams,
  SubscriberSchema,
} from './charging-schemas.js';
import type {
  CreditControlAnswer,
  CreditControlErrorCode,
  CreditControlRequest,
  ServiceUsageRequest,
} from './credit-control.js';
import { resolveChargedLine } from './resolve-charged-line.js';

const tags = ['charging'];

/**
 * The JSON charging API under /v1/charging: the same credit-control operations as the Diameter
 * server. Requests are idempotent by session id and request number (an event by its id), so
 * these routes need no Idempotency-Key: a retry gets the first answer.
 */
export function chargingRoutes(
  context: AppContext & { readonly charging: ChargingEngine },
): FastifyPluginAsyncTypebox {
  const { charging, db, now } = context;
  return async (app) => {
    const role = 'operator' as const;
    const response = { 200: ChargingAnswerSchema };

    app.get(
      '/v1/charging/balance',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: "The balance of the account a subscriber's line belongs to",
          querystring: SubscriberSchema,
          response: {
            200: Type.Object({
              subscriptionId: Type.String({ format: 'uuid' }),
              balance: AccountBalanceSchema,
            }),
          },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const at = now();
        const line = await resolveChargedLine(
          db,
          tenantId,
          request.query,
          at,
          await numberingContextOf(db, tenantId),
        );
        if (!line.ok) throw new HttpProblem('unknown_subscriber', line.message);
        const balance = await readAccountBalance(db, tenantId, line.line.accountId, at);
        if (balance === undefined)
          throw new HttpProblem('unknown_subscriber', `no account ${line.line.accountId}`);
        return { subscriptionId: line.line.subscriptionId, balance };
      },
    );

    app.post(
      '/v1/charging/authorisations',
      {
        config: { role },
        schema: {
          tags,
          summary: 'What the subscriber could use now, reserving nothing',
          description:
            'grantedUnits is the most each service could use now (for a call: its maximum duration).',
          body: AuthoriseBody,
          response,
        },
      },
      async (request) => {
        const answer = await charging.authorise({
          tenantId: authOf(request).tenantId,
          sessionId: `authorisation-${randomUUID()}`,
          subscriber: request.body.subscriber,
          services: request.body.services.map(serviceRequest),
        });
        return toResponse(answer);
      },
    );

    app.post(
      '/v1/charging/sessions',
      {
        config: { role },
        schema: {
          tags,
          summary: 'Initiate a session: price and reserve the requested units',
          body: InitiateBody,
          response,
        },
      },
      async (request) => {
        const { sessionId, subscriber, services } = request.body;
        const tenantId = authOf(request).tenantId;
        return toResponse(
          await charging.initiate({
            tenantId,
            sessionId,
            requestNumber: 0,
            subscriber,
            services: services.map(serviceRequest),
          }),
        );
      },
    );

    app.post(
      '/v1/charging/sessions/:sessionId/updates',
      {
        config: { role },
        schema: {
          tags,
          summary: 'Update a session: commit the used units, reserve more',
          params: SessionParams,
          body: ContinueBody,
          response,
        },
      },
      async (request) =>
        toResponse(
          await charging.update(continueRequest(authOf(request).tenantId, request.params, request.body)),
        ),
    );

    app.post(
      '/v1/charging/sessions/:sessionId/termination',
      {
        config: { role },
        schema: {
          tags,
          summary: 'Terminate a session: commit the used units, release the rest',
          params: SessionParams,
          body: ContinueBody,
          response,
        },
      },
      async (request) =>
        toResponse(
          await charging.terminate(continueRequest(authOf(request).tenantId, request.params, request.body)),
        ),
    );

    app.post(
      '/v1/charging/events',
      {
        config: { role },
        schema: {
          tags,
          summary: 'Charge an event at once (an SMS): all or nothing',
          body: EventBody,
          response,
        },
      },
      async (request) => {
        const { eventId, subscriber, services } = request.body;
        return toResponse(
          await charging.event({
            tenantId: authOf(request).tenantId,
            sessionId: eventId,
            requestNumber: 0,
            subscriber,
            services: services.map(serviceRequest),
          }),
        );
      },
    );
  };
}

function continueRequest(
  tenantId: string,
  params: { sessionId: string },
  body: ContinueBody,
): CreditControlRequest {
  return {
    tenantId,
    sessionId: params.sessionId,
    requestNumber: body.requestNumber,
    services: body.services.map(serviceRequest),
  };
}

function serviceRequest(service: ContinueBody['services'][number]): ServiceUsageRequest {
  return {
    ratingGroup: service.ratingGroup,
    destination: service.destination,
    requestedUnits: service.requestedUnits === undefined ? undefined : BigInt(service.requestedUnits),
    usedUnits: service.usedUnits === undefined ? undefined : BigInt(service.usedUnits),
  };
}

const PROBLEM_OF: Record<CreditControlErrorCode, ProblemCode> = {
  unknown_subscriber: 'unknown_subscriber',
  unknown_session: 'unknown_session',
  session_expired: 'session_expired',
  invalid_request: 'unprocessable',
  insufficient_balance: 'insufficient_balance',
  charging_unavailable: 'charging_unavailable',
};

function toResponse(answer: CreditControlAnswer): ChargingAnswer {
  if (!answer.ok) throw new HttpProblem(PROBLEM_OF[answer.code], answer.message);
  return {
    sessionId: answer.sessionId,
    requestNumber: answer.requestNumber,
    accountId: answer.accountId,
    currency: answer.currency,
    services: answer.services.map((s) => ({
      ratingGroup: s.ratingGroup,
      resultCode: s.resultCode,
      unit: s.unit,
      grantedUnits: Number(s.grantedUnits),
      finalUnit: s.finalUnit,
      validityTimeSeconds: s.validityTimeSeconds,
      charged: formatMoneyDecimal({ amountMicros: s.chargedMicros, currency: answer.currency }),
      ...(s.message === undefined ? {} : { message: s.message }),
    })),
  };
}
