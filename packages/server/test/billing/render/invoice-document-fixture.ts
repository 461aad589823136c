import type {
  InvoiceDocument,
  InvoiceDocumentLine,
  ItemisedUsage,
  LineTax,
} from '../../../src/billing/invoice-document.js';

/** A 2×2 RGB PNG: small enough to read, real enough for a PDF library to decode. */
export const TINY_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR42mOQ96v8//8/w////+X9KgE1xAfHdqKASwAAAABJRU5ErkJggg==';

/** A locale for each language of the words, with what the fixture's invoice prints in it. */
export const LANGUAGE_CASES = [
  {
    language: 'en',
    locale: 'en-IE',
    title: 'Invoice',
    creditNote: 'Credit note',
    total: '€1,234.56',
    issuedOn: '31 Mar 2026',
    vatRow: ['VAT (VAT19)', '19%', '€55.44', '€10.53'],
    exchangeRate: 'Prices in USD converted at 1 USD = 0.92 EUR (ECB reference rate, 31 Mar 2026)',
    pageOne: 'Page 1 of 1',
  },
  {
    language: 'es',
    locale: 'es-ES',
    title: 'Factura',
    creditNote: 'Nota de crédito',
    total: '1234,56\u00a0€',
    issuedOn: '31 mar 2026',
    vatRow: ['VAT (VAT19)', '19\u00a0%', '55,44\u00a0€', '10,53\u00a0€'],
    exchangeRate: 'Precios en USD convertidos a 1 USD = 0,92 EUR (ECB reference rate, 31 mar 2026)',
    pageOne: 'Página 1 de 1',
  },
  {
    language: 'fr',
    locale: 'fr-FR',
    title: 'Facture',
    creditNote: 'Avoir',
    total: '1\u202f234,56\u00a0€',
    issuedOn: '31 mars 2026',
    vatRow: ['VAT (VAT19)', '19\u00a0%', '55,44\u00a0€', '10,53\u00a0€'],
    exchangeRate: 'Prix en USD convertis au taux de 1 USD = 0,92 EUR (ECB reference rate, 31 mars 2026)',
    pageOne: 'Page 1 sur 1',
  },
  {
    language: 'de',
    locale: 'de-DE',
    title: 'Rechnung',
    creditNote: 'Rechnungskorrektur',
    total: '1.234,56\u00a0€',
    issuedOn: '31.03.2026',
    vatRow: ['VAT (VAT19)', '19\u00a0%', '55,44\u00a0€', '10,53\u00a0€'],
    exchangeRate: 'Preise in USD umgerechnet zu 1 USD = 0,92 EUR (ECB reference rate, 31.03.2026)',
    pageOne: 'Seite 1 von 1',
  },
] as const;

const VAT_19 = { code: 'VAT19', name: 'VAT', ratePercent: '19' } as const;
const VAT_7 = { code: 'VAT7', name: 'VAT reduced', ratePercent: '7' } as const;

/** The tax of a line at 19% or 7%, exact in micro-units (the invoice rounds in its summary). */
function taxAt(rate: typeof VAT_19 | typeof VAT_7, amountMicros: bigint): LineTax {
  return { ...rate, amountMicros: String((amountMicros * BigInt(rate.ratePercent)) / 100n) };
}

function line(
  kind: InvoiceDocumentLine['kind'],
  label: string,
  amountMicros: bigint,
  extra: Partial<InvoiceDocumentLine> = {},
): InvoiceDocumentLine {
  return {
    kind,
    label,
    service: null,
    subscription: null,
    period: null,
    quantity: null,
    unit: null,
    proration: null,
    allowanceUsed: null,
    amountMicros: String(amountMicros),
    taxes: [taxAt(VAT_19, amountMicros)],
    ...extra,
  };
}

const MARCH = { from: '2026-03-01', to: '2026-03-31' } as const;
const MSISDN = '+4915112345678';

/**
 * One line of every kind an invoice has, at two tax rates. 19% lines: 40.00 − 7.74 + 12.34 + 5.00
 * + 0.84 − 5.00 + 10.00 = 55.44 (tax 10.53); 7%: 1,092.14 (tax 76.45). Total 1,234.56.
 */
