import { emailLayout, type TemplateSource } from './built-in-template.js';
import { formatNotificationValues } from './format-notification-values.js';
import { placeholdersOf } from './notification-events.js';
import type { NotificationChannel, NotificationEvent } from './notification-tables.js';
import { fillTemplate, htmlTemplateOfText, parseTemplate } from './template-language.js';

export interface RenderNotificationInput {
  readonly event: NotificationEvent;
  readonly channel: NotificationChannel;
  /** The template: a tenant's, or the built-in one (see resolveNotificationTemplate). */
  readonly template: TemplateSource;
  /** The language the template is written in (the html lang of an email). */
  readonly templateLanguage: string;
  /** The customer's language tag, for numbers, amounts and days. */
  readonly locale: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** customerName, accountNumber, operatorName. */
  readonly common: Readonly<Record<string, string>>;
  readonly currency: string | null;
  readonly timeZone: string;
}

export interface RenderedNotification {
  /** Email only. */
  readonly subject: string | null;
  readonly text: string;
  /** Email only. */
  readonly html: string | null;
  /** Placeholders that had no value (rendered as nothing). */
  readonly missing: readonly string[];
}

export type RenderOutcome =
  | ({ readonly ok: true } & RenderedNotification)
  | { readonly ok: false; readonly field: string; readonly message: string };

/**
 * A message from its template and the event's data, in the customer's locale: placeholders of
 * the event (notification-events.ts) are formatted by kind, then filled in; HTML gets escaped
 * values. A template that does not parse (only possible for one stored before a check) is an
 * outcome, not an exception.
 */
export function renderNotification(input: RenderNotificationInput): RenderOutcome {
  const values = {
    ...formatNotificationValues(placeholdersOf(input.event), input.data, {
      locale: input.locale,
      currency: input.currency,
      timeZone: input.timeZone,
    }),
    ...input.common,
  };
  const missing = new Set<string>();
  const fill = (field: string, source: string, mode: 'text' | 'html') => {
    const parsed = parseTemplate(source);
    if (!parsed.ok) return { ok: false as const, field, message: parsed.message };
    const filled = fillTemplate(parsed.parts, values, mode);
    for (const name of filled.missing) missing.add(name);
    return { ok: true as const, text: filled.text };
  };
  const text = fill('bodyText', input.template.bodyText, 'text');
  if (!text.ok) return text;
  if (input.channel !== 'email')
    return { ok: true, subject: null, text: oneLine(text.text), html: null, missing: [...missing] };
  const subject = fill('subject', input.template.subject ?? '', 'text');
  if (!subject.ok) return subject;
  const htmlSource =
    input.template.bodyHtml ??
    emailLayout(htmlTemplateOfText(input.template.bodyText), input.templateLanguage);
  const html = fill('bodyHtml', htmlSource, 'html');
  if (!html.ok) return html;
  return {
    ok: true,
    subject: oneLine(subject.text),
    text: text.text,
    html: html.text,
    missing: [...missing],
  };
}

/** Subjects and short messages are one line, whatever the values held. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
