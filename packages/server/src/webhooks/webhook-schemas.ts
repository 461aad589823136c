import { type Static, Type } from '@sinclair/typebox';
import { MAX_EVENT_TYPE_ENTRIES } from './webhook-event-types.js';

const Uuid = Type.String({ format: 'uuid' });
const Instant = Type.String({ format: 'date-time' });

const WebhookUrl = Type.String({
  pattern: '^https?://',
  maxLength: 2000,
  format: 'uri',
  description: 'where events are POSTed: an http or https URL',
});

const Description = Type.String({
  maxLength: 500,
  pattern: '^[^\\u0000-\\u001f\\u007f]*$',
  description: 'what the endpoint is for',
});

const EventTypes = Type.Array(Type.String({ minLength: 1, maxLength: 60 }), {
  minItems: 1,
  maxItems: MAX_EVENT_TYPE_ENTRIES,
  description:
    'event types sent to it: names such as "invoice.paid", a family such as "payment.*", or "*" for all',
});

const EndpointStatus = Type.Union([Type.Literal('active'), Type.Literal('disabled')], {
  description:
    "disabled: nothing is sent; its pending deliveries wait until it is active again, and new events don't reach it",
});

export const CreateWebhookEndpointBody = Type.Object(
  {
    url: WebhookUrl,
    description: Type.Optional(Description),
    eventTypes: Type.Optional(EventTypes),
  },
  { additionalProperties: false },
);
export type CreateWebhookEndpointBody = Static<typeof CreateWebhookEndpointBody>;

export const UpdateWebhookEndpointBody = Type.Object(
  {
    url: Type.Optional(WebhookUrl),
    description: Type.Optional(Type.Union([Description, Type.Null()])),
    eventTypes: Type.Optional(EventTypes),
    status: Type.Optional(EndpointStatus),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateWebhookEndpointBody = Static<typeof UpdateWebhookEndpointBody>;

const EndpointFields = {
  id: Uuid,
  url: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  eventTypes: Type.Array(Type.String()),
  status: EndpointStatus,
  createdAt: Instant,
  updatedAt: Instant,
};

/** An endpoint as listings show it: never its secret. */
export const WebhookEndpointSchema = Type.Object(EndpointFields, { $id: 'WebhookEndpoint' });
export type WebhookEndpoint = Static<typeof WebhookEndpointSchema>;

export const WebhookEndpointWithSecretSchema = Type.Object(
  {
    ...EndpointFields,
    secret: Type.String({
      description:
        'the signing secret (whsec_...), in this answer only: keep it to verify Tollgate-Signature; a replay of the request (same Idempotency-Key) leaves it out',
    }),
  },
  { $id: 'WebhookEndpointWithSecret' },
);

export const WebhookEndpointListQuery = Type.Object(
  { status: Type.Optional(EndpointStatus) },
  { additionalProperties: false },
);

export const WebhookEventSchema = Type.Object(
  {
    id: Type.String({
      format: 'uuid',
      description: 'receivers deduplicate on it: a delivery may come more than once',
    }),
    type: Type.String(),
    createdAt: Type.String({ format: 'date-time', description: 'when the change happened' }),
    tenantId: Uuid,
    data: Type.Record(Type.String(), Type.Unknown(), { description: 'the object the event is about' }),
  },
  { $id: 'WebhookEvent' },
);
export type WebhookEventView = Static<typeof WebhookEventSchema>;

export const WebhookEventListQuery = Type.Object(
  {
    type: Type.Optional(
      Type.String({ minLength: 1, maxLength: 60, description: 'only events of this type' }),
    ),
  },
  { additionalProperties: false },
);

const DeliveryStatus = Type.Union(
  [Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead')],
  {
    description:
      'pending: to be sent (or retried); delivered: a 2xx came back; dead: retries gave up 3 days after the event',
  },
);

export const WebhookAttemptSchema = Type.Object({
  attempt: Type.Integer({
    description: 'from 1, over the life of the delivery (replays continue the count)',
  }),
  attemptedAt: Instant,
  statusCode: Type.Union([Type.Integer(), Type.Null()], { description: 'null: no answer' }),
  error: Type.Union([Type.String(), Type.Null()], {
    description: 'the network error or timeout, or the start of a non-2xx answer',
  }),
  durationMs: Type.Integer(),
});

export const WebhookDeliverySchema = Type.Object(
  {
    id: Uuid,
    eventId: Uuid,
    endpointId: Uuid,
    status: DeliveryStatus,
    attemptCount: Type.Integer(),
    nextAttemptAt: Type.Union([Instant, Type.Null()]),
    lastAttemptAt: Type.Union([Instant, Type.Null()]),
    lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
    lastError: Type.Union([Type.String(), Type.Null()]),
    deliveredAt: Type.Union([Instant, Type.Null()]),
    createdAt: Instant,
    attempts: Type.Array(WebhookAttemptSchema, {
      description: 'the latest attempts (at most 25), oldest first',
    }),
  },
  { $id: 'WebhookDelivery' },
);
export type WebhookDeliveryView = Static<typeof WebhookDeliverySchema>;

export const WebhookDeliveryListQuery = Type.Object(
  { status: Type.Optional(DeliveryStatus) },
  { additionalProperties: false },
);
export type DeliveryStatusFilter = Static<typeof DeliveryStatus>;

export const WebhookEventDetailSchema = Type.Object(
  {
    id: Uuid,
    type: Type.String(),
    createdAt: Instant,
    tenantId: Uuid,
    data: Type.Record(Type.String(), Type.Unknown()),
    deliveries: Type.Array(WebhookDeliverySchema, { description: 'one per endpoint the event was for' }),
  },
  { $id: 'WebhookEventDetail' },
);
export type WebhookEventDetail = Static<typeof WebhookEventDetailSchema>;

export const ReplayedDeliveriesSchema = Type.Object({
  deliveries: Type.Array(WebhookDeliverySchema, { description: 'the deliveries, pending again' }),
});
