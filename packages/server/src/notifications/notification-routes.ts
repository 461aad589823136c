import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { failureProblem } from '../http/failure-problem.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, Page, PageQuery, pageOf } from '../http/pagination.js';
import { HttpProblem } from '../http/problem.js';
import { builtInTemplate } from './built-in-template.js';
import { deleteNotificationTemplate } from './delete-notification-template.js';
import { markNotificationRead } from './mark-notification-read.js';
import { goesBy, isNotificationChannel, isNotificationEvent, placeholdersOf } from './notification-events.js';
import { readNotificationPreferences } from './notification-preference-store.js';
import {
  MessageListQuery,
  NotificationListQuery,
  NotificationSchema,
  NotificationTemplateSchema,
  PortalMessageSchema,
  PreferencesSchema,
  PreviewBody,
  PreviewSchema,
  QuietHoursBody,
  QuietHoursSchema,
  SetNotificationTemplateBody,
  SetPreferencesBody,
  TemplateParams,
} from './notification-schemas.js';
import {
  findNotification,
  listNotifications,
  listPortalMessages,
  toNotification,
  toPortalMessage,
} from './notification-store.js';
import {
  findNotificationTemplate,
  isBuiltInLanguage,
  type NotificationTemplateView,
  toTemplateView,
} from './notification-template-store.js';
import { previewNotification } from './preview-notification.js';
import { setNotificationPreferences } from './set-notification-preferences.js';
import { setNotificationTemplate } from './set-notification-template.js';
import { readQuietHours, setQuietHours } from './set-quiet-hours.js';

const tags = ['notifications'];
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * Notifications: the message log, the tenant's templates and their preview, each customer's
 * preferences and quiet hours, and the portal's messages (for staff, and for the signed-in
 * customer under /v1/me).
 */
export function notificationRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(logRoutes(context));
    await app.register(templateRoutes(context));
    await app.register(customerSettingRoutes(context));
    await app.register(portalMessageRoutes(context));
  };
}

function logRoutes({ db }: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/notifications',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'The message log: every email, SMS and portal message, with its status',
          querystring: Type.Composite([PageQuery, NotificationListQuery], { additionalProperties: false }),
          response: { 200: Page(NotificationSchema) },
        },
      },
      async (request) => {
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'asc', ...filters } = request.query;
        const rows = await listNotifications(db, authOf(request).tenantId, {
          filters,
          after: decodeCursor(cursor),
          order,
          rows: limit + 1,
        });
        return pageOf(rows, limit, toNotification);
      },
    );

    app.get(
      '/v1/notifications/:id',
      {
        config: { role: 'read-only' },
        schema: { tags, summary: 'One message', params: IdParams, response: { 200: NotificationSchema } },
      },
      async (request) => {
        const row = await findNotification(db, authOf(request).tenantId, request.params.id);
        if (row === undefined) throw new HttpProblem('not_found', `no notification ${request.params.id}`);
        return toNotification(row);
      },
    );
  };
}

function templateRoutes({ db, now }: AppContext): FastifyPluginAsyncTypebox {
  const url = '/v1/notification-templates/:event/:channel/:language';
  return async (app) => {
    app.get(
      url,
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'The template messages of an event, channel and language are written with',
          description:
            "The tenant's own (origin tenant), else Tollgate's built-in one (origin built_in, for en, es, fr and de).",
          params: TemplateParams,
          response: { 200: NotificationTemplateSchema },
        },
      },
      async (request) => {
        const { event, channel, language } = request.params;
        if (!isNotificationEvent(event) || !isNotificationChannel(channel) || !goesBy(event, channel))
          throw new HttpProblem('not_found', `no notification template ${event}/${channel}`);
        const row = await findNotificationTemplate(db, authOf(request).tenantId, {
          event,
          channel,
          language,
        });
        let view: NotificationTemplateView;
        if (row !== undefined) view = toTemplateView(row);
        else if (isBuiltInLanguage(language))
          view = {
            event,
            channel,
            language,
            ...builtInTemplate(event, channel, language),
            origin: 'built_in',
            updatedAt: null,
          };
        else throw new HttpProblem('not_found', `no template for ${event}/${channel} in "${language}"`);
        return { ...view, placeholders: Object.keys(placeholdersOf(event)) };
      },
    );

    app.put(
      url,
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: "Set the tenant's own template",
          description:
            'Text with {{placeholder}} values (GET shows the ones the event offers); values are HTML-escaped in bodyHtml. An email needs a subject; SMS and portal templates are text only.',
          params: TemplateParams,
          body: SetNotificationTemplateBody,
          response: { 200: NotificationTemplateSchema, 201: NotificationTemplateSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await setNotificationTemplate(
          db,
          auth.tenantId,
          auth.actor,
          request.params,
          request.body,
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return reply.status(result.created ? 201 : 200).send({
          ...result.template,
          placeholders: Object.keys(placeholdersOf(request.params.event as never)),
        });
      },
    );

    app.delete(
      url,
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: "Remove the tenant's own template: the built-in one applies again",
          params: TemplateParams,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await deleteNotificationTemplate(db, auth.tenantId, auth.actor, request.params, now());
        if (!result.ok) throw failureProblem(result);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/v1/notification-templates/preview',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'Render a message with sample data, without sending it',
          description:
            'With the template given in the body (to try one before saving), else the one messages use now. `data` overrides the sample values.',
          body: PreviewBody,
          response: { 200: PreviewSchema },
        },
      },
      async (request) => {
        const result = await previewNotification(db, authOf(request).tenantId, request.body);
        if (!result.ok) throw failureProblem(result);
        return { ...result.preview, missing: [...result.preview.missing] };
      },
    );
  };
}

