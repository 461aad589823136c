import { randomUUID } from 'node:crypto';
import { divideRounded, isoDateOfDay, parseMoney, roundMoneyToMinorUnit, zoneClockFor } from '@tollgate/core';
import type { Kysely, Transaction } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { lockAccountForPayments } from '../payments/lock-account-for-payments.js';
import { releaseCreditedPayments } from '../payments/release-credited-payments.js';
import type { InvoiceDocument, LineTax, TaxSummaryRow } from './invoice-document.js';
import { conflict, type InvoiceFailure, invalid, notFound } from './invoice-failure.js';
import { numberInvoices } from './number-invoices.js';

export interface CreditNoteInput {
  readonly reason: string;
  /** The lines to credit (by position) and how much of each (net, decimal); absent: all that is left. */
  readonly lines?: readonly { readonly position: number; readonly amount?: string }[];
}

export type CreateCreditNoteResult = { readonly ok: true; readonly creditNoteId: string } | InvoiceFailure;

interface CreditedLine {
  readonly position: number;
  readonly label: string;
  readonly taxCategory: string;
  readonly subscriptionId: string | null;
  readonly amountMicros: bigint;
  readonly taxes: readonly LineTax[];
  readonly taxMicros: bigint;
}

/**
 * Corrects a finalised (or paid) invoice with a credit note: a numbered document of its own, in
 * the tenant's credit-note series, that takes back all of the invoice or part of some of its lines,
 * with the taxes those lines carried (in proportion for a part; exactly for a whole line), and
 * says why. The invoice itself never changes; it only counts what its credit notes took back, and
 * nothing can be credited twice.
 */
