import type { CycleRule, CycleUnit, DaySpan } from '../billing/bill-cycle.js';
import { spanDays } from '../billing/bill-cycle.js';
import { type ChargeLine, type Commitment, composeInvoice } from '../billing/compose-invoice.js';
import { type FeeSegment, recurringFeeLines } from '../billing/recurring-fee-lines.js';
import {
  selectTaxComponents,
  type TaxExemption,
  type TaxRuleVersion,
} from '../billing/select-tax-components.js';
import type { TaxComponent, TaxRounding } from '../billing/taxes.js';
import {
  type AllowanceUnit,
  type BucketState,
  sumHolds,
  unitAllowancesFor,
} from '../charging/balance-bucket.js';
import { settleRecordedUsage } from '../charging/settle-recorded-usage.js';
import type { UsagePrice } from '../charging/usage-price.js';
import { rateUsage } from '../rating/rate-usage.js';
import type { RatedCharge } from '../rating/rating-types.js';
import type { CompiledTariff } from '../tariff/compiled-tariff.js';
import type { Quantity } from '../units/quantity.js';

/** One usage event as it was measured (the raw quantities of a rated record, not its price). */
export interface MeasuredUsage {
  /** The tariff category (rating group): call, sms, data or a custom service. */
  readonly service: string;
  readonly unit: AllowanceUnit;
  /** Whole seconds, bytes, messages or units. */
  readonly units: bigint;
  readonly destination: string;
  /** When the usage started, UTC epoch milliseconds. */
  readonly startedAtMs: number;
  /** Who the usage is rated as (the line's number then, else the identifier the record named). */
  readonly subject: string;
}

/** A tariff version a plan rates usage with, from its activation on. */
export interface PlanTariffVersion {
  readonly activatesMs: number;
  readonly tariff: CompiledTariff;
  /** The tenant named in the tariff's rating profiles. */
  readonly ratingTenant: string;
}

/** An allowance of a plan, in the units of the bucket billing grants for it. */
export interface PlanAllowance {
  /** As the plan names it: voice, sms, data, money or a custom service. */
  readonly service: string;
  /** The rating category it is limited to; null: every category measured in its unit. */
  readonly category: string | null;
  /** seconds, bytes, messages, units, or the account currency for a money allowance. */
  readonly unit: string;
  /** Granted per whole bill cycle (micro-units for money). */
  readonly units: bigint;
}

/** A plan version as re-pricing sees it: its fee and allowances in the account's currency, its tariffs. */
export interface PricedPlan {
  readonly planId: string;
  readonly planVersionId: string;
  readonly label: string;
  /** The recurring fee per fee period, in the account's currency. */
  readonly feeMicros: bigint;
  readonly feeUnit: CycleUnit;
  readonly taxCategory: string;
  /** Least usage per cycle, topped up on the bill; null: none. */
  readonly minimumCommitmentMicros: bigint | null;
  readonly allowances: readonly PlanAllowance[];
  /** Oldest first; usage is rated with the version in effect at its start. */
  readonly tariffs: readonly PlanTariffVersion[];
}

/** A complete bill cycle of the account, with the days the line was billable in it. */
export interface RepricingCycle {
  readonly period: DaySpan;
  /** The cycle's first and end instants (the account's zone), UTC epoch milliseconds. */
  readonly startMs: number;
  readonly endMs: number;
  /** Sorted, disjoint, inside `period`. */
  readonly billable: readonly DaySpan[];
}

export interface RepricingTaxes {
  readonly rules: readonly TaxRuleVersion[];
  /** The customer's tax region; null: untaxed. */
  readonly jurisdiction: string | null;
  readonly exemptions: readonly TaxExemption[];
  readonly pricesIncludeTax: boolean;
  readonly rounding: TaxRounding;
}

export interface RepricingInput {
  readonly subscriptionId: string;
  readonly currency: string;
  readonly accountRule: CycleRule;
  /** Oldest first. */
  readonly cycles: readonly RepricingCycle[];
  /** Sorted by start; events outside every cycle are ignored. */
  readonly usage: readonly MeasuredUsage[];
  readonly plan: PricedPlan;
  readonly taxes: RepricingTaxes;
}

