import type {
  InvoiceBuyer,
  InvoiceDocument,
  InvoiceDocumentKind,
  InvoiceDocumentLine,
  InvoiceParty,
  ItemisedUsage,
} from '../invoice-document.js';
import { formatInvoiceValues, type InvoiceValueFormats } from './format-invoice-values.js';
import { type InvoiceMessages, invoiceMessages, movementName, serviceName } from './invoice-messages.js';
import type { InvoiceTemplate } from './invoice-template.js';

/**
 * A document as the words and formatted values it prints, in reading order. The HTML and the PDF
 * renderings both lay out this one view, so they cannot disagree on a word or an amount; they
 * differ only in where things go.
 */
export interface InvoiceView {
  /** The document's language tag, for `lang` attributes and the PDF catalog. */
  readonly languageTag: string;
  readonly messages: InvoiceMessages;
  /** "Invoice", "Rechnungskorrektur". */
  readonly title: string;
  /** The title with the number, or with the watermark while there is no number. */
  readonly documentName: string;
  /** "DRAFT", "PREVIEW", "VOID": printed across every page. */
  readonly watermark: string | null;
  readonly logo: InvoiceLogo | null;
  readonly seller: PartyView;
  readonly buyer: PartyView & { readonly heading: string };
  readonly meta: readonly LabelledValue[];
  /** A credit note's reference to the invoice it corrects. */
  readonly credits: string | null;
  readonly lines: TableView;
  readonly taxSummary: TableView | null;
  /** Subtotal, tax, total; the last one is the amount due. */
  readonly totals: readonly LabelledValue[];
  /** Exchange rates and exemptions: the small print the law asks for. */
  readonly fineprint: readonly string[];
  readonly notes: TextBlockView | null;
  readonly bankDetails: TextBlockView | null;
  readonly itemised: TableView | null;
  readonly footerText: string | null;
}

export interface InvoiceLogo {
  readonly mediaType: 'image/png' | 'image/jpeg';
  readonly base64: string;
  readonly bytes: Buffer;
}

export interface PartyView {
  readonly name: string;
  readonly lines: readonly string[];
}

export interface LabelledValue {
  readonly label: string;
  readonly value: string;
}

export interface TextBlockView {
  readonly heading: string;
  readonly paragraphs: readonly string[];
}

export type TableId = 'lines' | 'taxSummary' | 'itemised';

export interface TableView {
  readonly id: TableId;
  readonly heading: string | null;
  readonly columns: readonly ColumnView[];
  readonly rows: readonly (readonly CellView[])[];
}

export interface ColumnView {
  readonly label: string;
  /** Numbers line up at the end of their column. */
  readonly numeric: boolean;
}

export interface CellView {
  readonly text: string;
  /** A second, smaller line: the subscription, the allowance a usage line took. */
  readonly detail: string | null;
}

/** Bounds on what one document prints: the document's producer keeps far below them. */
export const MAX_DOCUMENT_LINES = 10_000;
export const MAX_ITEMISED_ROWS = 50_000;

export function buildInvoiceView(doc: InvoiceDocument, template: InvoiceTemplate): InvoiceView {
  assertBounded(doc);
  const messages = invoiceMessages(doc.language);
  const format = formatInvoiceValues({
    locale: doc.locale,
    currency: doc.currency,
    timeZone: doc.timeZone,
    messages,
  });
  const title = messages.title[doc.kind];
  const watermark = watermarkOf(doc, messages);
  return {
    languageTag: doc.language,
    messages,
    title,
    documentName: documentName(title, doc.number, watermark),
    watermark,
    logo: checkedLogo(doc.seller.logo),
    seller: sellerView(doc.seller, messages),
    buyer: { heading: messages.billTo, ...buyerView(doc.buyer, messages) },
    meta: metaRows(doc, messages, format, watermark),
    credits: doc.credits === null ? null : messages.credits(doc.credits.invoiceNumber, doc.credits.reason),
    lines: linesTable(doc.kind, doc.lines, messages, format),
    taxSummary: taxSummaryTable(doc, messages, format),
    totals: totalRows(doc, messages, format),
    fineprint: [...exchangeRateNotes(doc, messages, format), ...exemptionNotes(doc, messages)],
    notes: doc.notes.length === 0 ? null : { heading: messages.notes, paragraphs: doc.notes },
    bankDetails:
      doc.seller.bankDetails === null
        ? null
        : { heading: messages.paymentDetails, paragraphs: [doc.seller.bankDetails] },
    itemised:
      template.showItemised && doc.itemised !== null && doc.itemised.length > 0
        ? itemisedTable(doc.itemised, messages, format)
        : null,
    footerText: template.footerText,
  };
}

