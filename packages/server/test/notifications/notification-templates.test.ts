import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplate } from '../../src/notifications/built-in-template.js';
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_EVENTS,
  NOTIFICATION_LANGUAGES,
  placeholdersOf,
  SAMPLE_COMMON,
  SAMPLE_DATA,
} from '../../src/notifications/notification-events.js';
import { renderNotification } from '../../src/notifications/render-notification.js';
import { namesIn, parseTemplate } from '../../src/notifications/template-language.js';
import { DATABASE_LABEL } from '../test-database.js';
import { type NotificationsFixture, openNotificationsFixture } from './notifications-fixture.js';

const LOCALES = { en: 'en-GB', es: 'es-ES', fr: 'fr-FR', de: 'de-DE' } as const;

describe('built-in templates', () => {
  const cases = NOTIFICATION_EVENTS.flatMap((event) =>
    NOTIFICATION_LANGUAGES.flatMap((language) =>
      NOTIFICATION_CHANNELS.map((channel) => [event, language, channel] as const),
    ),
  );

  it.each(cases)('%s in %s by %s renders every placeholder', (event, language, channel) => {
    const template = builtInTemplate(event, channel, language);
    for (const source of [template.subject, template.bodyText, template.bodyHtml]) {
      if (source === null) continue;
      const parsed = parseTemplate(source);
      expect(parsed.ok).toBe(true);
      if (parsed.ok)
        for (const name of namesIn(parsed.parts)) expect(Object.keys(placeholdersOf(event))).toContain(name);
    }
    const rendered = renderNotification({
      event,
      channel,
      template,
      templateLanguage: language,
      locale: LOCALES[language],
      data: SAMPLE_DATA[event],
      common: SAMPLE_COMMON,
      currency: 'EUR',
      timeZone: 'Europe/Berlin',
    });
    expect(rendered.ok).toBe(true);
    if (!rendered.ok) return;
    expect(rendered.missing).toEqual([]);
    for (const text of [rendered.subject, rendered.text, rendered.html])
      if (text !== null) expect(text).not.toMatch(/\{\{|\}\}|undefined|NaN/);
    if (channel === 'email') {
      expect(rendered.subject).toBeTruthy();
      expect(rendered.html).toContain(`<html lang="${language}">`);
    } else {
      expect(rendered.subject).toBeNull();
      expect(rendered.text.length).toBeLessThanOrEqual(160);
    }
  });

  it('formats amounts and days in the customer locale, and escapes values in HTML only', () => {
    const render = (locale: string) =>
      renderNotification({
        event: 'invoice_issued',
        channel: 'email',
        template: builtInTemplate('invoice_issued', 'email', 'en'),
        templateLanguage: 'en',
        locale,
        data: { ...SAMPLE_DATA.invoice_issued, number: '<b>INV-1</b>' },
        common: { ...SAMPLE_COMMON, customerName: 'Tom & "Jerry"' },
        currency: 'EUR',
        timeZone: 'Europe/Berlin',
      });
    const de = render('de-DE');
    const us = render('en-US');
    if (!de.ok || !us.ok) throw new Error('did not render');
    expect(de.text.replace(/\s/g, ' ')).toContain('The amount of 71,40 € is due on 15. April 2026');
    expect(us.text).toContain('The amount of €71.40 is due on April 15, 2026');
    expect(us.text).toContain('Hello Tom & "Jerry",');
    expect(us.html).toContain('Hello Tom &amp; &quot;Jerry&quot;,');
    expect(us.html).toContain('&lt;b&gt;INV-1&lt;/b&gt;');
    expect(us.html).not.toContain('<b>INV-1</b>');
  });

  it('refuses template text that is not a placeholder', () => {
    expect(parseTemplate('Hello {{ name }}').ok).toBe(true);
    expect(parseTemplate('Hello {{name.first}}').ok).toBe(false);
    expect(parseTemplate('Hello {{#if x}}').ok).toBe(false);
    expect(parseTemplate('Hello {{').ok).toBe(false);
  });
});