/** One allowance in one cycle: granted and spent, in its bucket unit. */
export interface AllowanceUse {
  readonly service: string;
  readonly category: string | null;
  readonly unit: string;
  readonly includedUnits: bigint;
  readonly usedUnits: bigint;
}

/** What one cycle would have cost under the plan; every amount in whole minor units. */
export interface RepricedCycle {
  readonly period: DaySpan;
  readonly recurringFeeMicros: bigint;
  /** Usage after allowances, with any minimum-commitment top-up. */
  readonly usageMicros: bigint;
  readonly taxMicros: bigint;
  readonly totalMicros: bigint;
  readonly allowances: readonly AllowanceUse[];
  /** Some usage was paid in money because an allowance that covers it ran out. */
  readonly overAllowance: boolean;
  readonly records: number;
}

export interface RepricedPlan {
  readonly cycles: readonly RepricedCycle[];
  readonly totalMicros: bigint;
}

export type RepricingOutcome =
  | { readonly ok: true; readonly repriced: RepricedPlan }
  | { readonly ok: false; readonly code: 'rating_failed' | 'invoice_failed'; readonly message: string };

/** The largest usage the rating function takes as a JavaScript number (milliseconds for time). */
const MAX_SAFE_UNITS = BigInt(Number.MAX_SAFE_INTEGER) / 1000n;

/**
 * What a line's measured usage would have cost over some bill cycles under a plan, computed with
 * the functions that price and bill it for real, never a second pricing model:
 *
 * - each cycle grants the plan's allowances (share of the billable days, rounded down, as
 *   billing's grants do) as buckets of the line;
 * - each usage event, in order, is settled against them by settleRecordedUsage, as mediation
 *   settles a record: unit allowances first, the rest priced from zero by rateUsage with the
 *   plan's tariff version in effect at the usage's start, money allowances paying what they can;
 * - the cycle's bill is composed by composeInvoice: the recurring fee for the billable days
 *   (recurringFeeLines, prorated per fee window), the usage summed per service and destination
 *   group as invoice lines (each rounded once to the minor unit), the minimum commitment, and
 *   taxes by the customer's jurisdiction at the cycle's end (selectTaxComponents).
 *
 * Rollover of unused allowances, discounts, one-time fees and add-ons are not re-priced. Pure.
 */
export function repriceCycles(input: RepricingInput): RepricingOutcome {
  const cycles: RepricedCycle[] = [];
  let totalMicros = 0n;
  let next = 0;
  for (const cycle of input.cycles) {
    while (next < input.usage.length && input.usage[next]!.startedAtMs < cycle.startMs) next++;
    let end = next;
    while (end < input.usage.length && input.usage[end]!.startedAtMs < cycle.endMs) end++;
    const priced = repriceCycle(input, cycle, input.usage.slice(next, end));
    if (!priced.ok) return priced;
    cycles.push(priced.cycle);
    totalMicros += priced.cycle.totalMicros;
    next = end;
  }
  return { ok: true, repriced: { cycles, totalMicros } };
}

type CycleOutcome =
  | { readonly ok: true; readonly cycle: RepricedCycle }
  | { readonly ok: false; readonly code: 'rating_failed' | 'invoice_failed'; readonly message: string };

interface UsageSum {
  readonly service: string;
  readonly destinationGroup: string;
  amountMicros: bigint;
}

