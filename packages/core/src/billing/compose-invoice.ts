import { getCurrency } from '../money/currency.js';
import { parseDecimal, pow10 } from '../money/decimal.js';
import { allocateMoney, MICROS_SCALE, roundMoneyToMinorUnit } from '../money/money.js';
import { divideRounded } from '../money/rounding-mode.js';
import { fail, ok, type Result } from '../result.js';
import { computeInvoiceTaxes, type TaxComponent, type TaxRounding } from './taxes.js';

/** What an invoice line is, as billing writes it (the renderer words each kind). */
export type BillingLineKind =
  | 'recurring'
  | 'recurring_credit'
  | 'one_time'
  | 'usage'
  | 'late_usage'
  | 'discount'
  | 'minimum_commitment'
  | 'adjustment';

/** A charge or credit before rounding, discounts and taxes. `ref` is the caller's handle on it. */
export interface ChargeLine {
  readonly ref: string;
  readonly kind: BillingLineKind;
  readonly label: string;
  readonly taxCategory: string;
  /** Exact micro-units (usage sums keep every micro-unit until the line rounds them once). */
  readonly amountMicros: bigint;
  readonly subscriptionId: string | null;
  readonly planId: string | null;
  readonly service: string | null;
}

/** A discount in force on this invoice (the caller has checked its dates and remaining cycles). */
export interface DiscountRule {
  readonly id: string;
  readonly name: string;
  readonly kind: 'percent' | 'fixed';
  /** Exact decimal percent for `percent` ("10", "12.5"). */
  readonly percent: string | null;
  /** For `fixed`: at most this much, in the invoice currency. */
  readonly amountMicros: bigint | null;
  /** invoice: every charge; plan / subscription / service: the lines of that plan, line or service. */
  readonly target: 'invoice' | 'plan' | 'service' | 'subscription';
  readonly targetId: string | null;
}

/** A line's minimum spend on usage for the period, already prorated to the days it was billable. */
export interface Commitment {
  readonly subscriptionId: string;
  readonly planId: string;
  readonly label: string;
  readonly minimumMicros: bigint;
}

export interface ComposeInvoiceInput {
  readonly currency: string;
  readonly lines: readonly ChargeLine[];
  readonly discounts: readonly DiscountRule[];
  readonly commitments: readonly Commitment[];
  /** The taxes that apply to a line of this category (exemptions already taken out). */
  readonly taxComponents: (taxCategory: string) => readonly TaxComponent[];
  readonly pricesIncludeTax: boolean;
  readonly taxRounding: TaxRounding;
}

export interface ComposedTax {
  readonly code: string;
  readonly name: string;
  readonly ratePercent: string;
  readonly amountMicros: bigint;
}

export interface ComposedLine extends ChargeLine {
  /** Net, rounded to the currency's minor unit. */
  readonly amountMicros: bigint;
  readonly discountId: string | null;
  readonly taxes: readonly ComposedTax[];
  readonly taxMicros: bigint;
}

export interface ComposedTaxRow {
  readonly code: string;
  readonly name: string;
  readonly ratePercent: string;
  readonly baseMicros: bigint;
  readonly amountMicros: bigint;
}

export interface ComposedInvoice {
  readonly lines: readonly ComposedLine[];
  readonly taxSummary: readonly ComposedTaxRow[];
  readonly netMicros: bigint;
  readonly taxMicros: bigint;
  readonly totalMicros: bigint;
}

/** Lines and discounts an invoice may hold: far beyond any real bill, a guard against runaway input. */
const MAX_LINES = 100_000;
const MAX_DISCOUNTS = 100;

/**
 * Turns an account's charges for one bill into the invoice: every line rounded once to the
 * currency's minor unit (half away from zero, so a credit mirrors its charge); minimum
 * commitments topped up; discounts on plans, lines and services, then on the whole invoice (each
 * split across the tax categories of what it reduces, so it lowers the right tax); then taxes by
 * the tenant's rules and rounding. The total is the sum of the rounded lines and the taxes, so
 * what the customer reads adds up to the cent.
 */
