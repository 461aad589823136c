import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { failureProblem } from '../http/failure-problem.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, Page, PageQuery, pageOf } from '../http/pagination.js';
import { HttpProblem } from '../http/problem.js';
import { createWebhookEndpoint } from './create-webhook-endpoint.js';
import { deleteWebhookEndpoint } from './delete-webhook-endpoint.js';
import { replayWebhookDelivery } from './replay-webhook-delivery.js';
import { replayWebhookEvent } from './replay-webhook-event.js';
import { rotateWebhookSecret } from './rotate-webhook-secret.js';
import { updateWebhookEndpoint } from './update-webhook-endpoint.js';
import { deliveriesOfEvent, listWebhookDeliveries, withAttempts } from './webhook-delivery-store.js';
import { findWebhookEndpoint, listWebhookEndpoints, toWebhookEndpoint } from './webhook-endpoint-store.js';
import { findWebhookEvent, listWebhookEvents, toWebhookEvent } from './webhook-event-store.js';
import {
  CreateWebhookEndpointBody,
  ReplayedDeliveriesSchema,
  UpdateWebhookEndpointBody,
  WebhookDeliveryListQuery,
  WebhookDeliverySchema,
  WebhookEndpointListQuery,
  WebhookEndpointSchema,
  WebhookEndpointWithSecretSchema,
  WebhookEventDetailSchema,
  WebhookEventListQuery,
  WebhookEventSchema,
} from './webhook-schemas.js';

const tags = ['webhooks'];
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * Outgoing webhooks: endpoints (admin manages them; the secret is shown once), the events and the
 * log of their deliveries (read-only may read), and replays (operator).
 */
export function webhookRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(endpointRoutes(context));
    await app.register(eventRoutes(context));
  };
}

/** /v1/webhook-endpoints: where events are sent, and the deliveries each has had. */
function endpointRoutes({ db, now }: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/webhook-endpoints',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Add a webhook endpoint (its signing secret is in this answer only)',
          body: CreateWebhookEndpointBody,
          response: { 201: WebhookEndpointWithSecretSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await createWebhookEndpoint(db, auth.tenantId, auth.actor, request.body, now());
        if (!result.ok) throw failureProblem(result);
        await storeReplayWithoutSecret(db, request, 201, result.endpoint);
        return reply.status(201).send({ ...result.endpoint, secret: result.secret });
      },
    );

    app.get(
      '/v1/webhook-endpoints',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'List webhook endpoints (never their secrets)',
          querystring: Type.Composite([PageQuery, WebhookEndpointListQuery], { additionalProperties: false }),
          response: { 200: Page(WebhookEndpointSchema) },
        },
      },
      async (request) => {
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'asc', status } = request.query;
        const rows = await listWebhookEndpoints(db, authOf(request).tenantId, {
          status,
          after: decodeCursor(cursor),
          order,
          rows: limit + 1,
        });
        return pageOf(rows, limit, toWebhookEndpoint);
      },
    );

    app.get(
      '/v1/webhook-endpoints/:id',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'Read a webhook endpoint',
          params: IdParams,
          response: { 200: WebhookEndpointSchema },
        },
      },
      async (request) => {
        const row = await findWebhookEndpoint(db, authOf(request).tenantId, request.params.id);
        if (row === undefined) throw new HttpProblem('not_found', `no webhook endpoint ${request.params.id}`);
        return toWebhookEndpoint(row);
      },
    );

    app.patch(
      '/v1/webhook-endpoints/:id',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: "Change a webhook endpoint's URL, description, event types or status",
          description:
            'status=disabled stops sending: pending deliveries wait and go out once it is active again. New event types apply to events from now on.',
          params: IdParams,
          body: UpdateWebhookEndpointBody,
          response: { 200: WebhookEndpointSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await updateWebhookEndpoint(
          db,
          auth.tenantId,
          auth.actor,
          request.params.id,
          request.body,
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return result.endpoint;
      },
    );

    app.delete(
      '/v1/webhook-endpoints/:id',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Delete a webhook endpoint: it is disabled, and kept with its delivery log',
          description:
            'Deliveries refer to the endpoint, so the row stays, with status disabled: nothing more is sent to it. PATCH status=active undoes this.',
          params: IdParams,
          response: { 200: WebhookEndpointSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await deleteWebhookEndpoint(db, auth.tenantId, auth.actor, request.params.id, now());
        if (!result.ok) throw failureProblem(result);
        return result.endpoint;
      },
    );

    app.post(
      '/v1/webhook-endpoints/:id/secret-rotation',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Give an endpoint a new signing secret (in this answer only)',
          description:
            'Attempts from now on are signed with the new secret alone; let the receiver accept both while it switches.',
          params: IdParams,
          response: { 200: WebhookEndpointWithSecretSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await rotateWebhookSecret(db, auth.tenantId, auth.actor, request.params.id, now());
        if (!result.ok) throw failureProblem(result);
        await storeReplayWithoutSecret(db, request, 200, result.endpoint);
        return reply.status(200).send({ ...result.endpoint, secret: result.secret });
      },
    );

    app.get(
      '/v1/webhook-endpoints/:id/deliveries',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: "An endpoint's deliveries, each with its latest attempts",
          params: IdParams,
          querystring: Type.Composite([PageQuery, WebhookDeliveryListQuery], { additionalProperties: false }),
          response: { 200: Page(WebhookDeliverySchema) },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const { id } = request.params;
        if ((await findWebhookEndpoint(db, tenantId, id)) === undefined)
          throw new HttpProblem('not_found', `no webhook endpoint ${id}`);
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'asc', status } = request.query;
        const rows = await listWebhookDeliveries(db, tenantId, {
          endpointId: id,
          status,
          after: decodeCursor(cursor),
          order,
          rows: limit + 1,
        });
        const page = pageOf(rows, limit, (row) => row);
        return { items: await withAttempts(db, tenantId, page.items), nextCursor: page.nextCursor };
      },
    );

    app.post(
      '/v1/webhook-deliveries/:id/replay',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Send a delivery again (delivered, dead or pending): it is pending and due now',
          params: IdParams,
          response: { 200: WebhookDeliverySchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await replayWebhookDelivery(db, auth.tenantId, auth.actor, request.params.id, now());
        if (!result.ok) throw failureProblem(result);
        return result.delivery;
      },
    );
  };
}

