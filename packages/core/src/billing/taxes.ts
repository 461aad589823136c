import { getCurrency } from '../money/currency.js';
import {
  compareDecimal,
  type Decimal,
  formatDecimal,
  formatScaled,
  parseDecimal,
  pow10,
} from '../money/decimal.js';
import { MICROS_SCALE } from '../money/money.js';
import { gcd } from '../money/rational.js';
import { divideRounded, type RoundingMode } from '../money/rounding-mode.js';
import { fail, ok, type Result } from '../result.js';

/** One tax of a rule: "VAT 19 %", "telecom levy 2.5 %". */
export interface TaxComponent {
  /** Stable code, e.g. 'DE-VAT', 'US-FUSF'. */
  readonly code: string;
  /** Printed name. */
  readonly name: string;
  /** Exact decimal percent, from 0 to 100: "19", "7.5", "0.125". Never a float: 19 % of a bill must be exact. */
  readonly ratePercent: string;
  /** A compound tax is charged on the net plus the taxes before it (in rule order); a simple one on the net only. */
  readonly compound: boolean;
}

/**
 * Where tax amounts are rounded to the currency's minor unit. `line`: every tax of every line,
 * as a receipt does. `invoice`: once per rate on the whole invoice, so the invoice's "base ×
 * rate = tax" per rate, which tax authorities check, holds without a rounding drift per line.
 */
export type TaxRounding = 'line' | 'invoice';

export interface TaxableLine {
  /** The caller's id of the line, echoed in the result. */
  readonly key: string;
  /** The line's amount, already rounded to the currency's minor unit; negative for credits and discounts. */
  readonly amountMicros: bigint;
  /** From selectTaxComponents, in application order. */
  readonly components: readonly TaxComponent[];
}

export interface TaxInput {
  /** ISO 4217 code; its minor unit is the unit every tax is rounded to. */
  readonly currency: string;
  /** Inclusive: amounts are gross and taxes are taken out of them; exclusive: taxes are added. */
  readonly pricesIncludeTax: boolean;
  readonly rounding: TaxRounding;
  /** For tax amounts, usually 'half-up'; symmetric around zero, so a credit mirrors its charge. */
  readonly roundingMode: RoundingMode;
  readonly lines: readonly TaxableLine[];
}

/** One tax of one line, in whole minor units. */
export interface TaxedLineTax {
  readonly code: string;
  readonly name: string;
  /** The component's rate as the shortest exact decimal ("19", not "19.0"). */
  readonly ratePercent: string;
  /** What the tax was charged on: the net, plus the taxes before it for a compound tax. */
  readonly baseMicros: bigint;
  readonly amountMicros: bigint;
}

/** A line with its taxes: netMicros + Σ taxes = grossMicros, exactly. */
export interface TaxedLine {
  readonly key: string;
  readonly netMicros: bigint;
  readonly taxes: readonly TaxedLineTax[];
  readonly grossMicros: bigint;
}

/** The invoice's total of one rate: one row per (code, name, rate, compound), as the invoice prints it. */
export interface InvoiceTaxRow {
  readonly code: string;
  readonly name: string;
  readonly ratePercent: string;
  readonly compound: boolean;
  /** Σ of the bases of the row's line taxes. */
  readonly baseMicros: bigint;
  /** Σ of the row's line taxes. */
  readonly amountMicros: bigint;
}

export interface InvoiceTaxTotals {
  readonly netMicros: bigint;
  readonly taxMicros: bigint;
  readonly grossMicros: bigint;
}

/** The taxes of one invoice; every amount is a whole number of the currency's minor unit. */
export interface InvoiceTaxes {
  /** In input order. */
  readonly lines: readonly TaxedLine[];
  /** In order of first appearance (line by line, component by component). */
  readonly summary: readonly InvoiceTaxRow[];
  readonly totals: InvoiceTaxTotals;
}

/** A bound on the taxes of one line: real stacks have a handful; hundreds is broken data. */
export const MAX_TAX_COMPONENTS_PER_LINE = 32;