function repriceCycle(
  input: RepricingInput,
  cycle: RepricingCycle,
  usage: readonly MeasuredUsage[],
): CycleOutcome {
  const { plan } = input;
  const billableDays = cycle.billable.reduce((sum, span) => sum + spanDays(span), 0);
  const cycleDays = spanDays(cycle.period);
  const buckets = allowanceBuckets(input, cycle, BigInt(billableDays), BigInt(cycleDays));
  const sums = new Map<string, UsageSum>();
  let overAllowance = false;
  for (const event of usage) {
    const scope = {
      subscriptionId: input.subscriptionId,
      service: event.service,
      unit: event.unit,
      currency: input.currency,
      nowMs: event.startedAtMs,
    };
    const pricing = usagePrice(plan, event, input.currency);
    const outcome = settleRecordedUsage(buckets, {
      scope,
      units: event.units,
      price: pricing.price,
      payment: 'invoice',
    });
    if (!outcome.ok) return { ok: false, code: 'rating_failed', message: outcome.message };
    const { settlement } = outcome;
    if (settlement.allowanceUnits < event.units && unitAllowancesFor(buckets, scope).length > 0)
      overAllowance = true;
    const group = pricing.whole()?.spans[0]?.binding.destinationId ?? '';
    const key = `${event.service}\u0000${group}`;
    const sum = sums.get(key) ?? { service: event.service, destinationGroup: group, amountMicros: 0n };
    sum.amountMicros += settlement.chargedMicros - sumHolds(settlement.moneyTaken);
    sums.set(key, sum);
  }
  const lines = [...feeLines(input, cycle), ...usageLines(input.subscriptionId, sums)];
  const commitments: Commitment[] =
    plan.minimumCommitmentMicros === null || plan.minimumCommitmentMicros === 0n || billableDays === 0
      ? []
      : [
          {
            subscriptionId: input.subscriptionId,
            planId: plan.planId,
            label: plan.label,
            minimumMicros: (plan.minimumCommitmentMicros * BigInt(billableDays)) / BigInt(cycleDays),
          },
        ];
  const taxPointMs = cycle.endMs - 1;
  const composed = composeInvoice({
    currency: input.currency,
    lines,
    discounts: [],
    commitments,
    taxComponents: (category) => taxComponentsOf(input.taxes, category, taxPointMs),
    pricesIncludeTax: input.taxes.pricesIncludeTax,
    taxRounding: input.taxes.rounding,
  });
  if (!composed.ok) return { ok: false, code: 'invoice_failed', message: composed.error.message };
  let recurringFeeMicros = 0n;
  let usageMicros = 0n;
  for (const line of composed.value.lines) {
    if (line.kind === 'recurring' || line.kind === 'recurring_credit')
      recurringFeeMicros += line.amountMicros;
    else usageMicros += line.amountMicros;
  }
  return {
    ok: true,
    cycle: {
      period: cycle.period,
      recurringFeeMicros,
      usageMicros,
      taxMicros: composed.value.taxMicros,
      totalMicros: composed.value.totalMicros,
      allowances: plan.allowances.map((allowance, index) => {
        const bucket = buckets[index]!;
        const includedUnits = bucketGrant(allowance, BigInt(billableDays), BigInt(cycleDays));
        return {
          service: allowance.service,
          category: allowance.category,
          unit: allowance.unit,
          includedUnits,
          usedUnits: includedUnits - bucket.balance,
        };
      }),
      overAllowance,
      records: usage.length,
    },
  };
}

/** An allowance's grant for a cycle: the billable days' share, rounded down (as billing grants it). */
function bucketGrant(allowance: PlanAllowance, billableDays: bigint, cycleDays: bigint): bigint {
  return (allowance.units * billableDays) / cycleDays;
}

/**
 * The line's allowance buckets for the cycle, one per plan allowance in plan order (the bucket's
 * `service` is the allowance's rating category, as granted buckets carry it), valid for the cycle.
 */
function allowanceBuckets(
  input: RepricingInput,
  cycle: RepricingCycle,
  billableDays: bigint,
  cycleDays: bigint,
): BucketState[] {
  return input.plan.allowances.map((allowance, index) => ({
    id: `allowance:${String(index).padStart(4, '0')}`,
    kind: 'allowance' as const,
    unit: allowance.unit,
    service: allowance.category,
    subscriptionId: input.subscriptionId,
    priority: 100,
    validFromMs: cycle.startMs,
    validToMs: cycle.endMs,
    floor: 0n,
    balance: bucketGrant(allowance, billableDays, cycleDays),
    reserved: 0n,
  }));
}

