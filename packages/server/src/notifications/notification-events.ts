import type { NotificationChannel, NotificationEvent } from './notification-tables.js';

/** Every event a customer (or portal user) can be told of, in the order listings show them. */
export const NOTIFICATION_EVENTS: readonly NotificationEvent[] = [
  'allowance_used',
  'cycle_spend',
  'balance_low',
  'credit_used',
  'roaming_first_use',
  'unusual_usage',
  'spending_cap_reached',
  'invoice_issued',
  'payment_due',
  'payment_succeeded',
  'payment_failed',
  'service_suspended',
  'service_restored',
  'password_reset',
];

export const NOTIFICATION_CHANNELS: readonly NotificationChannel[] = ['email', 'sms', 'portal'];

/** The languages of the built-in templates; a customer in another language reads English. */
export const NOTIFICATION_LANGUAGES = ['en', 'es', 'fr', 'de'] as const;
export type NotificationLanguage = (typeof NOTIFICATION_LANGUAGES)[number];
export const FALLBACK_LANGUAGE: NotificationLanguage = 'en';

export function isNotificationEvent(value: string): value is NotificationEvent {
  return (NOTIFICATION_EVENTS as readonly string[]).includes(value);
}

export function isNotificationChannel(value: string): value is NotificationChannel {
  return (NOTIFICATION_CHANNELS as readonly string[]).includes(value);
}

/**
 * Events that go by some channels only; the others may go by every channel. A password reset
 * link goes to the user's own mailbox: by SMS or in the portal (which the user cannot sign in
 * to) it would reach a number or a screen that is not theirs alone, or nobody.
 */
const EVENT_CHANNELS: Readonly<Partial<Record<NotificationEvent, readonly NotificationChannel[]>>> = {
  password_reset: ['email'],
};

/** The channels an event can go by: messages, preferences and templates exist for these only. */
export function channelsOf(event: NotificationEvent): readonly NotificationChannel[] {
  return EVENT_CHANNELS[event] ?? NOTIFICATION_CHANNELS;
}

export function goesBy(event: NotificationEvent, channel: NotificationChannel): boolean {
  return channelsOf(event).includes(channel);
}

/**
 * Events that go out by SMS unless the customer says otherwise (when they have a number): the
 * thresholds that protect from bill shock, and losing service. Any urgent message goes by SMS too.
 */
export const SMS_BY_DEFAULT: ReadonlySet<NotificationEvent> = new Set([
  'allowance_used',
  'credit_used',
  'balance_low',
  'spending_cap_reached',
  'service_suspended',
]);

/**
 * Events told at once, whatever the quiet hours, and by SMS too where they go by SMS: losing or
 * regaining service, and a password reset (the user is waiting for it, and its link works for an
 * hour only).
 */
export const URGENT_EVENTS: ReadonlySet<NotificationEvent> = new Set([
  'service_suspended',
  'service_restored',
  'password_reset',
]);

/** Whether a channel carries an event when the customer has said nothing (SMS: given a number). */
export function enabledByDefault(
  event: NotificationEvent,
  channel: NotificationChannel,
  urgent: boolean,
): boolean {
  if (channel !== 'sms') return true;
  return urgent || URGENT_EVENTS.has(event) || SMS_BY_DEFAULT.has(event);
}

/**
 * Messages the customer cannot turn off, because operators must give them: the warning before
 * service is interrupted for non-payment, and the demand for payment (the European Electronic
 * Communications Code, Directive (EU) 2018/1972, Annex I Part A, "non-payment of bills": due
 * warning of any consequent service interruption; national rules say how). Email is the channel
 * that is kept; a preference against it is refused, and a stored one is ignored. A password reset
 * is required too, for another reason: the user asked for it, and a preference against it would
 * only lock them out.
 */
export const REQUIRED_MESSAGES: readonly { event: NotificationEvent; channel: NotificationChannel }[] = [
  { event: 'service_suspended', channel: 'email' },
  { event: 'payment_due', channel: 'email' },
  { event: 'password_reset', channel: 'email' },
];

export function isRequiredMessage(event: string, channel: string): boolean {
  return REQUIRED_MESSAGES.some((required) => required.event === event && required.channel === channel);
}

/** How a placeholder's value is read from the event's data and shown to the customer. */
export type PlaceholderKind =
  /** As given (a name, a number of an invoice, a phone number). */
  | 'text'
  /**
   * An amount: the exact decimal text of the API in data.currency (or the account's currency),
   * e.g. "71.40", or micro-units under `<name>Micros` (a bigint or its digits); shown with the
   * currency in the customer's locale ("71,40 €").
   */
  | 'money'
  /** An ISO day (YYYY-MM-DD), shown as the locale writes days. */
  | 'date'
  /**
   * An ISO instant, shown as the locale writes a day and a time of day, in the account's zone (a
   * user's message: their customer's first account's, else the tenant's), with the zone's name.
   */
  | 'time'
  /** A percentage as a number or decimal text ("80"), shown as the locale writes percentages. */
  | 'percent'
  /** A number, shown with the locale's separators. */
  | 'number';

