import { beforeAll, describe, expect, it } from 'vitest';
import { renderInvoicePdf } from '../../../src/billing/render/render-invoice-pdf.js';
import {
  creditNoteDocument,
  invoiceDocument,
  itemisedCalls,
  LANGUAGE_CASES,
} from './invoice-document-fixture.js';
import { normaliseSpaces, readPdfText } from './read-pdf-text.js';

describe('renderInvoicePdf', () => {
  describe.each(LANGUAGE_CASES)('in $locale', (words) => {
    let bytes: Buffer = Buffer.alloc(0);
    beforeAll(async () => {
      bytes = await renderInvoicePdf(invoiceDocument({ language: words.language, locale: words.locale }));
    });

    it('is a one-page PDF with the title, the total and the tax summary', async () => {
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const { pages } = await readPdfText(bytes);
      expect(pages).toHaveLength(1);
      const [page = ''] = pages;
      expect(page).toContain(`${words.title}\n`);
      expect(page).toContain(normaliseSpaces(words.total));
      expect(page).toContain(normaliseSpaces(words.vatRow.join(' ')));
      expect(page).toContain(normaliseSpaces(words.exchangeRate));
      expect(page).toContain(words.pageOne);
      expect(page).toContain('Hauptstraße 5');
      expect(page).toContain('Müller & Söhne KG');
    });

    it('carries the title, author and language in its metadata', async () => {
      const { info } = await readPdfText(bytes);
      expect(info.Title).toBe(`${words.title} INV-2026-000042`);
      expect(info.Author).toBe('Nordlicht Telekom');
      expect(bytes.toString('latin1')).toContain(`/Lang (${words.language})`);
    });
  });

  it('prints accented words of every language', async () => {
    const spanish = await readPdfText(
      await renderInvoicePdf(invoiceDocument({ language: 'es', locale: 'es-ES' })),
    );
    expect(spanish.pages[0]).toContain('Crédito por periodo no utilizado: Business 30');
    const french = await readPdfText(
      await renderInvoicePdf(invoiceDocument({ language: 'fr', locale: 'fr-FR' })),
    );
    expect(french.pages[0]).toContain('Période de facturation');
    expect(french.pages[0]).toContain('Complément d’engagement minimum');
    const german = await readPdfText(await renderInvoicePdf(creditNoteDocument()));
    expect(german.pages[0]).toContain('Rechnungskorrektur\n');
    expect(german.pages[0]).toContain('Korrektur der Rechnung INV-2026-000042: Outage');
    expect(german.pages[0]).toContain(normaliseSpaces('-11,90\u00a0€'));
  });

  it('breaks a long itemised list across pages, with the headers and the page count on each', async () => {
    const doc = invoiceDocument({ language: 'en', locale: 'en-IE', itemised: itemisedCalls(200) });
    const { pages } = await readPdfText(await renderInvoicePdf(doc));
    expect(pages.length).toBeGreaterThanOrEqual(4);
    pages.forEach((page, index) => {
      expect(page).toContain(`Page ${index + 1} of ${pages.length}`);
    });
    expect(pages[0]).not.toMatch(/\+4930\d{7}/);
    const itemisedPages = pages.slice(1);
    for (const page of itemisedPages) {
      expect(page).toContain('Date and time Line Destination Service Quantity Amount');
    }
    const destinations = itemisedPages.join('\n').match(/\+4930\d{7}/g) ?? [];
    expect(destinations).toHaveLength(200);
    expect(new Set(destinations).size).toBe(200);
  });

  it('marks a draft on every page', async () => {
    const doc = invoiceDocument({ status: 'draft', number: null, itemised: itemisedCalls(60) });
    const { pages, info } = await readPdfText(await renderInvoicePdf(doc));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const page of pages) expect(page).toContain('ENTWURF');
    expect(info.Title).toBe('Rechnung (ENTWURF)');
  });

  it('gives the same bytes for the same document', async () => {
    const doc = invoiceDocument({ itemised: itemisedCalls(50) });
    const [first, second] = await Promise.all([renderInvoicePdf(doc), renderInvoicePdf(doc)]);
    expect(first.equals(second)).toBe(true);
  });
});
