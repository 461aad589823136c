import { isoDateOfDay } from '@tollgate/core';
import type { Kysely, Selectable } from 'kysely';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import type { Database } from '../db/database-schema.js';
import { type KeysetPosition, keysetPage } from '../db/keyset-page.js';
import type { InvoiceDetailView, InvoiceView } from './billing-schemas.js';
import type { InvoiceLineTable, InvoiceTable } from './billing-tables.js';
import { invoiceOutstandingMicros } from './invoice-outstanding.js';

export interface InvoiceFilters {
  readonly accountId?: string | undefined;
  readonly status?: InvoiceTable['status'] | undefined;
  readonly kind?: InvoiceTable['kind'] | undefined;
  readonly billRunId?: string | undefined;
}

/** A page of a tenant's invoices and credit notes in creation order (see keysetPage). */
export async function listInvoices(
  db: Kysely<Database>,
  tenantId: string,
  filters: InvoiceFilters,
  page: { readonly limit: number; readonly after: KeysetPosition | null; readonly order: 'asc' | 'desc' },
): Promise<Selectable<InvoiceTable>[]> {
  const query = db
    .selectFrom('invoices')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .$if(filters.accountId !== undefined, (q) => q.where('account_id', '=', filters.accountId!))
    .$if(filters.status !== undefined, (q) => q.where('status', '=', filters.status!))
    .$if(filters.kind !== undefined, (q) => q.where('kind', '=', filters.kind!))
    .$if(filters.billRunId !== undefined, (q) => q.where('bill_run_id', '=', filters.billRunId!));
  return keysetPage(query, page.after, page.order, page.limit).execute();
}

export async function findInvoice(
  db: Kysely<Database>,
  tenantId: string,
  invoiceId: string,
): Promise<Selectable<InvoiceTable> | undefined> {
  return db
    .selectFrom('invoices')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', invoiceId)
    .executeTakeFirst();
}

function decimal(micros: bigint, currency: string): string {
  return formatMoneyAmount(micros, currency);
}

function lastDayOf(toDay: number | null): string | null {
  return toDay === null ? null : isoDateOfDay(toDay - 1);
}

export function invoiceView(row: Selectable<InvoiceTable>): InvoiceView {
  return {
    id: row.id,
    accountId: row.account_id,
    kind: row.kind,
    status: row.status,
    number: row.number,
    currency: row.currency,
    language: row.language,
    periodFrom: row.period_from_day === null ? null : isoDateOfDay(row.period_from_day),
    periodTo: lastDayOf(row.period_to_day),
    issuedOn: row.issued_on,
    dueOn: row.due_on,
    net: decimal(BigInt(row.net_micros), row.currency),
    tax: decimal(BigInt(row.tax_micros), row.currency),
    total: decimal(BigInt(row.total_micros), row.currency),
    credited: decimal(BigInt(row.credited_micros), row.currency),
    paid: decimal(BigInt(row.paid_micros), row.currency),
    amountDue: decimal(invoiceOutstandingMicros(row), row.currency),
    creditsInvoiceId: row.credits_invoice_id,
    reason: row.reason ?? row.void_reason,
    billRunId: row.bill_run_id,
    createdAt: row.created_at.toISOString(),
    finalizedAt: row.finalized_at?.toISOString() ?? null,
    paidAt: row.paid_at?.toISOString() ?? null,
    voidedAt: row.voided_at?.toISOString() ?? null,
  };
}

/** An invoice with its lines, tax summary and exchange rates, as stored. */
export async function invoiceDetail(
  db: Kysely<Database>,
  row: Selectable<InvoiceTable>,
): Promise<InvoiceDetailView> {
  const lines = await db
    .selectFrom('invoice_lines')
    .selectAll()
    .where('invoice_id', '=', row.id)
    .orderBy('position')
    .execute();
  return {
    ...invoiceView(row),
    lines: lines.map((line) => invoiceLineView(row, line)),
    taxSummary: row.document.taxSummary.map((t) => ({ ...t })),
    exchangeRates: row.document.exchangeRates.map((r) => ({ ...r })),
  };
}

function invoiceLineView(invoice: Selectable<InvoiceTable>, line: Selectable<InvoiceLineTable>) {
  const isUsage = line.kind === 'usage' || line.kind === 'late_usage';
  return {
    position: line.position,
    kind: line.kind,
    label: line.label,
    service: line.service,
    taxCategory: line.tax_category,
    subscriptionId: line.subscription_id,
    planId: line.plan_id,
    discountId: line.discount_id,
    periodFrom: line.from_day === null ? null : isoDateOfDay(line.from_day),
    periodTo: lastDayOf(line.to_day),
    quantity: line.quantity === null ? null : String(line.quantity),
    unit: line.unit,
    allowanceUnits: line.allowance_units === null ? null : String(line.allowance_units),
    amount: decimal(BigInt(line.amount_micros), invoice.currency),
    amountMicros: String(line.amount_micros),
    tax: decimal(BigInt(line.tax_micros), invoice.currency),
    taxes: line.taxes.map((t) => ({ ...t })),
    usageRecords: isUsage ? `/v1/invoices/${invoice.id}/lines/${line.position}/usage` : null,
  };
}

/** The rated records a usage line of an invoice summarises: the trace from a bill to its usage. */
export async function usageOfInvoiceLine(
  db: Kysely<Database>,
  tenantId: string,
  invoiceId: string,
  position: number,
  page: { readonly limit: number; readonly afterId: bigint | null },
): Promise<{ readonly found: boolean; readonly ids: bigint[] }> {
  const line = await db
    .selectFrom('invoice_lines')
    .select(['line_key', 'kind'])
    .where('tenant_id', '=', tenantId)
    .where('invoice_id', '=', invoiceId)
    .where('position', '=', position)
    .executeTakeFirst();
  if (line === undefined || line.line_key === null || (line.kind !== 'usage' && line.kind !== 'late_usage'))
    return { found: false, ids: [] };
  const rows = await db
    .selectFrom('invoiced_usage')
    .select('rated_usage_id')
    .where('invoice_id', '=', invoiceId)
    .where('usage_key', '=', line.line_key)
    .$if(page.afterId !== null, (q) => q.where('rated_usage_id', '>', page.afterId!))
    .orderBy('rated_usage_id')
    .limit(page.limit)
    .execute();
  return { found: true, ids: rows.map((r) => BigInt(r.rated_usage_id)) };
}
