import type { InvoiceDocumentKind, InvoiceLineKind } from '../invoice-document.js';

/** The languages invoices are worded in; any other is written in English. */
export const INVOICE_LANGUAGES = ['en', 'es', 'fr', 'de'] as const;

export type InvoiceLanguage = (typeof INVOICE_LANGUAGES)[number];

/**
 * What a line of a statement or a receipt records: the balance it starts from, or a ledger
 * movement of the main money bucket, by the ledger transaction's kind (`charge` is usage).
 */
export const BALANCE_MOVEMENTS = [
  'opening_balance',
  'previous_balance',
  'topup',
  'voucher',
  'auto_recharge',
  'adjustment',
  'grant',
  'charge',
  'refund',
  'expiry',
  'reversal',
] as const;

export type BalanceMovement = (typeof BALANCE_MOVEMENTS)[number];

/** The statuses that mark every page, because the document is not (or no longer) a valid one. */
export type WatermarkedStatus = 'preview' | 'draft' | 'void';

export interface ExchangeRateWords {
  readonly from: string;
  readonly to: string;
  /** Already formatted for the locale. */
  readonly rate: string;
  readonly source: string;
  /** Already formatted for the locale. */
  readonly date: string;
}

/**
 * The words of an invoice in one language. Values (money, dates, quantities) arrive formatted:
 * words follow the language, formats follow the locale, so `es` words with `es-MX` formats work.
 */
export interface InvoiceMessages {
  readonly language: InvoiceLanguage;
  readonly title: Readonly<Record<InvoiceDocumentKind, string>>;
  readonly watermark: Readonly<Record<WatermarkedStatus, string>>;
  readonly number: string;
  readonly issueDate: string;
  readonly dueDate: string;
  readonly billingPeriod: string;
  readonly billTo: string;
  readonly account: string;
  readonly taxId: string;
  readonly registration: string;
  readonly description: string;
  readonly period: string;
  readonly quantity: string;
  readonly amount: string;
  readonly tax: string;
  readonly subtotal: string;
  readonly taxTotal: string;
  readonly total: string;
  readonly taxSummary: string;
  readonly rate: string;
  readonly base: string;
  readonly taxAmount: string;
  readonly notes: string;
  readonly paymentDetails: string;
  readonly itemisedTitle: string;
  readonly itemisedStartedAt: string;
  readonly itemisedSubscription: string;
  readonly itemisedDestination: string;
  readonly itemisedService: string;
  /** The well-known services by name; a custom service is printed as it is named. */
  readonly services: Readonly<Record<string, string>>;
  /** The lines of statements and receipts. */
  readonly movements: Readonly<Record<BalanceMovement, string>>;
  /** The last total of a statement (the balance at its end) and of a receipt (after the top-up). */
  readonly closingBalance: string;
  readonly newBalance: string;
  /** "Label: value", with the language's spacing around the colon. */
  labelled(label: string, value: string): string;
  lineText(kind: InvoiceLineKind, label: string, service: string | null): string;
  allowanceUsed(quantity: string): string;
  /** A prorated fee's days, e.g. "12/31 days". */
  days(proration: string): string;
  exchangeRate(words: ExchangeRateWords): string;
  exemption(tax: string, certificate: string): string;
  credits(invoiceNumber: string, reason: string): string;
  /** With `{page}` and `{pages}` placeholders, so that CSS counters can fill them too. */
  readonly pageOfTemplate: string;
}

/**
 * The words' language from the document's language tag: `es-MX` and `es` both take the Spanish
 * words (the region shows in the locale's formats, not in the words); any other language, and a
 * tag that is not one, takes the English words.
 */
export function resolveInvoiceLanguage(languageTag: string): InvoiceLanguage {
  const base = languageTag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return INVOICE_LANGUAGES.find((language) => language === base) ?? 'en';
}

export function invoiceMessages(languageTag: string): InvoiceMessages {
  return MESSAGES[resolveInvoiceLanguage(languageTag)];
}

/** "Page {page} of {pages}" filled in. */
export function pageOf(messages: InvoiceMessages, page: number, pages: number): string {
  return messages.pageOfTemplate.replace('{page}', String(page)).replace('{pages}', String(pages));
}

/**
 * A service's name in the language: the well-known ones are translated, a custom service (named by
 * the operator) is printed as it is.
 */
export function serviceName(messages: InvoiceMessages, service: string): string {
  return Object.hasOwn(messages.services, service) ? (messages.services[service] ?? service) : service;
}

/**
 * A statement's or receipt's line by what it records; a label that names no movement is printed
 * as it is.
 */
