import { parseMoney, parseQuantity, type Quantity, quantityBaseUnits } from '@tollgate/core';
import type { FeePeriod, PlanKind, StoredAllowance, StoredOneTimeFee } from './catalog-tables.js';
import type { AddPlanVersionBody } from './plan-schemas.js';
import type { CatalogIssue } from './prepare-tariff-document.js';

/** A plan version's values, checked and in their stored form. */
export interface CheckedPlanVersion {
  readonly effectiveFrom: Date | undefined;
  readonly recurringFeeMicros: bigint;
  readonly currency: string;
  readonly feePeriod: FeePeriod;
  readonly oneTimeFees: StoredOneTimeFee[];
  readonly allowances: StoredAllowance[];
  readonly tariffId: string | null;
  readonly ratingSubject: string;
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
 * known currency, allowance amounts of the service's kind, fee codes unique, a tariff for a base
 * plan. Every problem is reported at once.
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
  const allowances = (input.allowances ?? []).map((item, i): StoredAllowance => {
    const problem = allowanceProblem(item.service, item.amount, currency);
    if (problem !== null) issues.push({ field: `/allowances/${i}/amount`, message: problem });
    return item.category === undefined
      ? { service: item.service, amount: item.amount }
      : { service: item.service, amount: item.amount, category: item.category };
  });
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
    },
  };
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