const INVOICE_LINES: readonly InvoiceDocumentLine[] = [
  line('recurring', 'Business 50', 40_000_000n, { subscription: MSISDN, period: MARCH }),
  line('recurring_credit', 'Business 30', -7_740_000n, {
    subscription: MSISDN,
    period: { from: '2026-03-20', to: '2026-03-31' },
    quantity: '12',
    unit: 'days',
    proration: '12/31',
  }),
  line('usage', 'National', 12_340_000n, {
    service: 'call',
    subscription: MSISDN,
    period: MARCH,
    quantity: '7530',
    unit: 'seconds',
    allowanceUsed: '3600',
  }),
  line('usage', 'EU roaming', 5_000_000n, {
    service: 'data',
    subscription: MSISDN,
    period: MARCH,
    quantity: '1234567890',
    unit: 'bytes',
  }),
  line('late_usage', 'February', 840_000n, {
    service: 'sms',
    subscription: MSISDN,
    period: { from: '2026-02-01', to: '2026-02-28' },
    quantity: '42',
    unit: 'messages',
  }),
  line('discount', 'Loyalty', -5_000_000n),
  line('minimum_commitment', 'Business 50', 10_000_000n, { period: MARCH }),
  line('one_time', 'Router', 1_092_140_000n, { taxes: [taxAt(VAT_7, 1_092_140_000n)] }),
];

export function invoiceDocument(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return {
    kind: 'invoice',
    number: 'INV-2026-000042',
    status: 'finalized',
    language: 'de',
    locale: 'de-DE',
    currency: 'EUR',
    timeZone: 'Europe/Berlin',
    issuedOn: '2026-03-31',
    dueOn: '2026-04-14',
    period: MARCH,
    seller: {
      name: 'Nordlicht Telekom',
      legalName: 'Nordlicht Telekom GmbH',
      address: ['Hauptstraße 5', '10115 Berlin', 'Deutschland'],
      taxId: 'DE123456789',
      registration: 'Amtsgericht Berlin HRB 12345',
      email: 'rechnung@nordlicht.example',
      website: 'https://nordlicht.example',
      bankDetails: 'IBAN DE02 1203 0000 0000 2020 51\nBIC BYLADEM1001',
      logo: { mediaType: 'image/png', base64: TINY_PNG_BASE64 },
    },
    buyer: {
      name: 'Müller & Söhne KG',
      accountNumber: 'ACC-0042',
      address: ['Königsallee 12', '40212 Düsseldorf'],
      taxId: 'DE987654321',
      exemptions: [{ taxCode: 'TELCO-LEVY', certificate: 'EX-2026-0042' }],
    },
    lines: INVOICE_LINES,
    taxSummary: [
      { ...VAT_19, baseMicros: '55440000', amountMicros: '10530000' },
      { ...VAT_7, baseMicros: '1092140000', amountMicros: '76450000' },
    ],
    totals: { netMicros: '1147580000', taxMicros: '86980000', totalMicros: '1234560000' },
    exchangeRates: [
      { from: 'USD', to: 'EUR', rate: '0.92', source: 'ECB reference rate', date: '2026-03-31' },
    ],
    credits: null,
    itemised: null,
    notes: ['Vielen Dank für Ihren Auftrag.'],
    ...overrides,
  };
}

/** A credit note for part of the invoice above: one adjustment line, negative amounts. */
export function creditNoteDocument(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return invoiceDocument({
    kind: 'credit_note',
    number: 'CN-2026-000007',
    dueOn: null,
    period: null,
    lines: [line('adjustment', 'Service outage 12 March', -10_000_000n)],
    taxSummary: [{ ...VAT_19, baseMicros: '-10000000', amountMicros: '-1900000' }],
    totals: { netMicros: '-10000000', taxMicros: '-1900000', totalMicros: '-11900000' },
    exchangeRates: [],
    credits: { invoiceNumber: 'INV-2026-000042', reason: 'Outage' },
    ...overrides,
  });
}

/** `count` calls of one line, a minute apart from 1 March 08:00 UTC, 1:05 each at 0.12. */
export function itemisedCalls(count: number): ItemisedUsage[] {
  const firstMs = Date.UTC(2026, 2, 1, 8, 0, 0);
  return Array.from({ length: count }, (_, index) => ({
    startedAt: new Date(firstMs + index * 60_000).toISOString(),
    subscription: MSISDN,
    destination: `+4930${String(1_000_000 + index)}`,
    service: 'call',
    units: '65',
    unit: 'seconds',
    amountMicros: '120000',
  }));
}