/** Placeholders every message may use: filled from the account, whatever the event. */
export const COMMON_PLACEHOLDERS: Readonly<Record<string, PlaceholderKind>> = {
  customerName: 'text',
  accountNumber: 'text',
  operatorName: 'text',
};

/**
 * The placeholders of each event beyond the common ones, with the kind that says how they are
 * formatted. `line` is the line's number (its MSISDN), looked up from the subscription when the
 * data does not carry it. This is the contract with whoever queues a message (see
 * docs/notifications.md): data may carry more, never less.
 */
export const EVENT_PLACEHOLDERS: Readonly<
  Record<NotificationEvent, Readonly<Record<string, PlaceholderKind>>>
> = {
  allowance_used: { line: 'text', allowance: 'text', percent: 'percent' },
  cycle_spend: { line: 'text', amount: 'money' },
  balance_low: { line: 'text', balance: 'money' },
  credit_used: { percent: 'percent', creditLimit: 'money' },
  roaming_first_use: { line: 'text', country: 'text' },
  unusual_usage: { line: 'text', factor: 'number' },
  spending_cap_reached: { line: 'text', cap: 'money' },
  invoice_issued: { number: 'text', total: 'money', issuedOn: 'date', dueOn: 'date' },
  payment_due: { owed: 'money', overdue: 'money', dueOn: 'date' },
  payment_succeeded: { amount: 'money' },
  payment_failed: { amount: 'money' },
  service_suspended: { line: 'text' },
  service_restored: { line: 'text' },
  password_reset: { resetUrl: 'text', expiresAt: 'time' },
};

/**
 * Events whose rendered message carries a secret (the password reset link's token). The message
 * log keeps the message as sent, so the token is in its subject or bodies until it is used or
 * expires; the log's API and CLI show these messages with the secret redacted.
 */
export const EVENTS_WITH_SECRETS: ReadonlySet<string> = new Set<NotificationEvent>(['password_reset']);

/**
 * Placeholders an event's email must place, in its text and in its HTML: a password reset
 * without its link would leave the user nothing to act on.
 */
export const REQUIRED_PLACEHOLDERS: Readonly<Partial<Record<NotificationEvent, readonly string[]>>> = {
  password_reset: ['resetUrl'],
};

export function placeholdersOf(event: NotificationEvent): Readonly<Record<string, PlaceholderKind>> {
  return { ...COMMON_PLACEHOLDERS, ...EVENT_PLACEHOLDERS[event] };
}

/** Data that fills every placeholder of an event: for previews and for the template tests. */
export const SAMPLE_DATA: Readonly<Record<NotificationEvent, Readonly<Record<string, unknown>>>> = {
  allowance_used: { line: '+4915200000001', allowance: 'Data 10 GB', percent: '80' },
  cycle_spend: { line: '+4915200000001', amount: '50.00', currency: 'EUR' },
  balance_low: { line: '+4915200000001', balance: '2.50', currency: 'EUR' },
  credit_used: { percent: '90', creditLimit: '100.00', currency: 'EUR' },
  roaming_first_use: { line: '+4915200000001', country: 'France' },
  unusual_usage: { line: '+4915200000001', factor: '3.5' },
  spending_cap_reached: { line: '+4915200000001', cap: '20.00', currency: 'EUR' },
  invoice_issued: {
    number: 'INV-2026-000123',
    total: '71.40',
    currency: 'EUR',
    issuedOn: '2026-04-01',
    dueOn: '2026-04-15',
  },
  payment_due: { owed: '71.40', overdue: '71.40', currency: 'EUR', dueOn: '2026-04-15' },
  payment_succeeded: { amount: '71.40', currency: 'EUR' },
  payment_failed: { amount: '71.40', currency: 'EUR' },
  service_suspended: { line: '+4915200000001' },
  service_restored: { line: '+4915200000001' },
  password_reset: {
    resetUrl: 'https://portal.example/reset-password?token=sample-token',
    expiresAt: '2026-04-15T12:30:00Z',
  },
};

export const SAMPLE_COMMON: Readonly<Record<string, string>> = {
  customerName: 'Jane Doe',
  accountNumber: 'A-000123',
  operatorName: 'Demo Telecom',
};