/** A statement has no number and is no draft: its title alone names it. */
function documentName(title: string, number: string | null, watermark: string | null): string {
  if (number !== null) return `${title} ${number}`;
  return watermark === null ? title : `${title} (${watermark})`;
}

/**
 * Statements and receipts are about a balance, not a sum owed: their lines start from the
 * balance before and add the movements, so their one total is the balance they end on (they
 * carry no tax, see billing/statements).
 */
function totalRows(doc: InvoiceDocument, messages: InvoiceMessages, format: InvoiceValueFormats) {
  const total = format.money(doc.totals.totalMicros);
  if (doc.kind === 'statement') return [{ label: messages.closingBalance, value: total }];
  if (doc.kind === 'receipt') return [{ label: messages.newBalance, value: total }];
  return [
    { label: messages.subtotal, value: format.money(doc.totals.netMicros) },
    { label: messages.taxTotal, value: format.money(doc.totals.taxMicros) },
    { label: messages.total, value: total },
  ];
}

function assertBounded(doc: InvoiceDocument): void {
  if (doc.lines.length > MAX_DOCUMENT_LINES) {
    throw new RangeError(`a document prints at most ${MAX_DOCUMENT_LINES} lines, got ${doc.lines.length}`);
  }
  if (doc.itemised !== null && doc.itemised.length > MAX_ITEMISED_ROWS) {
    throw new RangeError(
      `an itemised list prints at most ${MAX_ITEMISED_ROWS} rows, got ${doc.itemised.length}`,
    );
  }
}

/** A finalised or paid document has a number and no mark; the others must not pass for one. */
function watermarkOf(doc: InvoiceDocument, messages: InvoiceMessages): string | null {
  if (doc.status === 'preview' || doc.status === 'draft' || doc.status === 'void') {
    return messages.watermark[doc.status];
  }
  return null;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);

/**
 * The logo only when its bytes are the image its media type says. The logo is checked when the
 * tenant uploads it; a stored document whose logo is damaged still prints, without the logo,
 * because the invoice is what the customer must receive.
 */
function checkedLogo(logo: InvoiceParty['logo']): InvoiceLogo | null {
  if (logo === null || !BASE64.test(logo.base64)) return null;
  const bytes = Buffer.from(logo.base64, 'base64');
  const signature = logo.mediaType === 'image/png' ? PNG_SIGNATURE : JPEG_SIGNATURE;
  if (!bytes.subarray(0, signature.length).equals(signature)) return null;
  return { mediaType: logo.mediaType, base64: logo.base64, bytes };
}

function sellerView(seller: InvoiceParty, messages: InvoiceMessages): PartyView {
  return {
    name: seller.name,
    lines: present([
      seller.legalName === seller.name ? null : seller.legalName,
      ...seller.address,
      seller.taxId === null ? null : messages.labelled(messages.taxId, seller.taxId),
      seller.registration === null ? null : messages.labelled(messages.registration, seller.registration),
      seller.email,
      seller.website,
    ]),
  };
}

function buyerView(buyer: InvoiceBuyer, messages: InvoiceMessages): PartyView {
  return {
    name: buyer.name,
    lines: present([
      ...buyer.address,
      buyer.taxId === null ? null : messages.labelled(messages.taxId, buyer.taxId),
    ]),
  };
}

function metaRows(
  doc: InvoiceDocument,
  messages: InvoiceMessages,
  format: InvoiceValueFormats,
  watermark: string | null,
): LabelledValue[] {
  const rows: LabelledValue[] = [];
  // A statement has no number (its account and period name it), and prints no empty one.
  const number = doc.number ?? watermark;
  if (number !== null) rows.push({ label: messages.number, value: number });
  rows.push({ label: messages.issueDate, value: format.date(doc.issuedOn) });
  if (doc.dueOn !== null) rows.push({ label: messages.dueDate, value: format.date(doc.dueOn) });
  if (doc.period !== null) rows.push({ label: messages.billingPeriod, value: format.dayRange(doc.period) });
  rows.push({ label: messages.account, value: doc.buyer.accountNumber });
  return rows;
}