/**
 * The taxes of the lines of one invoice, computed exactly and rounded to the currency's minor
 * unit as `rounding` says. Net + taxes = gross holds on every line and on the invoice, and the
 * summary's taxes are the lines' taxes, so whatever is printed adds up. Bad rule data (a rate
 * that is not a percent from 0 to 100), an amount below the minor unit or an unknown currency
 * are failures naming the line and the tax.
 */
export function computeInvoiceTaxes(input: TaxInput): Result<InvoiceTaxes> {
  const currency = getCurrency(input.currency);
  if (currency === undefined) {
    return fail('unknown_currency', `"${input.currency}" is not an ISO 4217 currency code`);
  }
  const stepMicros = currency.minorUnits === null ? 1n : pow10(MICROS_SCALE - currency.minorUnits);
  const prepared = prepareLines(input, stepMicros);
  if (!prepared.ok) return prepared;
  const rounding: TaxRoundingContext = { stepMicros, mode: input.roundingMode };
  const amounts =
    input.rounding === 'line'
      ? prepared.value.map((line) => lineRoundedTaxes(line, input.pricesIncludeTax, rounding))
      : invoiceRoundedTaxes(prepared.value, input.pricesIncludeTax, rounding);
  const taxes = assembleInvoiceTaxes(prepared.value, amounts, input.pricesIncludeTax);
  assertInvoiceTaxInvariants(taxes, input, stepMicros);
  return ok(taxes);
}

