import { invalid, type UseCaseFailure, unprocessable } from '../outcomes/use-case-failure.js';
import type { TemplateSource } from './built-in-template.js';
import { placeholdersOf, REQUIRED_PLACEHOLDERS } from './notification-events.js';
import type { NotificationChannel, NotificationEvent } from './notification-tables.js';
import { namesIn, parseTemplate } from './template-language.js';

export interface TemplateInput {
  readonly subject?: string | null | undefined;
  readonly bodyText: string;
  readonly bodyHtml?: string | null | undefined;
}

/**
 * A tenant's template, checked before it is stored or previewed: an email has a subject, SMS and
 * portal messages are text only; every part parses; every placeholder is one the event offers
 * (a misspelt name would otherwise reach customers as a gap); an email's bodies place the
 * placeholders the event requires (a password reset's link).
 */
export function checkNotificationTemplate(
  event: NotificationEvent,
  channel: NotificationChannel,
  input: TemplateInput,
): { readonly ok: true; readonly template: TemplateSource } | UseCaseFailure {
  const subject = input.subject ?? null;
  const bodyHtml = input.bodyHtml ?? null;
  if (channel === 'email' && subject === null)
    return invalid('/subject', 'an email template needs a subject');
  if (channel !== 'email' && (subject !== null || bodyHtml !== null))
    return invalid(subject !== null ? '/subject' : '/bodyHtml', `a ${channel} template is text only`);
  const offered = placeholdersOf(event);
  for (const [field, source] of [
    ['/subject', subject],
    ['/bodyText', input.bodyText],
    ['/bodyHtml', bodyHtml],
  ] as const) {
    if (source === null) continue;
    const parsed = parseTemplate(source);
    if (!parsed.ok) return invalid(field, parsed.message);
    const names = namesIn(parsed.parts);
    const unknown = names.filter((name) => !Object.hasOwn(offered, name));
    if (unknown.length > 0)
      return unprocessable(
        field,
        `{{${unknown[0]}}} is not a placeholder of ${event}; it offers ${Object.keys(offered)
          .map((name) => `{{${name}}}`)
          .join(', ')}`,
      );
    const absent =
      channel === 'email' && field !== '/subject'
        ? (REQUIRED_PLACEHOLDERS[event] ?? []).filter((name) => !names.includes(name))
        : [];
    if (absent.length > 0) return unprocessable(field, `a ${event} email must place {{${absent[0]}}}`);
  }
  return { ok: true, template: { subject, bodyText: input.bodyText, bodyHtml } };
}