export async function createCreditNote(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  invoiceId: string,
  input: CreditNoteInput,
  now: Date,
): Promise<CreateCreditNoteResult> {
  if (input.reason.trim().length === 0) return invalid('/reason', 'a credit note needs a reason');
  return db.transaction().execute(async (trx): Promise<CreateCreditNoteResult> => {
    // Payments lock the account before its invoices; a credit note, which may hand payments
    // back as credit, takes the locks in the same order.
    const owner = await trx
      .selectFrom('invoices')
      .select('account_id')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', invoiceId)
      .executeTakeFirst();
    if (owner !== undefined) await lockAccountForPayments(trx, tenantId, owner.account_id);
    const invoice = await trx
      .selectFrom('invoices as i')
      .innerJoin('accounts as a', 'a.id', 'i.account_id')
      .select([
        'i.id',
        'i.status',
        'i.kind',
        'i.number',
        'i.currency',
        'i.language',
        'i.account_id',
        'i.document',
      ])
      .select(['a.time_zone'])
      .where('i.tenant_id', '=', tenantId)
      .where('i.id', '=', invoiceId)
      .forUpdate('i')
      .executeTakeFirst();
    if (invoice === undefined) return notFound(`no invoice ${invoiceId}`);
    if (invoice.kind !== 'invoice' || (invoice.status !== 'finalized' && invoice.status !== 'paid'))
      return conflict(
        `invoice ${invoiceId} is ${invoice.status}: only a finalized or paid invoice takes a credit note`,
      );
    const credited = await creditedLines(trx, invoiceId, invoice.currency, input);
    if (!credited.ok) return credited;
    const lines = credited.lines;
    if (lines.length === 0) return conflict(`invoice ${invoice.number} has nothing left to credit`);
    const netMicros = lines.reduce((sum, l) => sum + l.amountMicros, 0n);
    const taxMicros = lines.reduce((sum, l) => sum + l.taxMicros, 0n);
    const profile = await trx
      .selectFrom('billing_profiles')
      .select(['credit_note_series'])
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    const series = profile?.credit_note_series ?? 'CN';
    const [number] = await numberInvoices(trx, tenantId, series, 1);
    const issuedOn = isoDateOfDay(zoneClockFor(invoice.time_zone).localTime(now.getTime()).dayNumber);
    const id = randomUUID();
    const document: InvoiceDocument = {
      ...invoice.document,
      kind: 'credit_note',
      number: number!.number,
      status: 'finalized',
      issuedOn,
      dueOn: null,
      period: null,
      lines: lines.map((l) => {
        const original = invoice.document.lines[l.position - 1];
        return {
          kind: 'adjustment' as const,
          label: l.label,
          service: original?.service ?? null,
          subscription: original?.subscription ?? null,
          period: original?.period ?? null,
          quantity: null,
          unit: null,
          proration: null,
          allowanceUsed: null,
          amountMicros: String(l.amountMicros),
          taxes: l.taxes,
        };
      }),
      taxSummary: taxSummaryOf(lines),
      totals: {
        netMicros: String(netMicros),
        taxMicros: String(taxMicros),
        totalMicros: String(netMicros + taxMicros),
      },
      credits: { invoiceNumber: invoice.number ?? invoiceId, reason: input.reason },
      itemised: null,
    };
    await trx
      .insertInto('invoices')
      .values({
        id,
        tenant_id: tenantId,
        account_id: invoice.account_id,
        kind: 'credit_note',
        status: 'finalized',
        series,
        sequence: number!.sequence,
        number: number!.number,
        currency: invoice.currency,
        language: invoice.language,
        period_from_day: null,
        period_to_day: null,
        advance_to_day: null,
        net_micros: netMicros,
        tax_micros: taxMicros,
        total_micros: netMicros + taxMicros,
        credits_invoice_id: invoiceId,
        reason: input.reason,
        bill_run_id: null,
        document: JSON.stringify(document),
        issued_on: issuedOn,
        due_on: null,
        finalized_at: now,
        paid_at: null,
        voided_at: null,
        void_reason: null,
      })
      .execute();
    await trx
      .insertInto('invoice_lines')
      .values(
        lines.map((l, index) => ({
          tenant_id: tenantId,
          account_id: invoice.account_id,
          invoice_id: id,
          position: index + 1,
          kind: 'adjustment' as const,
          label: l.label,
          service: null,
          tax_category: l.taxCategory,
          subscription_id: l.subscriptionId,
          plan_id: null,
          plan_version_id: null,
          discount_id: null,
          charge_id: null,
          window_from_day: null,
          window_to_day: null,
          from_day: null,
          to_day: null,
          fee_micros: null,
          quantity: null,
          unit: null,
          allowance_units: null,
          line_key: `credit:${invoiceId}:${l.position}`,
          amount_micros: l.amountMicros,
          tax_micros: l.taxMicros,
          taxes: JSON.stringify(l.taxes),
        })),
      )
      .execute();
    await trx
      .updateTable('invoices')
      .set((eb) => ({ credited_micros: eb('credited_micros', '-', netMicros + taxMicros) }))
      .where('id', '=', invoiceId)
      .execute();
    await releaseCreditedPayments(trx, tenantId, invoice.account_id, invoiceId, now);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'invoice.credited',
      objectType: 'invoice',
      objectId: invoiceId,
      before: null,
      after: {
        creditNote: id,
        number: number!.number,
        totalMicros: String(netMicros + taxMicros),
        reason: input.reason,
      },
      occurredAt: now,
    });
    return { ok: true, creditNoteId: id };
  });
}

type CreditedOutcome = { readonly ok: true; readonly lines: CreditedLine[] } | InvoiceFailure;