/** An exact rational number: numerator / denominator, in lowest terms, denominator positive. */
interface Fraction {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

interface PreparedComponent {
  readonly component: TaxComponent;
  /** The rate as the shortest exact decimal percent. */
  readonly ratePercent: string;
  /** The summary row the component's tax adds to. */
  readonly rowKey: string;
  /** The rate as a fraction of the base (19 % is 19/100). */
  readonly rate: Fraction;
  /** The component's base as a multiple of the net: 1 for a simple tax, 1 + the taxes before it for a compound one. */
  readonly baseFactor: Fraction;
}

interface PreparedLine {
  readonly line: TaxableLine;
  readonly components: readonly PreparedComponent[];
  /** Gross as a multiple of the net: 1 + every tax of the line. */
  readonly grossFactor: Fraction;
}

interface TaxRoundingContext {
  /** Micro-units in one minor unit: 10,000 for EUR, 1,000,000 for JPY, 1 for XAU. */
  readonly stepMicros: bigint;
  readonly mode: RoundingMode;
}

const ZERO: Fraction = { numerator: 0n, denominator: 1n };
const ONE: Fraction = { numerator: 1n, denominator: 1n };
const HUNDRED_PERCENT: Decimal = { coefficient: 100n, scale: 0 };

/** Checks the input and turns every rate into exact fractions, once for the whole invoice. */
function prepareLines(input: TaxInput, stepMicros: bigint): Result<PreparedLine[]> {
  const prepared: PreparedLine[] = [];
  for (const line of input.lines) {
    if (line.amountMicros % stepMicros !== 0n) {
      const amount = formatScaled(line.amountMicros, MICROS_SCALE);
      return fail(
        'amount_not_in_minor_units',
        `line "${line.key}": ${amount} ${input.currency} is not a whole number of minor units`,
      );
    }
    if (line.components.length > MAX_TAX_COMPONENTS_PER_LINE) {
      return fail(
        'too_many_tax_components',
        `line "${line.key}" has ${line.components.length} taxes, more than ${MAX_TAX_COMPONENTS_PER_LINE}`,
      );
    }
    const components = prepareComponents(line);
    if (!components.ok) return components;
    prepared.push(components.value);
  }
  return ok(prepared);
}

function prepareComponents(line: TaxableLine): Result<PreparedLine> {
  const components: PreparedComponent[] = [];
  let earlierTaxes = ZERO; // the taxes so far, as a multiple of the net
  for (const component of line.components) {
    const rate = parseRatePercent(component.ratePercent);
    if (rate === undefined) {
      return fail(
        'invalid_tax_rate',
        `line "${line.key}", tax "${component.code}": rate "${component.ratePercent}" is not a decimal percent from 0 to 100`,
      );
    }
    const ratePercent = formatDecimal(rate);
    const rateFraction = fraction(rate.coefficient, 100n * pow10(rate.scale));
    const baseFactor = component.compound ? addFractions(ONE, earlierTaxes) : ONE;
    earlierTaxes = addFractions(earlierTaxes, multiplyFractions(baseFactor, rateFraction));
    components.push({
      component,
      ratePercent,
      rowKey: JSON.stringify([component.code, component.name, ratePercent, component.compound]),
      rate: rateFraction,
      baseFactor,
    });
  }
  return ok({ line, components, grossFactor: addFractions(ONE, earlierTaxes) });
}

function parseRatePercent(text: string): Decimal | undefined {
  const parsed = parseDecimal(text);
  if (!parsed.ok) return undefined;
  const rate = parsed.value;
  if (rate.coefficient < 0n || compareDecimal(rate, HUNDRED_PERCENT) > 0) return undefined;
  return rate;
}

/**
 * Per-line rounding: every tax of the line is rounded once. With exclusive prices the taxes are
 * rounded in order and a compound tax is charged on the net plus the taxes before it as printed,
 * so each printed base × rate gives its printed tax. With inclusive prices each tax is taken
 * exactly out of the gross and rounded; the net is what is left, so net + taxes = gross.
 */
function lineRoundedTaxes(line: PreparedLine, inclusive: boolean, rounding: TaxRoundingContext): bigint[] {
  if (inclusive) {
    return line.components.map((component) => roundToMinorUnit(exactTax(line, component, true), rounding));
  }
  const netMicros = line.line.amountMicros;
  let earlierMicros = 0n;
  return line.components.map((component) => {
    const baseMicros = component.component.compound ? netMicros + earlierMicros : netMicros;
    const amountMicros = roundToMinorUnit(multiplyFractions(whole(baseMicros), component.rate), rounding);
    earlierMicros += amountMicros;
    return amountMicros;
  });
}

/** One line's share of a summary row: which tax of which line, and its exact amount. */
interface RowEntry {
  readonly lineIndex: number;
  readonly componentIndex: number;
  readonly exactTax: Fraction;
}

interface RowTotal {
  readonly rate: Fraction;
  exactBase: Fraction;
  readonly entries: RowEntry[];
}

/**
 * Per-invoice rounding: the tax of each rate is computed once, on the exact sum of that rate's
 * bases over all lines, and rounded once: the invoice's tax per rate is what tax authorities
 * check, and summing rounded line taxes can drift from it by a minor unit per line. The lines
 * still add up: the rounded total is shared out among them by largest remainder over their exact
 * taxes, so each line's tax is within one minor unit of its exact tax and the lines' taxes sum
 * to the row exactly. The printed base of a row sums the lines' printed bases; where the exact
 * base has fractions (inclusive prices, a compound tax on rounded taxes) the tax is the one of
 * the exact base, which the printed base approximates to the minor unit.
 */
function invoiceRoundedTaxes(
  lines: readonly PreparedLine[],
  inclusive: boolean,
  rounding: TaxRoundingContext,
): bigint[][] {
  const rows = new Map<string, RowTotal>();
  lines.forEach((line, lineIndex) => {
    line.components.forEach((component, componentIndex) => {
      const base = exactBase(line, component, inclusive);
      const row = rows.get(component.rowKey) ?? { rate: component.rate, exactBase: ZERO, entries: [] };
      row.exactBase = addFractions(row.exactBase, base);
      row.entries.push({ lineIndex, componentIndex, exactTax: multiplyFractions(base, component.rate) });
      rows.set(component.rowKey, row);
    });
  });
  const amounts = lines.map((line) => line.components.map(() => 0n));
  for (const row of rows.values()) {
    const totalMicros = roundToMinorUnit(multiplyFractions(row.exactBase, row.rate), rounding);
    const step = whole(rounding.stepMicros);
    const targets = row.entries.map((entry) => divideFractions(entry.exactTax, step));
    const shares = allocateMinorUnits(totalMicros / rounding.stepMicros, targets);
    row.entries.forEach((entry, index) => {
      const lineAmounts = amounts[entry.lineIndex];
      if (lineAmounts === undefined) throw new Error(`row entry for missing line ${entry.lineIndex}`);
      lineAmounts[entry.componentIndex] = (shares[index] ?? 0n) * rounding.stepMicros;
    });
  }
  return amounts;
}

/**
 * Splits a whole number of minor units among targets (exact amounts in minor units, of any sign)
 * that it rounds the sum of: each part is its target rounded down, and the units left over go
 * one each to the parts with the largest fractions, ties to the earlier part. allocateMoney
 * weighs by non-negative weights; here a credit line and a charge line share one rate, so the
 * targets themselves are the shares. A negative sum (or a zero sum whose first non-zero target
 * is negative) is split as its mirror image and negated, so a credit note mirrors, to the last
 * tie, the invoice it reverses.
 */
function allocateMinorUnits(total: bigint, targets: readonly Fraction[]): bigint[] {
  if (isNegativeOrientation(targets)) {
    return allocateMinorUnits(-total, targets.map(negateFraction)).map((part) => -part);
  }
  const parts = targets.map((target) => floorDivide(target.numerator, target.denominator));
  const fractions = targets.map((target, index) =>
    fraction(target.numerator - (parts[index] ?? 0n) * target.denominator, target.denominator),
  );
  let leftover = total - parts.reduce((sum, part) => sum + part, 0n);
  // total is the rounded sum of the targets, less than one unit away from it.
  if (leftover < 0n || leftover > BigInt(targets.length)) {
    throw new Error(`allocateMinorUnits: ${total} is not a rounding of the targets' sum`);
  }
  for (const index of indexesByFractionDescending(fractions)) {
    if (leftover === 0n) break;
    parts[index] = (parts[index] ?? 0n) + 1n;
    leftover -= 1n;
  }
  return parts;
}

/** The sign that a split and its mirror image agree on: the sum's, or the first non-zero target's if the sum is 0. */
function isNegativeOrientation(targets: readonly Fraction[]): boolean {
  const exactSum = targets.reduce(addFractions, ZERO);
  if (exactSum.numerator !== 0n) return exactSum.numerator < 0n;
  const first = targets.find((target) => target.numerator !== 0n);
  return first !== undefined && first.numerator < 0n;
}

/** Indexes by fraction, largest first; equal fractions keep their order (stable sort). */
function indexesByFractionDescending(fractions: readonly Fraction[]): number[] {
  return fractions
    .map((value, index) => ({ value, index }))
    .sort((x, y) => compareFractions(y.value, x.value) || x.index - y.index)
    .map((entry) => entry.index);
}

/** The exact net of a line: its amount (exclusive prices), or its gross over 1 + its taxes (inclusive). */
function exactNet(line: PreparedLine, inclusive: boolean): Fraction {
  const amount = whole(line.line.amountMicros);
  return inclusive ? divideFractions(amount, line.grossFactor) : amount;
}

function exactBase(line: PreparedLine, component: PreparedComponent, inclusive: boolean): Fraction {
  return multiplyFractions(exactNet(line, inclusive), component.baseFactor);
}

function exactTax(line: PreparedLine, component: PreparedComponent, inclusive: boolean): Fraction {
  return multiplyFractions(exactBase(line, component, inclusive), component.rate);
}

/**
 * Lines and summary from the rounded taxes of each line. The net is the amount (exclusive) or
 * what the taxes leave of the gross (inclusive); a tax's printed base is the net, plus the taxes
 * before it for a compound tax.
 */
function assembleInvoiceTaxes(
  lines: readonly PreparedLine[],
  amounts: readonly (readonly bigint[])[],
  inclusive: boolean,
): InvoiceTaxes {
  const rows = new Map<string, { -readonly [K in keyof InvoiceTaxRow]: InvoiceTaxRow[K] }>();
  const totals = { netMicros: 0n, taxMicros: 0n, grossMicros: 0n };
  const taxedLines = lines.map((line, lineIndex): TaxedLine => {
    const lineAmounts = amounts[lineIndex] ?? [];
    const taxMicros = lineAmounts.reduce((sum, amount) => sum + amount, 0n);
    const netMicros = inclusive ? line.line.amountMicros - taxMicros : line.line.amountMicros;
    let earlierMicros = 0n;
    const taxes = line.components.map((component, componentIndex): TaxedLineTax => {
      const amountMicros = lineAmounts[componentIndex] ?? 0n;
      const baseMicros = component.component.compound ? netMicros + earlierMicros : netMicros;
      earlierMicros += amountMicros;
      const { code, name, compound } = component.component;
      const row = rows.get(component.rowKey) ?? {
        code,
        name,
        ratePercent: component.ratePercent,
        compound,
        baseMicros: 0n,
        amountMicros: 0n,
      };
      row.baseMicros += baseMicros;
      row.amountMicros += amountMicros;
      rows.set(component.rowKey, row);
      return { code, name, ratePercent: component.ratePercent, baseMicros, amountMicros };
    });
    totals.netMicros += netMicros;
    totals.taxMicros += taxMicros;
    totals.grossMicros += netMicros + taxMicros;
    return { key: line.line.key, netMicros, taxes, grossMicros: netMicros + taxMicros };
  });
  return { lines: taxedLines, summary: [...rows.values()], totals };
}

/** What every invoice must satisfy whatever the rounding; a failure here is a bug, so it throws. */
function assertInvoiceTaxInvariants(taxes: InvoiceTaxes, input: TaxInput, stepMicros: bigint): void {
  const check = (holds: boolean, what: string): void => {
    if (!holds) throw new Error(`computeInvoiceTaxes: ${what}`);
  };
  const isWhole = (micros: bigint): boolean => micros % stepMicros === 0n;
  check(taxes.lines.length === input.lines.length, 'one taxed line per input line');
  let lineTaxMicros = 0n;
  taxes.lines.forEach((line, index) => {
    const amountMicros = input.lines[index]?.amountMicros;
    const taxMicros = line.taxes.reduce((sum, tax) => sum + tax.amountMicros, 0n);
    lineTaxMicros += taxMicros;
    check(line.netMicros + taxMicros === line.grossMicros, `line "${line.key}": net + taxes = gross`);
    check(
      (input.pricesIncludeTax ? line.grossMicros : line.netMicros) === amountMicros,
      `line "${line.key}" keeps its amount`,
    );
    check(
      isWhole(line.netMicros) &&
        line.taxes.every((tax) => isWhole(tax.amountMicros) && isWhole(tax.baseMicros)),
      `line "${line.key}" is in whole minor units`,
    );
  });
  const { netMicros, taxMicros, grossMicros } = taxes.totals;
  check(netMicros + taxMicros === grossMicros, 'total net + total tax = total gross');
  check(lineTaxMicros === taxMicros, 'the lines’ taxes are the total tax');
  check(
    taxes.summary.reduce((sum, row) => sum + row.amountMicros, 0n) === taxMicros,
    'the summary is the total tax',
  );
  check(
    taxes.summary.every((row) => isWhole(row.baseMicros) && isWhole(row.amountMicros)),
    'the summary is in whole minor units',
  );
}

/** An exact amount of micro-units rounded to the currency's minor unit, symmetrically around zero. */
function roundToMinorUnit(micros: Fraction, rounding: TaxRoundingContext): bigint {
  const steps = divideRounded(micros.numerator, micros.denominator * rounding.stepMicros, rounding.mode);
  return steps * rounding.stepMicros;
}

function fraction(numerator: bigint, denominator: bigint): Fraction {
  if (denominator === 0n) throw new RangeError('fraction: zero denominator');
  const sign = denominator < 0n ? -1n : 1n;
  const divisor = gcd(numerator, denominator) || 1n;
  return { numerator: (sign * numerator) / divisor, denominator: (sign * denominator) / divisor };
}

function whole(value: bigint): Fraction {
  return { numerator: value, denominator: 1n };
}

function addFractions(a: Fraction, b: Fraction): Fraction {
  return fraction(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator);
}

function multiplyFractions(a: Fraction, b: Fraction): Fraction {
  return fraction(a.numerator * b.numerator, a.denominator * b.denominator);
}

function divideFractions(a: Fraction, b: Fraction): Fraction {
  return fraction(a.numerator * b.denominator, a.denominator * b.numerator);
}

function negateFraction(a: Fraction): Fraction {
  return { numerator: -a.numerator, denominator: a.denominator };
}

function compareFractions(a: Fraction, b: Fraction): number {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The largest integer not above numerator / denominator (denominator positive). */
function floorDivide(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator; // truncates towards zero
  return numerator % denominator < 0n ? quotient - 1n : quotient;
}
