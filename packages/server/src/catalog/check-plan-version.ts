import { parseMoney, parseQuantity, type Quantity, quantityBaseUnits } from '@tollgate/core';
import type {
  FeePeriod,
  PlanKind,
  StoredAllowance,
  StoredOneTimeFee,
  StoredPlanPrice,
  StoredPlanPrices,
} from './catalog-tables.js';
import type { AddPlanVersionBody, PlanPriceBody } from './plan-schemas.js';
import type { CatalogIssue } from './prepare-tariff-document.js';

/** An allowance as stored, with the fee periods its unused units carry over for (absent: none). */
export interface CheckedAllowance extends StoredAllowance {
  readonly rolloverCycles?: number;
}

/** The tax category of a recurring fee that names none. */
export const DEFAULT_PLAN_TAX_CATEGORY = 'recurring';

/** A plan version's values, checked and in their stored form. */
export interface CheckedPlanVersion {
  readonly effectiveFrom: Date | undefined;
  readonly recurringFeeMicros: bigint;
  readonly currency: string;
  readonly feePeriod: FeePeriod;
  readonly oneTimeFees: StoredOneTimeFee[];
  readonly allowances: CheckedAllowance[];
  readonly tariffId: string | null;
  readonly ratingSubject: string;
  readonly prices: StoredPlanPrices;
  readonly minimumCommitmentMicros: bigint | null;
  readonly taxCategory: string;
}

export type CheckPlanVersionResult =
  | { readonly ok: true; readonly version: CheckedPlanVersion }
  | { readonly ok: false; readonly code: 'invalid_plan'; readonly issues: readonly CatalogIssue[] };

/** The kind of quantity each built-in service counts in; custom services take any. */
const SERVICE_QUANTITY: Readonly<Record<string, Quantity['kind']>> = {
  voice: 'duration',
  sms: 'count',
  data: 'volume',
};
const QUANTITY_EXAMPLE = { duration: '"300m"', count: '"100"', volume: '"1GB"' } as const;

/**
 * Checks the values of a plan version that the schema cannot: money exact to the micro-unit in a
 * known currency, allowance amounts of the service's kind, fee codes unique, prices in other
 * currencies for fees the version has, a tariff for a base plan. Every problem is reported at once.
 */
export function checkPlanVersion(
  input: AddPlanVersionBody,
  kind: PlanKind,
  defaultCurrency: string,
): CheckPlanVersionResult {
  const issues: CatalogIssue[] = [];
  const currency = input.currency ?? defaultCurrency;
  const fee = parseMoney(input.recurringFee, currency);
  if (!fee.ok) {
    const field = fee.error.code === 'unknown_currency' ? '/currency' : '/recurringFee';
    issues.push({ field, message: fee.error.message });
  }
  const oneTimeFees = (input.oneTimeFees ?? []).map((item, i): StoredOneTimeFee => {
    const amount = parseMoney(item.amount, currency);
    if (!amount.ok && amount.error.code !== 'unknown_currency')
      issues.push({ field: `/oneTimeFees/${i}/amount`, message: amount.error.message });
    if (input.oneTimeFees?.findIndex((other) => other.code === item.code) !== i)
      issues.push({ field: `/oneTimeFees/${i}/code`, message: `fee code "${item.code}" is used twice` });
    return {
      code: item.code,
      name: item.name,
      amountMicros: amount.ok ? amount.value.amountMicros.toString() : '0',
    };
  });
  const allowances = (input.allowances ?? []).map((item, i): CheckedAllowance => {
    const problem = allowanceProblem(item.service, item.amount, currency);
    if (problem !== null) issues.push({ field: `/allowances/${i}/amount`, message: problem });
    return {
      service: item.service,
      amount: item.amount,
      ...(item.category === undefined ? {} : { category: item.category }),
      ...(item.rolloverCycles === undefined ? {} : { rolloverCycles: item.rolloverCycles }),
    };
  });
  const prices = checkPrices(input, currency, issues);
  const minimumCommitmentMicros = checkMinimumCommitment(input.minimumCommitment, currency, issues);
  if (kind === 'base' && input.tariffId === undefined)
    issues.push({ field: '/tariffId', message: 'a base plan needs the tariff that prices its usage' });
  if (issues.length > 0 || !fee.ok) return { ok: false, code: 'invalid_plan', issues };
  return {
    ok: true,
    version: {
      effectiveFrom: input.effectiveFrom === undefined ? undefined : new Date(input.effectiveFrom),
      recurringFeeMicros: fee.value.amountMicros,
      currency,
      feePeriod: input.feePeriod,
      oneTimeFees,
      allowances,
      tariffId: input.tariffId ?? null,
      ratingSubject: input.ratingSubject ?? '*any',
      prices,
      minimumCommitmentMicros,
      taxCategory: input.taxCategory ?? DEFAULT_PLAN_TAX_CATEGORY,
    },
  };
}