/** /v1/webhook-events: the outbox, as receivers see its events. */
function eventRoutes({ db, now }: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/webhook-events',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'List webhook events',
          querystring: Type.Composite([PageQuery, WebhookEventListQuery], { additionalProperties: false }),
          response: { 200: Page(WebhookEventSchema) },
        },
      },
      async (request) => {
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'asc', type } = request.query;
        const rows = await listWebhookEvents(db, authOf(request).tenantId, {
          type,
          after: decodeCursor(cursor),
          order,
          rows: limit + 1,
        });
        return pageOf(rows, limit, toWebhookEvent);
      },
    );

    app.get(
      '/v1/webhook-events/:id',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'Read a webhook event with its deliveries',
          params: IdParams,
          response: { 200: WebhookEventDetailSchema },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const row = await findWebhookEvent(db, tenantId, request.params.id);
        if (row === undefined) throw new HttpProblem('not_found', `no webhook event ${request.params.id}`);
        const deliveries = await withAttempts(db, tenantId, await deliveriesOfEvent(db, tenantId, row.id));
        return { ...toWebhookEvent(row), deliveries };
      },
    );

    app.post(
      '/v1/webhook-events/:id/replay',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Send an event again to every endpoint it was for',
          params: IdParams,
          response: { 200: ReplayedDeliveriesSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await replayWebhookEvent(db, auth.tenantId, auth.actor, request.params.id, now());
        if (!result.ok) throw failureProblem(result);
        return { deliveries: result.deliveries };
      },
    );
  };
}

/**
 * With an Idempotency-Key, the stored response (replayed to a retry) is the endpoint without its
 * secret: secrets are kept nowhere but in the endpoint row.
 */
async function storeReplayWithoutSecret(
  db: Kysely<Database>,
  request: FastifyRequest,
  status: number,
  replay: object,
): Promise<void> {
  const key = request.idempotencyKey;
  if (key === undefined) return;
  delete request.idempotencyKey;
  await db
    .updateTable('idempotency_keys')
    .set({ status: 'completed', response_status: status, response_body: JSON.stringify(replay) })
    .where('tenant_id', '=', authOf(request).tenantId)
    .where('key', '=', key)
    .execute();
}