export function composeInvoice(input: ComposeInvoiceInput): Result<ComposedInvoice> {
  if (input.lines.length > MAX_LINES)
    return fail('too_many_lines', `an invoice holds at most ${MAX_LINES} lines`);
  if (input.discounts.length > MAX_DISCOUNTS)
    return fail('too_many_discounts', `an invoice applies at most ${MAX_DISCOUNTS} discounts`);
  const rounded = input.lines
    .map((line) => ({ ...line, amountMicros: roundToMinorUnit(line.amountMicros, input.currency) }))
    .filter((line) => line.amountMicros !== 0n || line.kind === 'usage' || line.kind === 'late_usage');
  const charged = [...rounded, ...commitmentLines(input.commitments, rounded, input.currency)];
  const discounted = applyDiscounts(input, charged);
  if (!discounted.ok) return discounted;
  const all = discounted.value;
  const taxed = computeInvoiceTaxes({
    currency: input.currency,
    pricesIncludeTax: input.pricesIncludeTax,
    rounding: input.taxRounding,
    roundingMode: 'half-up',
    lines: all.map((line, index) => ({
      key: String(index),
      amountMicros: line.amountMicros,
      components: input.taxComponents(line.taxCategory),
    })),
  });
  if (!taxed.ok) return taxed;
  const lines: ComposedLine[] = all.map((line, index) => {
    const taxedLine = taxed.value.lines[index];
    if (taxedLine === undefined || taxedLine.key !== String(index)) throw new Error('tax lines out of order');
    const taxes = taxedLine.taxes.map((tax) => ({
      code: tax.code,
      name: tax.name,
      ratePercent: tax.ratePercent,
      amountMicros: tax.amountMicros,
    }));
    return {
      ...line,
      amountMicros: taxedLine.netMicros,
      taxes,
      taxMicros: taxes.reduce((sum, tax) => sum + tax.amountMicros, 0n),
    };
  });
  const netMicros = lines.reduce((sum, line) => sum + line.amountMicros, 0n);
  const taxMicros = taxed.value.totals.taxMicros;
  return ok({
    lines,
    taxSummary: taxed.value.summary.map((row) => ({
      code: row.code,
      name: row.name,
      ratePercent: row.ratePercent,
      baseMicros: row.baseMicros,
      amountMicros: row.amountMicros,
    })),
    netMicros,
    taxMicros,
    totalMicros: netMicros + taxMicros,
  });
}

function roundToMinorUnit(amountMicros: bigint, currency: string): bigint {
  return roundMoneyToMinorUnit({ amountMicros, currency }, 'half-up').amountMicros;
}

type DiscountedLine = ChargeLine & { readonly discountId: string | null };

/**
 * What a line must still spend: a commitment less the line's usage of the period (late usage of
 * earlier periods does not count towards this one).
 */
function commitmentLines(
  commitments: readonly Commitment[],
  lines: readonly ChargeLine[],
  currency: string,
): ChargeLine[] {
  const out: ChargeLine[] = [];
  for (const commitment of commitments) {
    const usage = lines
      .filter((line) => line.kind === 'usage' && line.subscriptionId === commitment.subscriptionId)
      .reduce((sum, line) => sum + line.amountMicros, 0n);
    const minimum = roundToMinorUnit(commitment.minimumMicros, currency);
    if (usage >= minimum) continue;
    out.push({
      ref: `commitment:${commitment.subscriptionId}:${commitment.planId}`,
      kind: 'minimum_commitment',
      label: commitment.label,
      taxCategory: 'recurring',
      amountMicros: minimum - usage,
      subscriptionId: commitment.subscriptionId,
      planId: commitment.planId,
      service: null,
    });
  }
  return out;
}