export function movementName(messages: InvoiceMessages, label: string): string {
  return Object.hasOwn(messages.movements, label)
    ? (messages.movements[label as BalanceMovement] ?? label)
    : label;
}

/** A line kind's words around its label: "Discount: {label}". */
type LineKindWords = Readonly<Record<Exclude<InvoiceLineKind, 'usage'>, (label: string) => string>>;

function lineText(
  words: LineKindWords,
  colon: string,
  kind: InvoiceLineKind,
  label: string,
  service: string | null,
): string {
  if (kind === 'usage') return service === null ? label : `${service}${colon} ${label}`;
  return words[kind](label);
}

/** French sets a (no-break) space before a colon. */
const FRENCH_COLON = '\u00a0:';

const ENGLISH_LINES: LineKindWords = {
  recurring: (label) => label,
  recurring_credit: (label) => `Credit for unused period: ${label}`,
  one_time: (label) => label,
  late_usage: (label) => `Late usage: ${label}`,
  discount: (label) => `Discount: ${label}`,
  minimum_commitment: (label) => `Minimum commitment top-up: ${label}`,
  adjustment: (label) => `Adjustment: ${label}`,
};

const ENGLISH: InvoiceMessages = {
  language: 'en',
  title: { invoice: 'Invoice', credit_note: 'Credit note', statement: 'Statement', receipt: 'Receipt' },
  watermark: { preview: 'PREVIEW', draft: 'DRAFT', void: 'VOID' },
  number: 'Number',
  issueDate: 'Issue date',
  dueDate: 'Due date',
  billingPeriod: 'Billing period',
  billTo: 'Bill to',
  account: 'Account',
  taxId: 'Tax ID',
  registration: 'Registration',
  description: 'Description',
  period: 'Period',
  quantity: 'Quantity',
  amount: 'Amount',
  tax: 'Tax',
  subtotal: 'Subtotal',
  taxTotal: 'Tax',
  total: 'Total',
  taxSummary: 'Tax summary',
  rate: 'Rate',
  base: 'Base',
  taxAmount: 'Tax amount',
  notes: 'Notes',
  paymentDetails: 'Payment details',
  itemisedTitle: 'Itemised usage',
  itemisedStartedAt: 'Date and time',
  itemisedSubscription: 'Line',
  itemisedDestination: 'Destination',
  itemisedService: 'Service',
  services: { call: 'Calls', sms: 'SMS', mms: 'MMS', data: 'Data' },
  movements: {
    opening_balance: 'Opening balance',
    previous_balance: 'Previous balance',
    topup: 'Top-up',
    voucher: 'Voucher',
    auto_recharge: 'Automatic top-up',
    adjustment: 'Adjustment',
    grant: 'Credit',
    charge: 'Usage',
    refund: 'Refund',
    expiry: 'Expired credit',
    reversal: 'Reversal',
  },
  closingBalance: 'Closing balance',
  newBalance: 'New balance',
  labelled: (label, value) => `${label}: ${value}`,
  lineText: (kind, label, service) => lineText(ENGLISH_LINES, ':', kind, label, service),
  allowanceUsed: (quantity) => `${quantity} from allowance`,
  days: (proration) => `${proration} days`,
  exchangeRate: (w) =>
    `Prices in ${w.from} converted at 1 ${w.from} = ${w.rate} ${w.to} (${w.source}, ${w.date})`,
  exemption: (tax, certificate) => `Exempt from ${tax}: certificate ${certificate}`,
  credits: (invoiceNumber, reason) => `Credits invoice ${invoiceNumber}: ${reason}`,
  pageOfTemplate: 'Page {page} of {pages}',
};

const SPANISH_LINES: LineKindWords = {
  recurring: (label) => label,
  recurring_credit: (label) => `Crédito por periodo no utilizado: ${label}`,
  one_time: (label) => label,
  late_usage: (label) => `Consumo tardío: ${label}`,
  discount: (label) => `Descuento: ${label}`,
  minimum_commitment: (label) => `Complemento hasta el consumo mínimo: ${label}`,
  adjustment: (label) => `Ajuste: ${label}`,
};

