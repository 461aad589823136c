import { describe, expect, it } from 'vitest';
import { DEFAULT_INVOICE_TEMPLATE } from '../../../src/billing/render/invoice-template.js';
import { renderInvoiceHtml } from '../../../src/billing/render/render-invoice-html.js';
import {
  creditNoteDocument,
  invoiceDocument,
  itemisedCalls,
  LANGUAGE_CASES,
  TINY_PNG_BASE64,
} from './invoice-document-fixture.js';

describe('renderInvoiceHtml', () => {
  describe.each(LANGUAGE_CASES)('in $locale', (words) => {
    const html = renderInvoiceHtml(invoiceDocument({ language: words.language, locale: words.locale }));

    it('is a standalone HTML5 document in the language', () => {
      expect(html.startsWith('<!DOCTYPE html>\n')).toBe(true);
      expect(html).toContain(`<html lang="${words.language}">`);
      expect(html).toContain('<meta charset="utf-8">');
      expect(html).toContain('@page { size: A4;');
      expect(html).toMatch(/<\/html>\n$/);
    });

    it('titles, dates and money follow the language and the locale', () => {
      expect(html).toContain(`<h1>${words.title}</h1>`);
      expect(html).toContain(`<title>${words.title} INV-2026-000042</title>`);
      expect(html).toContain(`<dd>${words.issuedOn}</dd>`);
      expect(html).toContain(`<td class="num">${words.total}</td>`);
    });

    it('prints the tax summary, the exchange rate and the exemption', () => {
      const [name, rate, base, tax] = words.vatRow;
      expect(html).toContain(
        `<tr><td>${name}</td><td class="num">${rate}</td><td class="num">${base}</td><td class="num">${tax}</td></tr>`,
      );
      expect(html).toContain(`<p>${words.exchangeRate}</p>`);
      expect(html).toContain('EX-2026-0042');
    });
  });

  it('formats money for the locale: de-DE, fr-FR, en-US', () => {
    const german = renderInvoiceHtml(invoiceDocument());
    expect(german).toContain('1.234,56\u00a0€');
    const french = renderInvoiceHtml(invoiceDocument({ language: 'fr', locale: 'fr-FR' }));
    expect(french).toContain('1\u202f234,56\u00a0€');
    const american = renderInvoiceHtml(invoiceDocument({ language: 'en', locale: 'en-US', currency: 'USD' }));
    expect(american).toContain('$1,234.56');
    expect(american).toContain('Mar 31, 2026');
  });

  it('words a regional language in its base language with the region formats', () => {
    const mexican = renderInvoiceHtml(
      invoiceDocument({ language: 'es-MX', locale: 'es-MX', currency: 'MXN' }),
    );
    expect(mexican).toContain('<h1>Factura</h1>');
    expect(mexican).toContain('$1,234.56');
    const austrian = renderInvoiceHtml(invoiceDocument({ language: 'de', locale: 'de-AT' }));
    expect(austrian).toContain('<h1>Rechnung</h1>');
    expect(austrian).toContain('31.03.2026');
  });

  it('writes a language it has no words for in English, with that locale formats', () => {
    const italian = renderInvoiceHtml(invoiceDocument({ language: 'it', locale: 'it-IT' }));
    expect(italian).toContain('<h1>Invoice</h1>');
    expect(italian).toContain('1234,56\u00a0€');
  });

  it('words every line kind and quantity', () => {
    const html = renderInvoiceHtml(invoiceDocument({ language: 'en', locale: 'en-IE' }));
    for (const text of [
      'Credit for unused period: Business 30',
      'Calls: National',
      '1:00:00 from allowance',
      '2:05:30',
      'Data: EU roaming',
      '1.23 GB',
      'Late usage: February',
      '<td class="num">42</td>',
      'Discount: Loyalty',
      'Minimum commitment top-up: Business 50',
      '12/31 days',
      '1–31 Mar 2026',
    ]) {
      expect(html).toContain(text);
    }
  });

  it('escapes every text it prints', () => {
    const hostile = '<script>alert(1)</script> & "Co"';
    const html = renderInvoiceHtml(
      invoiceDocument({
        buyer: { ...invoiceDocument().buyer, name: hostile, address: ['<img src=x onerror=alert(2)>'] },
        notes: [hostile],
      }),
      { template: { ...DEFAULT_INVOICE_TEMPLATE, footerText: '</style><b>x</b>' } },
    );
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;');
    expect(html).toContain('&lt;/style&gt;&lt;b&gt;x&lt;/b&gt;');
  });

  it('marks a draft across the page, and puts the mark in place of the number', () => {
    const html = renderInvoiceHtml(invoiceDocument({ status: 'draft', number: null }));
    expect(html).toContain('<div class="watermark" aria-hidden="true">ENTWURF</div>');
    expect(html).toContain('<dt>Nummer</dt><dd>ENTWURF</dd>');
    expect(html).toContain('<title>Rechnung (ENTWURF)</title>');
    const preview = renderInvoiceHtml(invoiceDocument({ status: 'preview', number: null, language: 'en' }));
    expect(preview).toContain('>PREVIEW</div>');
    expect(renderInvoiceHtml(invoiceDocument())).not.toContain('class="watermark"');
  });

  it('prints a credit note with the invoice it credits', () => {
    const html = renderInvoiceHtml(creditNoteDocument());
    expect(html).toContain('<h1>Rechnungskorrektur</h1>');
    expect(html).toContain('Korrektur der Rechnung INV-2026-000042: Outage');
    expect(html).toContain('Korrektur: Service outage 12 March');
    expect(html).toContain('-11,90\u00a0€');
    const english = renderInvoiceHtml(creditNoteDocument({ language: 'en', locale: 'en-IE' }));
    expect(english).toContain('Credits invoice INV-2026-000042: Outage');
  });

  it('embeds the logo and the seller legal details', () => {
    const html = renderInvoiceHtml(invoiceDocument());
    expect(html).toContain(
      `<img class="logo" src="data:image/png;base64,${TINY_PNG_BASE64}" alt="Nordlicht Telekom">`,
    );
    expect(html).toContain('Nordlicht Telekom GmbH<br>Hauptstraße 5');
    expect(html).toContain('Steuernummer: DE123456789');
    expect(html).toContain('Handelsregister: Amtsgericht Berlin HRB 12345');
    expect(html).toContain('<h2>Bankverbindung</h2>');
  });

  it('leaves out a logo whose bytes are not the image they claim to be', () => {
    const seller = {
      ...invoiceDocument().seller,
      logo: { mediaType: 'image/jpeg', base64: TINY_PNG_BASE64 } as const,
    };
    expect(renderInvoiceHtml(invoiceDocument({ seller }))).not.toContain('<img');
  });

  it('prints the itemised list unless the template hides it', () => {
    const doc = invoiceDocument({ itemised: itemisedCalls(200) });
    const html = renderInvoiceHtml(doc);
    const itemised = html.slice(html.indexOf('<section class="table itemised">'));
    expect(itemised).toContain('<h2>Einzelverbindungsnachweis</h2>');
    expect(itemised.match(/<tr><td>/g)).toHaveLength(200);
    expect(itemised).toContain('<td>01.03.2026, 09:00:00</td>');
    const hidden = renderInvoiceHtml(doc, { template: { ...DEFAULT_INVOICE_TEMPLATE, showItemised: false } });
    expect(hidden).not.toContain('Einzelverbindungsnachweis');
    expect(hidden).not.toContain('+49301000000');
  });

  it('takes the accent colour and footer of the template, and refuses a colour that is not #rrggbb', () => {
    const template = { accentColor: '#aa3300', footerText: 'Sitz Berlin', showItemised: true };
    const html = renderInvoiceHtml(invoiceDocument(), { template });
    expect(html).toContain('color: #aa3300;');
    expect(html).toContain('<footer>Sitz Berlin</footer>');
    expect(() =>
      renderInvoiceHtml(invoiceDocument(), {
        template: { ...template, accentColor: 'red;} body{display:none' },
      }),
    ).toThrow(RangeError);
  });
});