function applyDiscounts(input: ComposeInvoiceInput, lines: readonly ChargeLine[]): Result<DiscountedLine[]> {
  const out: DiscountedLine[] = lines.map((line) => ({ ...line, discountId: null }));
  // Discounts on a part of the bill first; a discount on the whole invoice then takes its share
  // of what is left, so the two never discount the same money twice.
  const ordered = [
    ...input.discounts.filter((d) => d.target !== 'invoice'),
    ...input.discounts.filter((d) => d.target === 'invoice'),
  ];
  for (const discount of ordered) {
    const base = out.filter((line) => isDiscounted(discount, line));
    const lineDiscounts = discountLines(discount, base, input.currency);
    if (!lineDiscounts.ok) return lineDiscounts;
    out.push(...lineDiscounts.value);
  }
  return ok(out);
}

function isDiscounted(discount: DiscountRule, line: DiscountedLine): boolean {
  if (line.kind === 'discount') return discount.target === 'invoice';
  switch (discount.target) {
    case 'invoice':
      return true;
    case 'plan':
      return (
        line.planId === discount.targetId && (line.kind === 'recurring' || line.kind === 'recurring_credit')
      );
    case 'subscription':
      return line.subscriptionId === discount.targetId;
    case 'service':
      return line.service === discount.targetId && (line.kind === 'usage' || line.kind === 'late_usage');
  }
}

/**
 * One discount as lines, one per tax category of what it reduces (in proportion to each
 * category's share), so a discount on calls and data lowers each tax by its own rate. A discount
 * never takes more than the lines it applies to, and never applies to a credit.
 */
function discountLines(
  discount: DiscountRule,
  base: readonly DiscountedLine[],
  currency: string,
): Result<DiscountedLine[]> {
  const byCategory = new Map<string, bigint>();
  for (const line of base)
    byCategory.set(line.taxCategory, (byCategory.get(line.taxCategory) ?? 0n) + line.amountMicros);
  const categories = [...byCategory].filter(([, amount]) => amount > 0n);
  const total = categories.reduce((sum, [, amount]) => sum + amount, 0n);
  if (total <= 0n) return ok([]);
  const amount = discountAmount(discount, total, currency);
  if (!amount.ok) return amount;
  if (amount.value === 0n) return ok([]);
  const shares = splitInMinorUnits(
    amount.value,
    categories.map(([, weight]) => weight),
    currency,
  );
  const first = base[0];
  return ok(
    categories.map(([taxCategory], index) => ({
      ref: `discount:${discount.id}:${taxCategory}`,
      kind: 'discount' as const,
      label: discount.name,
      taxCategory,
      amountMicros: -(shares[index] ?? 0n),
      subscriptionId: discount.target === 'subscription' ? discount.targetId : null,
      planId: discount.target === 'plan' ? discount.targetId : null,
      service: discount.target === 'service' ? (first?.service ?? null) : null,
      discountId: discount.id,
    })),
  );
}

function discountAmount(discount: DiscountRule, baseMicros: bigint, currency: string): Result<bigint> {
  if (discount.kind === 'fixed') {
    const fixed = discount.amountMicros ?? 0n;
    return ok(roundToMinorUnit(fixed < baseMicros ? fixed : baseMicros, currency));
  }
  const percent = parseDecimal(discount.percent ?? '');
  if (!percent.ok)
    return fail(
      'invalid_discount',
      `discount ${discount.id}: percent "${discount.percent}" is not a decimal`,
    );
  const denominator = 100n * pow10(percent.value.scale);
  const exact = divideRounded(baseMicros * percent.value.coefficient, denominator, 'half-up');
  return ok(roundToMinorUnit(exact, currency));
}

/** Splits an amount of whole minor units in proportion to weights, in whole minor units. */
function splitInMinorUnits(amountMicros: bigint, weights: readonly bigint[], currency: string): bigint[] {
  const minorUnits = getCurrency(currency)?.minorUnits ?? MICROS_SCALE;
  const oneMinorUnit = pow10(MICROS_SCALE - Math.min(minorUnits, MICROS_SCALE));
  const parts = allocateMoney({ amountMicros: amountMicros / oneMinorUnit, currency }, weights);
  return parts.map((part) => part.amountMicros * oneMinorUnit);
}