const SPANISH: InvoiceMessages = {
  language: 'es',
  title: {
    invoice: 'Factura',
    credit_note: 'Nota de crédito',
    statement: 'Estado de cuenta',
    receipt: 'Recibo',
  },
  // Feminine, as the documents they mark (factura, nota de crédito) are.
  watermark: { preview: 'VISTA PREVIA', draft: 'BORRADOR', void: 'ANULADA' },
  number: 'Número',
  issueDate: 'Fecha de emisión',
  dueDate: 'Fecha de vencimiento',
  billingPeriod: 'Periodo de facturación',
  billTo: 'Facturar a',
  account: 'Cuenta',
  taxId: 'Identificación fiscal',
  registration: 'Registro mercantil',
  description: 'Descripción',
  period: 'Periodo',
  quantity: 'Cantidad',
  amount: 'Importe',
  tax: 'Impuesto',
  subtotal: 'Subtotal',
  taxTotal: 'Impuestos',
  total: 'Total',
  taxSummary: 'Resumen de impuestos',
  rate: 'Tipo',
  base: 'Base imponible',
  taxAmount: 'Importe del impuesto',
  notes: 'Notas',
  paymentDetails: 'Datos de pago',
  itemisedTitle: 'Detalle de consumos',
  itemisedStartedAt: 'Fecha y hora',
  itemisedSubscription: 'Línea',
  itemisedDestination: 'Destino',
  itemisedService: 'Servicio',
  services: { call: 'Llamadas', sms: 'SMS', mms: 'MMS', data: 'Datos' },
  movements: {
    opening_balance: 'Saldo inicial',
    previous_balance: 'Saldo anterior',
    topup: 'Recarga',
    voucher: 'Cupón de recarga',
    auto_recharge: 'Recarga automática',
    adjustment: 'Ajuste',
    grant: 'Abono',
    charge: 'Consumo',
    refund: 'Reembolso',
    expiry: 'Saldo caducado',
    reversal: 'Anulación',
  },
  closingBalance: 'Saldo final',
  newBalance: 'Nuevo saldo',
  labelled: (label, value) => `${label}: ${value}`,
  lineText: (kind, label, service) => lineText(SPANISH_LINES, ':', kind, label, service),
  allowanceUsed: (quantity) => `${quantity} incluidos en el bono`,
  days: (proration) => `${proration} días`,
  exchangeRate: (w) =>
    `Precios en ${w.from} convertidos a 1 ${w.from} = ${w.rate} ${w.to} (${w.source}, ${w.date})`,
  exemption: (tax, certificate) => `Exento de ${tax}: certificado ${certificate}`,
  credits: (invoiceNumber, reason) => `Abona la factura ${invoiceNumber}: ${reason}`,
  pageOfTemplate: 'Página {page} de {pages}',
};

const FRENCH_LINES: LineKindWords = {
  recurring: (label) => label,
  recurring_credit: (label) => `Avoir pour la période non utilisée${FRENCH_COLON} ${label}`,
  one_time: (label) => label,
  late_usage: (label) => `Consommation tardive${FRENCH_COLON} ${label}`,
  discount: (label) => `Remise${FRENCH_COLON} ${label}`,
  minimum_commitment: (label) => `Complément d’engagement minimum${FRENCH_COLON} ${label}`,
  adjustment: (label) => `Ajustement${FRENCH_COLON} ${label}`,
};

const FRENCH: InvoiceMessages = {
  language: 'fr',
  title: { invoice: 'Facture', credit_note: 'Avoir', statement: 'Relevé de compte', receipt: 'Reçu' },
  watermark: { preview: 'APERÇU', draft: 'BROUILLON', void: 'ANNULÉ' },
  number: 'Numéro',
  issueDate: 'Date d’émission',
  dueDate: 'Date d’échéance',
  billingPeriod: 'Période de facturation',
  billTo: 'Facturé à',
  account: 'Compte client',
  taxId: 'Identifiant fiscal',
  registration: 'Immatriculation',
  description: 'Description',
  period: 'Période',
  quantity: 'Quantité',
  amount: 'Montant',
  tax: 'Taxe',
  subtotal: 'Sous-total',
  taxTotal: 'Taxes',
  total: 'Total',
  taxSummary: 'Récapitulatif des taxes',
  rate: 'Taux',
  base: 'Base',
  taxAmount: 'Montant de la taxe',
  notes: 'Remarques',
  paymentDetails: 'Coordonnées bancaires',
  itemisedTitle: 'Détail des consommations',
  itemisedStartedAt: 'Date et heure',
  itemisedSubscription: 'Ligne',
  itemisedDestination: 'Destination',
  itemisedService: 'Service',
  services: { call: 'Appels', sms: 'SMS', mms: 'MMS', data: 'Données' },
  movements: {
    opening_balance: 'Solde initial',
    previous_balance: 'Solde précédent',
    topup: 'Rechargement',
    voucher: 'Coupon de recharge',
    auto_recharge: 'Rechargement automatique',
    adjustment: 'Ajustement',
    grant: 'Crédit',
    charge: 'Consommation',
    refund: 'Remboursement',
    expiry: 'Crédit expiré',
    reversal: 'Annulation',
  },
  closingBalance: 'Solde final',
  newBalance: 'Nouveau solde',
  labelled: (label, value) => `${label}${FRENCH_COLON} ${value}`,
  lineText: (kind, label, service) => lineText(FRENCH_LINES, FRENCH_COLON, kind, label, service),
  allowanceUsed: (quantity) => `${quantity} inclus dans le forfait`,
  days: (proration) => `${proration} jours`,
  exchangeRate: (w) =>
    `Prix en ${w.from} convertis au taux de 1 ${w.from} = ${w.rate} ${w.to} (${w.source}, ${w.date})`,
  exemption: (tax, certificate) => `Exonéré de ${tax}${FRENCH_COLON} certificat ${certificate}`,
  credits: (invoiceNumber, reason) => `Avoir sur la facture ${invoiceNumber}${FRENCH_COLON} ${reason}`,
  pageOfTemplate: 'Page {page} sur {pages}',
};

