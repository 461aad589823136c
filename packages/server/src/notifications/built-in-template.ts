import { escapeHtml } from '../billing/render/escape-html.js';
import { GERMAN_TEMPLATES } from './built-in-templates-de.js';
import { ENGLISH_TEMPLATES } from './built-in-templates-en.js';
import { SPANISH_TEMPLATES } from './built-in-templates-es.js';
import { FRENCH_TEMPLATES } from './built-in-templates-fr.js';
import type { NotificationLanguage } from './notification-events.js';
import type { NotificationChannel, NotificationEvent } from './notification-tables.js';
import { htmlTemplateOfText } from './template-language.js';

/** One event's wording in one language: an email's subject and body, and the short text of SMS and portal. */
export interface EventWording {
  readonly subject: string;
  /** The email's body between greeting and closing; paragraphs are separated by a blank line. */
  readonly body: string;
  /** SMS and portal: one line, best under 160 characters once filled. */
  readonly short: string;
  /**
   * A button under the body of the HTML email, for a message that exists to be acted on (a
   * password reset): its label, and its target as a template (`{{resetUrl}}`). The text email
   * carries the same address in its body.
   */
  readonly action?: { readonly label: string; readonly url: string };
}

export interface LanguageTemplates {
  readonly greeting: string;
  readonly closing: string;
  readonly events: Readonly<Record<NotificationEvent, EventWording>>;
}

/** A template as stored or built in: the sources with {{placeholders}}. */
export interface TemplateSource {
  readonly subject: string | null;
  readonly bodyText: string;
  readonly bodyHtml: string | null;
}

const BUILT_IN: Readonly<Record<NotificationLanguage, LanguageTemplates>> = {
  en: ENGLISH_TEMPLATES,
  es: SPANISH_TEMPLATES,
  fr: FRENCH_TEMPLATES,
  de: GERMAN_TEMPLATES,
};

/** Tollgate's own template of an event, channel and language (one of the built-in languages). */
export function builtInTemplate(
  event: NotificationEvent,
  channel: NotificationChannel,
  language: NotificationLanguage,
): TemplateSource {
  const templates = BUILT_IN[language];
  const wording = templates.events[event];
  if (channel !== 'email') return { subject: null, bodyText: wording.short, bodyHtml: null };
  const bodyText = `${templates.greeting}\n\n${wording.body}\n\n${templates.closing}\n`;
  const innerHtml =
    wording.action === undefined
      ? htmlTemplateOfText(bodyText)
      : [
          htmlTemplateOfText(`${templates.greeting}\n\n${wording.body}`),
          actionButton(wording.action.label, wording.action.url),
          htmlTemplateOfText(templates.closing),
        ].join('\n');
  return { subject: wording.subject, bodyText, bodyHtml: emailLayout(innerHtml, language) };
}

/**
 * A link styled as a button (inline styles: mail clients drop style sheets). The target is a
 * placeholder, filled HTML-escaped, which is right inside a quoted attribute.
 */
function actionButton(label: string, urlTemplate: string): string {
  return `<p style="margin:24px 0;"><a href="${urlTemplate}" style="display:inline-block;padding:10px 20px;background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold;">${escapeHtml(label)}</a></p>`;
}

/**
 * The HTML around an email's paragraphs: one narrow column with inline styles (mail clients drop
 * style sheets), no images, so nothing is fetched when the message is opened, and no links but
 * the one a message exists for (a password reset's).
 */
export function emailLayout(innerHtml: string, language: string): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${language}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>',
    '<body style="margin:0;padding:24px;background:#f4f5f7;">',
    '<div style="max-width:560px;margin:0 auto;padding:24px;background:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1f2933;">',
    innerHtml,
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