function linesTable(
  kind: InvoiceDocumentKind,
  lines: readonly InvoiceDocumentLine[],
  messages: InvoiceMessages,
  format: InvoiceValueFormats,
): TableView {
  return {
    id: 'lines',
    heading: null,
    columns: [
      { label: messages.description, numeric: false },
      { label: messages.period, numeric: false },
      { label: messages.quantity, numeric: true },
      { label: messages.tax, numeric: false },
      { label: messages.amount, numeric: true },
    ],
    rows: lines.map((line) => [
      { text: lineDescription(kind, line, messages), detail: lineDetail(line, messages, format) },
      cell(line.period === null ? '' : format.dayRange(line.period)),
      cell(lineQuantity(line, format)),
      cell(line.taxes.map((tax) => tax.code).join(', ')),
      cell(format.money(line.amountMicros)),
    ]),
  };
}

function lineDescription(
  kind: InvoiceDocumentKind,
  line: InvoiceDocumentLine,
  messages: InvoiceMessages,
): string {
  // A statement's or receipt's line is a movement of the balance, not a correction of a bill.
  if ((kind === 'statement' || kind === 'receipt') && line.kind === 'adjustment')
    return movementName(messages, line.label);
  const service = line.service === null ? null : serviceName(messages, line.service);
  return messages.lineText(line.kind, line.label, service);
}

function lineDetail(line: InvoiceDocumentLine, messages: InvoiceMessages, format: InvoiceValueFormats) {
  const allowance =
    line.allowanceUsed === null || line.unit === null
      ? null
      : messages.allowanceUsed(format.quantity(line.allowanceUsed, line.unit));
  const parts = present([line.subscription, allowance]);
  return parts.length === 0 ? null : parts.join(' · ');
}

/** A proration is a prorated fee's days: "12/31 days". */
function lineQuantity(line: InvoiceDocumentLine, format: InvoiceValueFormats): string {
  if (line.proration !== null) return format.quantity(line.quantity ?? '0', 'days', line.proration);
  return line.quantity === null ? '' : format.quantity(line.quantity, line.unit);
}

function taxSummaryTable(
  doc: InvoiceDocument,
  messages: InvoiceMessages,
  format: InvoiceValueFormats,
): TableView | null {
  if (doc.taxSummary.length === 0) return null;
  return {
    id: 'taxSummary',
    heading: messages.taxSummary,
    columns: [
      { label: messages.tax, numeric: false },
      { label: messages.rate, numeric: true },
      { label: messages.base, numeric: true },
      { label: messages.taxAmount, numeric: true },
    ],
    rows: doc.taxSummary.map((row) => [
      cell(row.name === row.code ? row.name : `${row.name} (${row.code})`),
      cell(format.percent(row.ratePercent)),
      cell(format.money(row.baseMicros)),
      cell(format.money(row.amountMicros)),
    ]),
  };
}

function exchangeRateNotes(doc: InvoiceDocument, messages: InvoiceMessages, format: InvoiceValueFormats) {
  return doc.exchangeRates.map((rate) =>
    messages.exchangeRate({
      from: rate.from,
      to: rate.to,
      rate: format.decimal(rate.rate),
      source: rate.source,
      date: format.date(rate.date),
    }),
  );
}

/** An exemption names the tax as the invoice does wherever the invoice names it. */
function exemptionNotes(doc: InvoiceDocument, messages: InvoiceMessages): string[] {
  const names = new Map<string, string>();
  for (const line of doc.lines) for (const tax of line.taxes) names.set(tax.code, tax.name);
  for (const row of doc.taxSummary) names.set(row.code, row.name);
  return doc.buyer.exemptions.map((exemption) =>
    messages.exemption(names.get(exemption.taxCode) ?? exemption.taxCode, exemption.certificate),
  );
}

function itemisedTable(
  rows: readonly ItemisedUsage[],
  messages: InvoiceMessages,
  format: InvoiceValueFormats,
): TableView {
  return {
    id: 'itemised',
    heading: messages.itemisedTitle,
    columns: [
      { label: messages.itemisedStartedAt, numeric: false },
      { label: messages.itemisedSubscription, numeric: false },
      { label: messages.itemisedDestination, numeric: false },
      { label: messages.itemisedService, numeric: false },
      { label: messages.quantity, numeric: true },
      { label: messages.amount, numeric: true },
    ],
    rows: rows.map((row) => [
      cell(format.instant(row.startedAt)),
      cell(row.subscription),
      cell(row.destination),
      cell(serviceName(messages, row.service)),
      cell(format.quantity(row.units, row.unit)),
      cell(format.money(row.amountMicros)),
    ]),
  };
}

function cell(text: string): CellView {
  return { text, detail: null };
}

function present(values: readonly (string | null)[]): string[] {
  return values.filter((value): value is string => value !== null && value.length > 0);
}