const GERMAN_LINES: LineKindWords = {
  recurring: (label) => label,
  recurring_credit: (label) => `Gutschrift für nicht genutzten Zeitraum: ${label}`,
  one_time: (label) => label,
  late_usage: (label) => `Nachträgliche Nutzung: ${label}`,
  discount: (label) => `Rabatt: ${label}`,
  minimum_commitment: (label) => `Aufstockung auf den Mindestumsatz: ${label}`,
  adjustment: (label) => `Korrektur: ${label}`,
};

const GERMAN: InvoiceMessages = {
  language: 'de',
  title: {
    invoice: 'Rechnung',
    credit_note: 'Rechnungskorrektur',
    statement: 'Kontoauszug',
    receipt: 'Quittung',
  },
  watermark: { preview: 'VORSCHAU', draft: 'ENTWURF', void: 'STORNIERT' },
  number: 'Nummer',
  issueDate: 'Ausstellungsdatum',
  dueDate: 'Fälligkeitsdatum',
  billingPeriod: 'Abrechnungszeitraum',
  billTo: 'Rechnungsempfänger',
  account: 'Kundennummer',
  taxId: 'Steuernummer',
  registration: 'Handelsregister',
  description: 'Beschreibung',
  period: 'Zeitraum',
  quantity: 'Menge',
  amount: 'Betrag',
  tax: 'Steuer',
  subtotal: 'Zwischensumme',
  taxTotal: 'Steuern',
  total: 'Gesamtbetrag',
  taxSummary: 'Steuerübersicht',
  rate: 'Satz',
  base: 'Bemessungsgrundlage',
  taxAmount: 'Steuerbetrag',
  notes: 'Hinweise',
  paymentDetails: 'Bankverbindung',
  itemisedTitle: 'Einzelverbindungsnachweis',
  itemisedStartedAt: 'Datum und Uhrzeit',
  itemisedSubscription: 'Anschluss',
  itemisedDestination: 'Ziel',
  itemisedService: 'Dienst',
  services: { call: 'Anrufe', sms: 'SMS', mms: 'MMS', data: 'Daten' },
  movements: {
    opening_balance: 'Anfangssaldo',
    previous_balance: 'Bisheriger Saldo',
    topup: 'Aufladung',
    voucher: 'Gutschein',
    auto_recharge: 'Automatische Aufladung',
    adjustment: 'Korrektur',
    grant: 'Gutschrift',
    charge: 'Verbrauch',
    refund: 'Erstattung',
    expiry: 'Verfallenes Guthaben',
    reversal: 'Storno',
  },
  closingBalance: 'Schlusssaldo',
  newBalance: 'Neuer Saldo',
  labelled: (label, value) => `${label}: ${value}`,
  lineText: (kind, label, service) => lineText(GERMAN_LINES, ':', kind, label, service),
  allowanceUsed: (quantity) => `${quantity} aus dem Inklusivvolumen`,
  days: (proration) => `${proration} Tage`,
  exchangeRate: (w) =>
    `Preise in ${w.from} umgerechnet zu 1 ${w.from} = ${w.rate} ${w.to} (${w.source}, ${w.date})`,
  exemption: (tax, certificate) => `Befreit von ${tax}: Bescheinigung ${certificate}`,
  credits: (invoiceNumber, reason) => `Korrektur der Rechnung ${invoiceNumber}: ${reason}`,
  pageOfTemplate: 'Seite {page} von {pages}',
};

const MESSAGES: Readonly<Record<InvoiceLanguage, InvoiceMessages>> = {
  en: ENGLISH,
  es: SPANISH,
  fr: FRENCH,
  de: GERMAN,
};
