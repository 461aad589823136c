import { type Static, Type } from '@sinclair/typebox';
import { NOTIFICATION_CHANNELS, NOTIFICATION_EVENTS } from './notification-events.js';

const Uuid = Type.String({ format: 'uuid' });
const NullableString = Type.Union([Type.String(), Type.Null()]);
const Instant = Type.String({ format: 'date-time' });

export const NotificationEventSchema = Type.Union(
  NOTIFICATION_EVENTS.map((event) => Type.Literal(event)),
  { description: 'what the customer is told of' },
);
export const NotificationChannelSchema = Type.Union(
  NOTIFICATION_CHANNELS.map((channel) => Type.Literal(channel)),
);
export const NotificationStatusSchema = Type.Union([
  Type.Literal('queued'),
  Type.Literal('sent'),
  Type.Literal('failed'),
  Type.Literal('suppressed'),
  Type.Literal('read'),
]);
const Language = Type.String({ pattern: '^[a-z]{2}$', description: 'ISO 639-1, lower case' });

export const NotificationSchema = Type.Object({
  id: Uuid,
  customerId: Type.Union([Uuid, Type.Null()], { description: 'null for a message to a staff user' }),
  userId: Type.Union([Uuid, Type.Null()], {
    description: 'the portal user a message went to at their own address (password_reset)',
  }),
  accountId: Type.Union([Uuid, Type.Null()]),
  subscriptionId: Type.Union([Uuid, Type.Null()]),
  event: Type.String(),
  channel: NotificationChannelSchema,
  language: Type.String(),
  recipient: Type.Union([Type.String(), Type.Null()], { description: 'email address or E.164 number' }),
  subject: NullableString,
  text: Type.String({ description: 'as sent; a password reset link shows its token as [redacted]' }),
  html: NullableString,
  attachments: Type.Array(Type.Object({ kind: Type.String(), invoiceId: Uuid })),
  urgent: Type.Boolean(),
  status: NotificationStatusSchema,
  reason: Type.Union([Type.String(), Type.Null()], {
    description: 'why suppressed or failed: opted_out, no_address, attempts_exhausted, refused',
  }),
  attempts: Type.Integer(),
  sendAfter: Instant,
  lastError: NullableString,
  sentAt: Type.Union([Instant, Type.Null()]),
  readAt: Type.Union([Instant, Type.Null()]),
  sourceKey: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Instant,
});
export type Notification = Static<typeof NotificationSchema>;

export const NotificationListQuery = Type.Object({
  customerId: Type.Optional(Uuid),
  accountId: Type.Optional(Uuid),
  status: Type.Optional(NotificationStatusSchema),
  event: Type.Optional(Type.String({ maxLength: 60 })),
  channel: Type.Optional(NotificationChannelSchema),
});

/** A portal message as the customer reads it. */
export const PortalMessageSchema = Type.Object({
  id: Uuid,
  accountId: Type.Union([Uuid, Type.Null()]),
  event: Type.String(),
  text: Type.String(),
  status: Type.Union([Type.Literal('sent'), Type.Literal('read')]),
  createdAt: Instant,
  readAt: Type.Union([Instant, Type.Null()]),
});
export type PortalMessage = Static<typeof PortalMessageSchema>;

export const MessageListQuery = Type.Object({
  unread: Type.Optional(Type.Boolean({ description: 'only messages not read yet' })),
});

export const TemplateParams = Type.Object({
  event: Type.String({ maxLength: 100 }),
  channel: Type.String({ maxLength: 100 }),
  language: Type.String({ maxLength: 100 }),
});

export const NotificationTemplateSchema = Type.Object({
  event: Type.String(),
  channel: NotificationChannelSchema,
  language: Type.String(),
  subject: NullableString,
  bodyText: Type.String(),
  bodyHtml: NullableString,
  origin: Type.Union([Type.Literal('tenant'), Type.Literal('built_in')]),
  updatedAt: Type.Union([Instant, Type.Null()]),
  placeholders: Type.Array(Type.String(), { description: 'the {{names}} this event offers' }),
});

export const SetNotificationTemplateBody = Type.Object(
  {
    subject: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 500 }), Type.Null()], {
        description: 'email only, and required there',
      }),
    ),
    bodyText: Type.String({ minLength: 1, maxLength: 20_000, description: 'text with {{placeholders}}' }),
    bodyHtml: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 100_000 }), Type.Null()], {
        description: 'email only; absent: made from the text',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SetNotificationTemplateBody = Static<typeof SetNotificationTemplateBody>;

export const PreviewBody = Type.Object(
  {
    event: NotificationEventSchema,
    channel: NotificationChannelSchema,
    language: Language,
    data: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: 'overrides the sample data' }),
    ),
    template: Type.Optional(SetNotificationTemplateBody),
  },
  { additionalProperties: false },
);
export type PreviewBody = Static<typeof PreviewBody>;

export const PreviewSchema = Type.Object({
  event: Type.String(),
  channel: NotificationChannelSchema,
  language: Type.String({ description: 'the language the template is written in' }),
  origin: Type.Union([Type.Literal('tenant'), Type.Literal('built_in'), Type.Literal('request')]),
  subject: NullableString,
  text: Type.String(),
  html: NullableString,
  missing: Type.Array(Type.String(), { description: 'placeholders without a value' }),
});

export const PreferenceSchema = Type.Object({
  event: NotificationEventSchema,
  channel: NotificationChannelSchema,
  enabled: Type.Boolean(),
  default: Type.Boolean({ description: 'what applies when the customer has said nothing' }),
  required: Type.Boolean({ description: 'the operator must send it: it cannot be turned off' }),
});

export const PreferencesSchema = Type.Object({
  customerId: Uuid,
  smsNumber: Type.Union([Type.String(), Type.Null()], { description: 'where SMS go; null: the phone' }),
  preferences: Type.Array(PreferenceSchema),
});
export type Preferences = Static<typeof PreferencesSchema>;

export const SetPreferencesBody = Type.Object(
  {
    smsNumber: Type.Optional(
      Type.Union([Type.String({ pattern: '^[+][1-9][0-9]{1,14}$' }), Type.Null()], {
        description: 'E.164; null: use the phone',
      }),
    ),
    preferences: Type.Array(
      Type.Object(
        { event: NotificationEventSchema, channel: NotificationChannelSchema, enabled: Type.Boolean() },
        { additionalProperties: false },
      ),
      { maxItems: 100, description: 'the choices to change; others stay as they are' },
    ),
  },
  { additionalProperties: false },
);
export type SetPreferencesBody = Static<typeof SetPreferencesBody>;

const ClockTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM local' });

export const QuietHoursBody = Type.Union([
  Type.Object({ start: ClockTime, end: ClockTime }, { additionalProperties: false }),
  Type.Null(),
]);
export type QuietHoursBody = Static<typeof QuietHoursBody>;

export const QuietHoursSchema = Type.Object({
  customerId: Uuid,
  quietHours: Type.Union([Type.Object({ start: Type.String(), end: Type.String() }), Type.Null()], {
    description: "in the account's time zone; urgent messages ignore them",
  }),
});