function customerSettingRoutes({ db, now }: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/customers/:id/notification-preferences',
      {
        config: { role: 'read-only', customerAccess: { kind: 'customer', param: 'id' } },
        schema: {
          tags,
          summary: 'Which events the customer takes on which channel',
          params: IdParams,
          response: { 200: PreferencesSchema },
        },
      },
      async (request) => {
        const preferences = await readNotificationPreferences(
          db,
          authOf(request).tenantId,
          request.params.id,
        );
        if (preferences === undefined) throw new HttpProblem('not_found', `no customer ${request.params.id}`);
        return preferences;
      },
    );

    app.put(
      '/v1/customers/:id/notification-preferences',
      {
        config: { role: 'support', customerAccess: { kind: 'customer', param: 'id' } },
        schema: {
          tags,
          summary: "Change the customer's choices (those listed) and SMS number",
          description:
            'service_suspended, payment_due and password_reset by email are required and cannot be turned off (422); password_reset goes by email only.',
          params: IdParams,
          body: SetPreferencesBody,
          response: { 200: PreferencesSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await setNotificationPreferences(
          db,
          auth.tenantId,
          auth.actor,
          request.params.id,
          request.body,
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return result.preferences;
      },
    );

    app.get(
      '/v1/customers/:id/quiet-hours',
      {
        config: { role: 'support', customerAccess: { kind: 'customer', param: 'id' } },
        schema: {
          tags,
          summary: 'The local hours without messages that are not urgent, or null for none',
          params: IdParams,
          response: { 200: QuietHoursSchema },
        },
      },
      async (request) => {
        const found = await readQuietHours(db, authOf(request).tenantId, request.params.id);
        if (found === undefined) throw new HttpProblem('not_found', `no customer ${request.params.id}`);
        return found;
      },
    );

    app.put(
      '/v1/customers/:id/quiet-hours',
      {
        config: { role: 'support', customerAccess: { kind: 'customer', param: 'id' } },
        schema: {
          tags,
          summary: 'Set the local hours without messages that are not urgent, or null for none',
          description:
            "{start, end} as HH:MM in the account's time zone; a start after the end spans midnight (22:00 to 07:00).",
          params: IdParams,
          body: QuietHoursBody,
          response: { 200: QuietHoursSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await setQuietHours(
          db,
          auth.tenantId,
          auth.actor,
          request.params.id,
          request.body,
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return result.quietHours;
      },
    );
  };
}

function portalMessageRoutes({ db, now }: AppContext): FastifyPluginAsyncTypebox {
  const MessagesQuery = Type.Composite([PageQuery, MessageListQuery], { additionalProperties: false });
  const ownCustomer = (request: Parameters<typeof authOf>[0]) => {
    const customerId = authOf(request).customerId;
    if (customerId === undefined) throw new HttpProblem('not_found', 'only a customer user has messages');
    return customerId;
  };
  return async (app) => {
    app.get(
      '/v1/customers/:id/messages',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: "The customer's portal messages",
          params: IdParams,
          querystring: MessagesQuery,
          response: { 200: Page(PortalMessageSchema) },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const customer = await db
          .selectFrom('customers')
          .select('id')
          .where('tenant_id', '=', tenantId)
          .where('id', '=', request.params.id)
          .executeTakeFirst();
        if (customer === undefined) throw new HttpProblem('not_found', `no customer ${request.params.id}`);
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'desc', unread } = request.query;
        const rows = await listPortalMessages(db, tenantId, customer.id, {
          after: decodeCursor(cursor),
          order,
          rows: limit + 1,
          unread,
        });
        return pageOf(rows, limit, toPortalMessage);
      },
    );

    app.post(
      '/v1/notifications/:id/read',
      {
        config: { role: 'support' },
        schema: {
          tags,
          summary: 'Mark a portal message read',
          params: IdParams,
          response: { 200: PortalMessageSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await markNotificationRead(db, auth.tenantId, auth.actor, request.params.id, now());
        if (!result.ok) throw failureProblem(result);
        return result.message;
      },
    );

    app.get(
      '/v1/me/messages',
      {
        config: { userSession: true },
        schema: {
          tags: ['me'],
          summary: "The signed-in customer's portal messages, newest first",
          querystring: MessagesQuery,
          response: { 200: Page(PortalMessageSchema) },
        },
      },
      async (request) => {
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'desc', unread } = request.query;
        const rows = await listPortalMessages(db, authOf(request).tenantId, ownCustomer(request), {
          after: decodeCursor(cursor),
          order,
          rows: limit + 1,
          unread,
        });
        return pageOf(rows, limit, toPortalMessage);
      },
    );

    app.post(
      '/v1/me/messages/:id/read',
      {
        config: { userSession: true },
        schema: {
          tags: ['me'],
          summary: 'Mark one of my portal messages read',
          params: IdParams,
          response: { 200: PortalMessageSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await markNotificationRead(
          db,
          auth.tenantId,
          auth.actor,
          request.params.id,
          now(),
          ownCustomer(request),
        );
        if (!result.ok) throw failureProblem(result);
        return result.message;
      },
    );
  };
}