/**
 * The version's fees in other currencies, keyed by currency: each currency known, other than the
 * version's and given once, each fee one the version has. Problems go to `issues`.
 */
function checkPrices(input: AddPlanVersionBody, currency: string, issues: CatalogIssue[]): StoredPlanPrices {
  const feeCodes = new Set((input.oneTimeFees ?? []).map((fee) => fee.code));
  const prices: Record<string, StoredPlanPrice> = {};
  for (const [i, price] of (input.prices ?? []).entries()) {
    const field = `/prices/${i}`;
    const recurring = parseMoney(price.recurringFee, price.currency);
    if (!recurring.ok && recurring.error.code === 'unknown_currency') {
      issues.push({ field: `${field}/currency`, message: recurring.error.message });
      continue;
    }
    if (price.currency === currency)
      issues.push({ field: `${field}/currency`, message: `${currency} is the version's own currency` });
    else if (prices[price.currency] !== undefined)
      issues.push({ field: `${field}/currency`, message: `${price.currency} is priced twice` });
    if (!recurring.ok) issues.push({ field: `${field}/recurringFee`, message: recurring.error.message });
    prices[price.currency] = {
      recurringFeeMicros: recurring.ok ? recurring.value.amountMicros.toString() : '0',
      oneTimeFeesMicros: checkPriceFees(price, feeCodes, field, issues),
    };
  }
  return prices;
}

/** One currency's one-time fees, by fee code: each a fee of the version, priced once. */
function checkPriceFees(
  price: PlanPriceBody,
  feeCodes: ReadonlySet<string>,
  field: string,
  issues: CatalogIssue[],
): Record<string, string> {
  const fees: Record<string, string> = {};
  for (const [j, fee] of (price.oneTimeFees ?? []).entries()) {
    const amount = parseMoney(fee.amount, price.currency);
    if (!amount.ok) issues.push({ field: `${field}/oneTimeFees/${j}/amount`, message: amount.error.message });
    if (!feeCodes.has(fee.code))
      issues.push({
        field: `${field}/oneTimeFees/${j}/code`,
        message: `the version has no one-time fee "${fee.code}"`,
      });
    else if (fees[fee.code] !== undefined)
      issues.push({ field: `${field}/oneTimeFees/${j}/code`, message: `fee "${fee.code}" is priced twice` });
    fees[fee.code] = amount.ok ? amount.value.amountMicros.toString() : '0';
  }
  return fees;
}

/** The minimum commitment in micro-units of the version currency, or null for none. */
function checkMinimumCommitment(
  text: string | undefined,
  currency: string,
  issues: CatalogIssue[],
): bigint | null {
  if (text === undefined) return null;
  const amount = parseMoney(text, currency);
  if (amount.ok) return amount.value.amountMicros;
  if (amount.error.code !== 'unknown_currency')
    issues.push({ field: '/minimumCommitment', message: amount.error.message });
  return null;
}

/** Why an allowance amount does not fit its service, or null when it does. */
function allowanceProblem(service: string, amount: string, currency: string): string | null {
  if (service === 'money') {
    const money = parseMoney(amount, currency);
    if (!money.ok) return money.error.message;
    return money.value.amountMicros > 0n ? null : 'a money allowance must be more than zero';
  }
  const quantity = parseQuantity(amount);
  if (!quantity.ok) return quantity.error.message;
  const expected = SERVICE_QUANTITY[service];
  if (expected !== undefined && quantity.value.kind !== expected) {
    return `a ${service} allowance is a ${expected}, e.g. ${QUANTITY_EXAMPLE[expected]}; "${amount}" is a ${quantity.value.kind}`;
  }
  return quantityBaseUnits(quantity.value) > 0 ? null : 'an allowance must be more than zero';
}
