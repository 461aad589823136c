import { isoDateOfDay } from '@tollgate/core';
import type { AccountBill } from './bill-account.js';
import type { InvoiceDocument, ItemisedUsage } from './invoice-document.js';
import type { AccountToBill, TenantBilling } from './load-billing-chunk.js';

export interface DocumentFacts {
  readonly number: string | null;
  readonly status: InvoiceDocument['status'];
  readonly issuedOn: string;
  readonly dueOn: string | null;
  readonly itemised: readonly ItemisedUsage[] | null;
}

/** The language of the words: the customer's language without its region (es-MX -> es). */
export function languageOf(tag: string): string {
  return tag.split('-')[0] ?? 'en';
}

/** A bill as the customer reads it, with the seller and buyer as they are when it is issued. */
export function invoiceDocumentOf(
  account: AccountToBill,
  tenant: TenantBilling,
  bill: AccountBill,
  facts: DocumentFacts,
): InvoiceDocument {
  const profile = tenant.profile;
  return {
    kind: 'invoice',
    number: facts.number,
    status: facts.status,
    language: languageOf(account.customer.language),
    locale: account.customer.language,
    currency: account.currency,
    timeZone: account.timeZone,
    issuedOn: facts.issuedOn,
    dueOn: facts.dueOn,
    period: {
      from: isoDateOfDay(bill.period.period.fromDay),
      to: isoDateOfDay(bill.period.period.toDay - 1),
    },
    seller: {
      name: tenant.name,
      legalName: profile.legalName,
      address: profile.address,
      taxId: profile.taxId,
      registration: profile.registration,
      email: profile.email,
      website: profile.website,
      bankDetails: profile.bankDetails,
      // The logo is the tenant's current one, added when the document is rendered: kept in each
      // invoice it would weigh up to 512 KiB per invoice.
      logo: null,
    },
    buyer: {
      name: account.customer.name,
      accountNumber: account.accountNumber,
      address: account.customer.address,
      taxId: account.customer.taxId,
      exemptions: bill.exemptions,
    },
    lines: bill.lines.map((line) => ({
      kind: line.kind,
      label: line.label,
      service: line.service,
      subscription: line.subscriptionLabel,
      period:
        line.days === null
          ? null
          : { from: isoDateOfDay(line.days.fromDay), to: isoDateOfDay(line.days.toDay - 1) },
      quantity:
        line.quantity === null
          ? line.proration === null
            ? null
            : (line.proration.split('/')[0] ?? null)
          : String(line.quantity),
      unit:
        line.quantity !== null
          ? (line.unit as 'seconds' | 'bytes' | 'messages' | 'units')
          : line.proration !== null
            ? 'days'
            : null,
      proration: line.proration,
      allowanceUsed:
        line.allowanceUnits === null || line.allowanceUnits === 0n ? null : String(line.allowanceUnits),
      amountMicros: String(line.amountMicros),
      taxes: line.taxes.map((tax) => ({
        code: tax.code,
        name: tax.name,
        ratePercent: tax.ratePercent,
        amountMicros: String(tax.amountMicros),
      })),
    })),
    taxSummary: bill.composed.taxSummary.map((row) => ({
      code: row.code,
      name: row.name,
      ratePercent: row.ratePercent,
      baseMicros: String(row.baseMicros),
      amountMicros: String(row.amountMicros),
    })),
    totals: {
      netMicros: String(bill.composed.netMicros),
      taxMicros: String(bill.composed.taxMicros),
      totalMicros: String(bill.composed.totalMicros),
    },
    exchangeRates: bill.exchangeRates,
    credits: null,
    itemised: facts.itemised,
    notes: profile.notes,
  };
}