describe(`tenant templates and previews (${DATABASE_LABEL})`, () => {
  let f: NotificationsFixture;
  beforeAll(async () => {
    f = await openNotificationsFixture();
  });
  afterAll(async () => {
    await f.close();
  });
  const admin = (method: 'GET' | 'PUT' | 'DELETE' | 'POST', url: string, payload?: object) =>
    f.call(method, url, payload, f.headers.admin);

  it('shows the built-in template until the tenant sets its own, then uses the tenant one', async () => {
    const url = '/v1/notification-templates/invoice_issued/email/de';
    const builtIn = await admin('GET', url);
    expect(builtIn.json()).toMatchObject({
      origin: 'built_in',
      subject: 'Ihre Rechnung {{number}} über {{total}}',
    });
    expect(builtIn.json().placeholders).toEqual(
      expect.arrayContaining(['customerName', 'number', 'total', 'dueOn']),
    );
    const typo = await admin('PUT', url, { subject: 'Rechnung {{numbr}}', bodyText: 'Hallo' });
    expect(typo.statusCode).toBe(422);
    expect(typo.json().errors[0].field).toBe('/subject');
    expect((await admin('PUT', url, { bodyText: 'ohne Betreff' })).statusCode).toBe(400);
    const set = await admin('PUT', url, {
      subject: 'Neue Rechnung {{number}}: {{total}}',
      bodyText: 'Hallo {{customerName}}, zu zahlen bis {{dueOn}}: {{total}}.',
    });
    expect(set.statusCode).toBe(201);
    expect(set.json()).toMatchObject({ origin: 'tenant', bodyHtml: null });
    expect((await admin('GET', url)).json().origin).toBe('tenant');

    const { accountId, invoiceId } = await f.billedAccount('+4915200000501');
    await f.customerOf(accountId, { email: 'override@customer.example' });
    await f.relayAndSend();
    const mail = f.mail.received.find(
      (m) => m.to !== undefined && JSON.stringify(m.to).includes('override@'),
    );
    const number = (await f.call('GET', `/v1/invoices/${invoiceId}`)).json().number;
    expect(mail?.subject?.replace(/\s/g, ' ')).toBe(`Neue Rechnung ${number}: 71,40 €`);
    expect(mail?.html).toContain('<p>Hallo Jürgen Müller');
    expect(mail?.attachments).toHaveLength(1);

    expect((await admin('DELETE', url)).statusCode).toBe(204);
    expect((await admin('GET', url)).json().origin).toBe('built_in');
    expect((await admin('DELETE', url)).statusCode).toBe(404);
    const audit = await f.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_type', '=', 'notification_template')
      .orderBy('sequence')
      .execute();
    expect(audit.map((entry) => entry.action)).toEqual([
      'notification_template.set',
      'notification_template.deleted',
    ]);
  });

  it('previews with sample data, in a language, a stored or a proposed template', async () => {
    const preview = await f.call('POST', '/v1/notification-templates/preview', {
      event: 'payment_failed',
      channel: 'email',
      language: 'fr',
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ origin: 'built_in', language: 'fr', missing: [] });
    expect(preview.json().subject.replace(/\s/g, ' ')).toBe('Votre paiement de 71,40 € a échoué');
    expect(preview.json().html).toContain('<p>Bonjour Jane Doe,</p>');

    const italian = await f.call('POST', '/v1/notification-templates/preview', {
      event: 'balance_low',
      channel: 'sms',
      language: 'it',
      data: { balance: '1.5' },
    });
    expect(italian.json()).toMatchObject({ language: 'en', subject: null, html: null });
    // English words (no Italian template), Italian numbers.
    expect(italian.json().text.replace(/\s/g, ' ')).toBe(
      'Demo Telecom: your balance is 1,50 €. Top up to keep your service.',
    );

    const proposed = await f.call('POST', '/v1/notification-templates/preview', {
      event: 'service_restored',
      channel: 'portal',
      language: 'de',
      template: { bodyText: 'Leitung {{line}} läuft wieder, {{customerName}}.' },
    });
    expect(proposed.json()).toMatchObject({
      origin: 'request',
      text: 'Leitung +4915200000001 läuft wieder, Jane Doe.',
    });
  });
});