/** The recurring fee for the cycle's billable days, as a bill prorates it (nothing billed before). */
function feeLines(input: RepricingInput, cycle: RepricingCycle): ChargeLine[] {
  const { plan } = input;
  const segments: FeeSegment[] = cycle.billable.map((span) => ({
    subscriptionId: input.subscriptionId,
    planId: plan.planId,
    planVersionId: plan.planVersionId,
    label: plan.label,
    feeMicros: plan.feeMicros,
    feeUnit: plan.feeUnit,
    span,
  }));
  return recurringFeeLines({
    currency: input.currency,
    accountRule: input.accountRule,
    segments,
    billed: [],
    throughDay: cycle.period.toDay,
  }).map((fee, index) => ({
    ref: `fee:${index}`,
    kind: fee.kind,
    label: fee.label,
    taxCategory: plan.taxCategory,
    amountMicros: fee.amountMicros,
    subscriptionId: fee.subscriptionId,
    planId: fee.planId,
    service: null,
  }));
}

/** One usage line per service and destination group, as a bill claims rated usage. */
function usageLines(subscriptionId: string, sums: ReadonlyMap<string, UsageSum>): ChargeLine[] {
  return [...sums.values()]
    .sort((a, b) => compareText(a.service, b.service) || compareText(a.destinationGroup, b.destinationGroup))
    .map((sum, index) => ({
      ref: `usage:${index}`,
      kind: 'usage' as const,
      label: sum.destinationGroup === '' ? sum.service : sum.destinationGroup,
      taxCategory: sum.service,
      amountMicros: sum.amountMicros,
      subscriptionId,
      planId: null,
      service: sum.service,
    }));
}

function taxComponentsOf(taxes: RepricingTaxes, category: string, atMs: number): readonly TaxComponent[] {
  if (taxes.jurisdiction === null) return [];
  return selectTaxComponents(taxes.rules, taxes.jurisdiction, category, atMs, taxes.exemptions).components;
}

interface EventPricing {
  readonly price: UsagePrice;
  /** The rating of every unit of the event, once `price` priced them (settling always does). */
  readonly whole: () => RatedCharge | undefined;
}

/**
 * The event's price under the plan: the pure rating function over its first n units, with the
 * tariff version in effect at its start (the oldest version for usage before every activation:
 * there is no older price to use), as mediation prices a record.
 */
function usagePrice(plan: PricedPlan, event: MeasuredUsage, currency: string): EventPricing {
  const version = tariffAt(plan.tariffs, event.startedAtMs);
  let whole: RatedCharge | undefined;
  const price: UsagePrice = (units) => {
    if (version === undefined)
      return {
        ok: false,
        code: 'rating_failed',
        message: `plan ${plan.label} has no tariff to price usage with`,
      };
    if (units > MAX_SAFE_UNITS)
      return {
        ok: false,
        code: 'rating_failed',
        message: `${units} ${event.unit} is more than can be rated`,
      };
    const rated = rateUsage(version.tariff, {
      tenant: version.ratingTenant,
      category: event.service,
      subject: event.subject,
      destination: event.destination,
      answerTimeMs: event.startedAtMs,
      usage: measuredQuantity(event.unit, Number(units)),
    });
    if (!rated.ok)
      return { ok: false, code: 'rating_failed', message: `${rated.error.code}: ${rated.error.message}` };
    if (rated.value.cost.currency !== currency)
      return {
        ok: false,
        code: 'rating_failed',
        message: `plan ${plan.label}'s tariff prices in ${rated.value.cost.currency}; the account is in ${currency}`,
      };
    if (units === event.units) whole = rated.value;
    return { ok: true, micros: rated.value.cost.amountMicros };
  };
  return { price, whole: () => whole };
}

function tariffAt(tariffs: readonly PlanTariffVersion[], atMs: number): PlanTariffVersion | undefined {
  let found = tariffs[0];
  for (const version of tariffs) if (version.activatesMs <= atMs) found = version;
  return found;
}

/** Units of a measured usage as the rating function's quantity (time in milliseconds). */
export function measuredQuantity(unit: AllowanceUnit, units: number): Quantity {
  switch (unit) {
    case 'seconds':
      return { kind: 'duration', durationMs: units * 1000 };
    case 'bytes':
      return { kind: 'volume', volumeBytes: units };
    case 'messages':
    case 'units':
      return { kind: 'count', count: units };
  }
}

/** By UTF-16 code units, not locale: the order must not depend on where the server runs. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
