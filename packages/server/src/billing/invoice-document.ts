/**
 * An invoice, credit note or statement as its reader sees it: everything the HTML and PDF
 * renderings need, in one JSON-safe value (money as decimal strings of micro-units, days as ISO
 * dates in the account's time zone), stored with the finalised invoice so that it renders the same
 * for ever, whatever changes in the catalog, the customer or the tenant afterwards.
 *
 * Line texts are not stored: a line carries its kind and labels, and the renderer words it in the
 * document's language.
 */
export interface InvoiceDocument {
  readonly kind: InvoiceDocumentKind;
  /** The gapless number (e.g. `INV-2026-000042`); null while a draft or a preview. */
  readonly number: string | null;
  readonly status: 'preview' | 'draft' | 'finalized' | 'paid' | 'void';
  /** The language of the words (en, es, fr, de; others are written in English). */
  readonly language: string;
  /** The BCP 47 locale for Intl number, currency and date formats, e.g. `de-DE`. */
  readonly locale: string;
  /** ISO 4217; every amount of the document is in it. */
  readonly currency: string;
  /** The account's IANA time zone, in which the dates below are days. */
  readonly timeZone: string;
  /** ISO dates (YYYY-MM-DD). */
  readonly issuedOn: string;
  readonly dueOn: string | null;
  /** The billing period, first and last day included; null for a credit note or a receipt. */
  readonly period: DayRange | null;
  readonly seller: InvoiceParty;
  readonly buyer: InvoiceBuyer;
  readonly lines: readonly InvoiceDocumentLine[];
  /** One row per tax rate: the base it applied to and the tax, as rounded on the invoice. */
  readonly taxSummary: readonly TaxSummaryRow[];
  readonly totals: InvoiceTotals;
  /** The exchange rates used to convert prices missing in the invoice currency. */
  readonly exchangeRates: readonly ExchangeRateUsed[];
  /** For a credit note: the invoice it corrects and why. */
  readonly credits: { readonly invoiceNumber: string; readonly reason: string } | null;
  /** The itemised call list, when the account asks for one (at most a bounded number of rows). */
  readonly itemised: readonly ItemisedUsage[] | null;
  /** Free text the operator adds (payment instructions, legal notes), in the document's language. */
  readonly notes: readonly string[];
}

export type InvoiceDocumentKind = 'invoice' | 'credit_note' | 'statement' | 'receipt';

/** Both days included, ISO dates (YYYY-MM-DD). */
export interface DayRange {
  readonly from: string;
  readonly to: string;
}

export interface InvoiceParty {
  readonly name: string;
  readonly legalName: string | null;
  readonly address: readonly string[];
  readonly taxId: string | null;
  readonly registration: string | null;
  readonly email: string | null;
  readonly website: string | null;
  /** Payment details printed at the foot (IBAN, BIC, reference rules). */
  readonly bankDetails: string | null;
  /** The tenant's logo, PNG or JPEG, at most 512 KiB. */
  readonly logo: { readonly mediaType: 'image/png' | 'image/jpeg'; readonly base64: string } | null;
}

export interface InvoiceBuyer {
  readonly name: string;
  readonly accountNumber: string;
  readonly address: readonly string[];
  readonly taxId: string | null;
  /** Taxes the customer is exempt from, with the certificate that proves it. */
  readonly exemptions: readonly { readonly taxCode: string; readonly certificate: string }[];
}

export type InvoiceLineKind =
  /** A recurring fee for a period, charged in advance. */
  | 'recurring'
  /** The unused part of a recurring fee already invoiced (plan change, pause, termination): negative. */
  | 'recurring_credit'
  | 'one_time'
  /** Usage of the period, summarised per service and destination group. */
  | 'usage'
  /** Usage of an earlier, already invoiced period that arrived late, or a rerating difference. */
  | 'late_usage'
  /** Negative. */
  | 'discount'
  /** What is added so the invoice reaches the plan's minimum commitment. */
  | 'minimum_commitment'
  /** A manual correction; on a credit note, the amount credited (negative). */
  | 'adjustment';

export interface InvoiceDocumentLine {
  readonly kind: InvoiceLineKind;
  /** What the line is about: the plan, the fee, the destination group, the discount's name. */
  readonly label: string;
  /** The service of a usage line (call, sms, data, or a custom one). */
  readonly service: string | null;
  /** The line the charge belongs to, as its customer knows it (an MSISDN, a SIP user). */
  readonly subscription: string | null;
  readonly period: DayRange | null;
  /** Units of a usage line, and their unit; days of a prorated fee ('days'). */
  readonly quantity: string | null;
  readonly unit: 'seconds' | 'bytes' | 'messages' | 'units' | 'days' | null;
  /** For a prorated fee: "12/31" (days charged of the days in its fee period). */
  readonly proration: string | null;
  /** Allowance units the usage took before money, in `unit`. */
  readonly allowanceUsed: string | null;
  /** Net amount, rounded to the currency's minor unit, in micro-units (negative for credits). */
  readonly amountMicros: string;
  readonly taxes: readonly LineTax[];
}

export interface LineTax {
  readonly code: string;
  readonly name: string;
  /** Percent, as an exact decimal: "19", "7.5". */
  readonly ratePercent: string;
  readonly amountMicros: string;
}

export interface TaxSummaryRow {
  readonly code: string;
  readonly name: string;
  readonly ratePercent: string;
  readonly baseMicros: string;
  readonly amountMicros: string;
}

export interface InvoiceTotals {
  /** Sum of the lines before discounts of the whole invoice (line discounts are lines). */
  readonly netMicros: string;
  readonly taxMicros: string;
  /** net + tax: what the customer owes (negative on a credit note). */
  readonly totalMicros: string;
}

export interface ExchangeRateUsed {
  readonly from: string;
  readonly to: string;
  /** Units of `to` per unit of `from`, exact decimal. */
  readonly rate: string;
  /** Where the rate comes from (e.g. "ECB reference rate"), and the day it is for. */
  readonly source: string;
  readonly date: string;
}

export interface ItemisedUsage {
  /** ISO instant. */
  readonly startedAt: string;
  readonly subscription: string;
  readonly destination: string;
  readonly service: string;
  readonly units: string;
  readonly unit: 'seconds' | 'bytes' | 'messages' | 'units';
  readonly amountMicros: string;
}