/** What each asked line gives back: its net (at most what earlier credit notes left) and its taxes. */
async function creditedLines(
  trx: Transaction<Database>,
  invoiceId: string,
  currency: string,
  input: CreditNoteInput,
): Promise<CreditedOutcome> {
  const lines = await trx
    .selectFrom('invoice_lines')
    .select(['position', 'label', 'tax_category', 'subscription_id', 'amount_micros', 'tax_micros', 'taxes'])
    .where('invoice_id', '=', invoiceId)
    .orderBy('position')
    .execute();
  const earlier = await trx
    .selectFrom('invoice_lines as l')
    .innerJoin('invoices as i', 'i.id', 'l.invoice_id')
    .select(['l.line_key', 'l.amount_micros', 'l.taxes'])
    .where('i.credits_invoice_id', '=', invoiceId)
    .where('i.status', '<>', 'void')
    .execute();
  const takenNet = new Map<number, bigint>();
  /** Per line position and tax code: what earlier credit notes took back. */
  const takenTax = new Map<string, bigint>();
  for (const row of earlier) {
    const position = Number(row.line_key?.split(':')[2]);
    takenNet.set(position, (takenNet.get(position) ?? 0n) - BigInt(row.amount_micros));
    for (const tax of row.taxes) {
      const key = `${position}|${tax.code}|${tax.ratePercent}`;
      takenTax.set(key, (takenTax.get(key) ?? 0n) - BigInt(tax.amountMicros));
    }
  }
  const asked: readonly { readonly position: number; readonly amount?: string }[] =
    input.lines ?? lines.map((l) => ({ position: l.position }));
  const out: CreditedLine[] = [];
  for (const [index, ask] of asked.entries()) {
    const line = lines.find((l) => l.position === ask.position);
    if (line === undefined)
      return invalid(`/lines/${index}/position`, `the invoice has no line ${ask.position}`);
    const amount = BigInt(line.amount_micros);
    if (amount <= 0n) {
      if (input.lines !== undefined)
        return invalid(`/lines/${index}/position`, `line ${ask.position} is a credit already`);
      continue;
    }
    const left = amount - (takenNet.get(line.position) ?? 0n);
    let creditMicros = left;
    if (ask.amount !== undefined) {
      const parsed = parseMoney(ask.amount, currency);
      if (!parsed.ok) return invalid(`/lines/${index}/amount`, parsed.error.message);
      const rounded = roundMoneyToMinorUnit(parsed.value, 'half-up').amountMicros;
      if (rounded !== parsed.value.amountMicros)
        return invalid(`/lines/${index}/amount`, `${ask.amount} has more decimals than ${currency} has`);
      if (rounded <= 0n) return invalid(`/lines/${index}/amount`, 'a credit is more than zero');
      if (rounded > left)
        return invalid(
          `/lines/${index}/amount`,
          `line ${ask.position} has only ${left} micro-units left to credit`,
        );
      creditMicros = rounded;
    }
    if (creditMicros === 0n) continue;
    const wholeLine = creditMicros === left;
    const taxes = line.taxes.map((tax) => {
      const lineTax = BigInt(tax.amountMicros);
      // The whole rest of a line takes back the rest of its tax exactly; a part, in proportion.
      const taken = takenTax.get(`${line.position}|${tax.code}|${tax.ratePercent}`) ?? 0n;
      const share = wholeLine ? lineTax - taken : proportion(lineTax, creditMicros, amount, currency);
      return { ...tax, amountMicros: String(-share) };
    });
    out.push({
      position: line.position,
      label: line.label,
      taxCategory: line.tax_category,
      subscriptionId: line.subscription_id,
      amountMicros: -creditMicros,
      taxes,
      taxMicros: taxes.reduce((sum, t) => sum + BigInt(t.amountMicros), 0n),
    });
  }
  return { ok: true, lines: out };
}

/** tax × part / whole, rounded half-up to the currency's minor unit. */
function proportion(tax: bigint, part: bigint, whole: bigint, currency: string): bigint {
  if (part === 0n) return 0n;
  const exact = divideRounded(tax * part, whole, 'half-up');
  return roundMoneyToMinorUnit({ amountMicros: exact, currency }, 'half-up').amountMicros;
}

function taxSummaryOf(lines: readonly CreditedLine[]): TaxSummaryRow[] {
  const rows = new Map<
    string,
    { code: string; name: string; ratePercent: string; base: bigint; amount: bigint }
  >();
  for (const line of lines)
    for (const tax of line.taxes) {
      const key = `${tax.code}|${tax.ratePercent}`;
      const row = rows.get(key) ?? {
        code: tax.code,
        name: tax.name,
        ratePercent: tax.ratePercent,
        base: 0n,
        amount: 0n,
      };
      row.base += line.amountMicros;
      row.amount += BigInt(tax.amountMicros);
      rows.set(key, row);
    }
  return [...rows.values()].map((r) => ({
    code: r.code,
    name: r.name,
    ratePercent: r.ratePercent,
    baseMicros: String(r.base),
    amountMicros: String(r.amount),
  }));
}
