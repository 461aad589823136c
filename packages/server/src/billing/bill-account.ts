import {
  type ChargeLine,
  type Commitment,
  type ComposedInvoice,
  type CycleRule,
  composeInvoice,
  cycleContaining,
  type DaySpan,
  type DiscountRule,
  type FeeLine,
  intersectSpans,
  isoDateOfDay,
  recurringFeeLines,
  selectTaxComponents,
  spanDays,
  startOfLocalDayMs,
  type TaxComponent,
  type TaxRuleVersion,
  type ZoneClock,
  zoneClockFor,
} from '@tollgate/core';
import { feeSegmentsOf, firstDayOf, priceInCurrency } from './fee-segments.js';
import type { ExchangeRateUsed, InvoiceLineKind } from './invoice-document.js';
import type { AccountToBill, TenantBilling } from './load-billing-chunk.js';
import { type PlanSpan, planSpansOf } from './plan-spans.js';

/** The usage of one bill, summed per line, service and destination group, as claimed from rated usage. */
export interface UsageGroup {
  readonly usageKey: string;
  readonly late: boolean;
  readonly subscriptionId: string;
  readonly service: string;
  readonly unit: string;
  readonly destinationGroup: string;
  readonly records: number;
  readonly units: bigint;
  readonly allowanceUnits: bigint;
  readonly amountMicros: bigint;
  readonly firstDay: number;
  readonly lastDay: number;
}

/** The days of one bill, in the account's zone. */
export interface BillPeriod {
  /** The usage period billed in arrears. */
  readonly period: DaySpan;
  /** Recurring fees are billed through the end of the next cycle (in advance). */
  readonly throughDay: number;
  readonly periodStartMs: number;
  readonly periodEndMs: number;
  /** When the cycle after this one ends: the account is due again then. */
  readonly nextDueMs: number;
}

export function cycleRuleOf(account: AccountToBill): CycleRule {
  return { unit: account.cycle.unit, anchorDay: account.cycle.day, anchorMonth: account.cycle.month };
}

/** The bill that closes the cycle holding the account's first unbilled day. */
export function billPeriodOf(account: AccountToBill, clock: ZoneClock): BillPeriod {
  const rule = cycleRuleOf(account);
  const cycle = cycleContaining(rule, account.nextFromDay);
  const advance = cycleContaining(rule, cycle.toDay);
  return {
    period: { fromDay: account.nextFromDay, toDay: cycle.toDay },
    throughDay: advance.toDay,
    periodStartMs: startOfLocalDayMs(clock, account.nextFromDay),
    periodEndMs: startOfLocalDayMs(clock, cycle.toDay),
    nextDueMs: startOfLocalDayMs(clock, advance.toDay),
  };
}

/** One line of a composed bill, with what the database keeps beside its amount. */
export interface BillLine {
  readonly kind: InvoiceLineKind;
  readonly label: string;
  readonly service: string | null;
  readonly taxCategory: string;
  readonly subscriptionId: string | null;
  readonly subscriptionLabel: string | null;
  readonly planId: string | null;
  readonly planVersionId: string | null;
  readonly discountId: string | null;
  readonly chargeId: string | null;
  readonly window: DaySpan | null;
  readonly days: DaySpan | null;
  readonly feeMicros: bigint | null;
  readonly quantity: bigint | null;
  readonly unit: string | null;
  readonly allowanceUnits: bigint | null;
  readonly lineKey: string | null;
  readonly amountMicros: bigint;
  readonly taxes: readonly { code: string; name: string; ratePercent: string; amountMicros: bigint }[];
  readonly taxMicros: bigint;
  readonly proration: string | null;
}

export interface AccountBill {
  readonly period: BillPeriod;
  /** The days each line pays each plan: what the next cycle's allowances are granted from. */
  readonly spans: readonly PlanSpan[];
  readonly lines: readonly BillLine[];
  readonly composed: ComposedInvoice;
  readonly exchangeRates: readonly ExchangeRateUsed[];
  readonly exemptions: readonly { readonly taxCode: string; readonly certificate: string }[];
  readonly chargeIds: readonly string[];
}

export type BillOutcome =
  | { readonly ok: true; readonly bill: AccountBill }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** A line's open end, far enough past the bill for every fee window it touches. */
const HORIZON_DAYS = 800;

/**
 * Composes an account's bill for the cycle that ends at its period's end: recurring fees through
 * the end of the next cycle (in advance) with corrections for what changed since they were billed,
 * one-time fees of lines activated in the period and open one-time charges, the period's usage and
 * late usage of earlier periods (claimed by the caller), minimum commitments, discounts in force,
 * and taxes. Pure: everything it needs is in its arguments.
 */
export function billAccount(
  account: AccountToBill,
  tenant: TenantBilling,
  usage: readonly UsageGroup[],
): BillOutcome {
  const clock = zoneClockFor(account.timeZone);
  const period = billPeriodOf(account, clock);
  const onDay = isoDateOfDay(period.period.toDay - 1);
  const spans = account.lines.flatMap((line) =>
    planSpansOf(line.id, line.events, clock, period.throughDay + HORIZON_DAYS),
  );
  const segments = feeSegmentsOf(spans, tenant.plans, clock, account.currency, onDay, tenant.fxRates);
  if (segments.failure !== null) return { ok: false, ...segments.failure };
  const labelOf = new Map(account.lines.map((line) => [line.id, line.label]));
  const rates = [...segments.rates];
  let feeLines: FeeLine[];
  try {
    feeLines = recurringFeeLines({
      currency: account.currency,
      accountRule: cycleRuleOf(account),
      segments: segments.segments,
      billed: account.billedFees.map((b) => ({
        subscriptionId: b.subscriptionId,
        planId: b.planId,
        planVersionId: b.planVersionId,
        window: { fromDay: b.windowFromDay, toDay: b.windowToDay },
        span: { fromDay: b.fromDay, toDay: b.toDay },
        amountMicros: b.amountMicros,
        feeMicros: b.feeMicros,
      })),
      throughDay: period.throughDay,
    });
  } catch (error) {
    return { ok: false, code: 'recurring_fees_failed', message: (error as Error).message };
  }
  const taxCategoryOf = new Map<string, string>();
  for (const plan of tenant.plans.values())
    for (const version of plan.versions) taxCategoryOf.set(version.id, version.taxCategory);
  const drafts: DraftLine[] = feeLines.map((fee) => ({
    charge: {
      ref: '',
      kind: fee.kind,
      label: fee.label,
      taxCategory: taxCategoryOf.get(fee.planVersionId) ?? 'recurring',
      amountMicros: fee.amountMicros,
      subscriptionId: fee.subscriptionId,
      planId: fee.planId,
      service: null,
    },
    extra: {
      planVersionId: fee.planVersionId,
      window: fee.window,
      days: fee.span,
      feeMicros: fee.feeMicros,
      proration: `${fee.days}/${fee.windowDays}`,
    },
  }));
  const oneTime = oneTimeFeeLines(account, tenant, clock, period, onDay);
  if (!oneTime.ok) return oneTime;
  rates.push(...oneTime.rates);
  drafts.push(...oneTime.lines);
  const charges = account.charges.filter((c) => c.chargedAt.getTime() < period.periodEndMs);
  for (const charge of charges)
    drafts.push({
      charge: {
        ref: '',
        kind: charge.amountMicros < 0n ? 'adjustment' : 'one_time',
        label: charge.description,
        taxCategory: charge.taxCategory,
        amountMicros: charge.amountMicros,
        subscriptionId: charge.subscriptionId,
        planId: null,
        service: null,
      },
      extra: { chargeId: charge.id, lineKey: `charge:${charge.id}` },
    });
  for (const group of usage)
    drafts.push({
      charge: {
        ref: '',
        kind: group.late ? 'late_usage' : 'usage',
        label: group.destinationGroup === '' ? group.service : group.destinationGroup,
        taxCategory: group.service,
        amountMicros: group.amountMicros,
        subscriptionId: group.subscriptionId,
        planId: null,
        service: group.service,
      },
      extra: {
        quantity: group.units,
        unit: group.unit,
        allowanceUnits: group.allowanceUnits,
        lineKey: group.usageKey,
        days: { fromDay: group.firstDay, toDay: group.lastDay + 1 },
      },
    });
  const commitments = commitmentsOf(spans, tenant, clock, period, account);
  const discounts = discountsInForce(account, period);
  const taxes = taxResolver(account, tenant, period.periodEndMs - 1);
  const composed = composeInvoice({
    currency: account.currency,
    lines: drafts.map((d, index) => ({ ...d.charge, ref: String(index) })),
    discounts,
    commitments,
    taxComponents: taxes.componentsOf,
    pricesIncludeTax: tenant.profile.pricesIncludeTax,
    taxRounding: tenant.profile.taxRounding,
  });
  if (!composed.ok) return { ok: false, code: composed.error.code, message: composed.error.message };
  const lines = composed.value.lines.map((line): BillLine => {
    const draft = /^\d+$/.test(line.ref) ? drafts[Number(line.ref)] : undefined;
    const extra = draft?.extra ?? {};
    return {
      kind: line.kind,
      label: line.label,
      service: line.service,
      taxCategory: line.taxCategory,
      subscriptionId: line.subscriptionId,
      subscriptionLabel: line.subscriptionId === null ? null : (labelOf.get(line.subscriptionId) ?? null),
      planId: line.planId,
      planVersionId: extra.planVersionId ?? null,
      discountId: line.discountId,
      chargeId: extra.chargeId ?? null,
      window: extra.window ?? null,
      days: extra.days ?? (line.kind === 'minimum_commitment' ? period.period : null),
      feeMicros: extra.feeMicros ?? null,
      quantity: extra.quantity ?? null,
      unit: extra.unit ?? null,
      allowanceUnits: extra.allowanceUnits ?? null,
      lineKey: extra.lineKey ?? null,
      amountMicros: line.amountMicros,
      taxes: line.taxes,
      taxMicros: line.taxMicros,
      proration: extra.proration ?? null,
    };
  });
  return {
    ok: true,
    bill: {
      period,
      spans,
      lines,
      composed: composed.value,
      exchangeRates: dedupeRates(rates),
      exemptions: taxes.exempted(),
      chargeIds: charges.map((c) => c.id),
    },
  };
}

interface DraftExtra {
  readonly planVersionId?: string;
  readonly window?: DaySpan;
  readonly days?: DaySpan;
  readonly feeMicros?: bigint;
  readonly proration?: string;
  readonly chargeId?: string;
  readonly lineKey?: string;
  readonly quantity?: bigint;
  readonly unit?: string;
  readonly allowanceUnits?: bigint;
}

interface DraftLine {
  readonly charge: ChargeLine;
  readonly extra: DraftExtra;
}

type OneTimeOutcome =
  | { readonly ok: true; readonly lines: DraftLine[]; readonly rates: ExchangeRateUsed[] }
  | { readonly ok: false; readonly code: string; readonly message: string };

/**
 * The one-time fees (activation, equipment) of the plans a line was activated on, or the add-ons
 * added to it, before the period ends, each once: the key fee:<line>:<plan>:<code> finds it on an
 * earlier invoice.
 */
function oneTimeFeeLines(
  account: AccountToBill,
  tenant: TenantBilling,
  clock: ZoneClock,
  period: BillPeriod,
  onDay: string,
): OneTimeOutcome {
  const lines: DraftLine[] = [];
  const rates: ExchangeRateUsed[] = [];
  for (const line of account.lines) {
    for (const event of line.events) {
      if (event.effectiveAt.getTime() >= period.periodEndMs) continue;
      const planId =
        event.kind === 'activated'
          ? event.data.planId
          : event.kind === 'addon_added'
            ? event.data.addonPlanId
            : null;
      if (planId === null || planId === undefined) continue;
      const plan = tenant.plans.get(planId);
      if (plan === undefined) continue;
      const day = clock.localTime(event.effectiveAt.getTime()).dayNumber;
      const version = [...plan.versions]
        .reverse()
        .find((v, i, all) => i === all.length - 1 || firstDayOf(v, clock) <= day);
      if (version === undefined) continue;
      for (const fee of version.oneTimeFees) {
        const key = `fee:${line.id}:${plan.id}:${fee.code}`;
        if (account.billedOneTimeKeys.has(key)) continue;
        const price = priceInCurrency(
          BigInt(fee.amountMicros),
          version.currency,
          version.prices[account.currency]?.oneTimeFeesMicros[fee.code],
          account.currency,
          onDay,
          tenant.fxRates,
          `one-time fee ${fee.code} of plan ${plan.name}`,
        );
        if (!price.ok) return { ok: false, code: price.code, message: price.message };
        if (price.rate !== null) rates.push(price.rate);
        lines.push({
          charge: {
            ref: '',
            kind: 'one_time',
            label: fee.name,
            taxCategory: 'one_time',
            amountMicros: price.amountMicros,
            subscriptionId: line.id,
            planId: plan.id,
            service: null,
          },
          extra: { lineKey: key, planVersionId: version.id, days: { fromDay: day, toDay: day + 1 } },
        });
      }
    }
  }
  return { ok: true, lines, rates };
}

/**
 * Each line's minimum spend on usage for the period, from its base plan version in force at the
 * period's end, prorated by the days the line paid that plan in the period.
 */
function commitmentsOf(
  spans: ReturnType<typeof planSpansOf>,
  tenant: TenantBilling,
  clock: ZoneClock,
  period: BillPeriod,
  account: AccountToBill,
): Commitment[] {
  const commitments: Commitment[] = [];
  const cycleDays = spanDays(cycleContaining(cycleRuleOf(account), period.period.fromDay));
  for (const span of spans) {
    const plan = tenant.plans.get(span.planId);
    const inPeriod = intersectSpans(span.span, period.period);
    if (plan === undefined || inPeriod === null) continue;
    const version = [...plan.versions]
      .reverse()
      .find((v, i, all) => i === all.length - 1 || firstDayOf(v, clock) < period.period.toDay);
    const minimum = version?.minimumCommitmentMicros ?? null;
    if (minimum === null || minimum === 0n || version?.currency !== account.currency) continue;
    commitments.push({
      subscriptionId: span.subscriptionId,
      planId: plan.id,
      label: plan.name,
      minimumMicros: (minimum * BigInt(spanDays(inPeriod))) / BigInt(cycleDays),
    });
  }
  return commitments;
}

/** Discounts whose dates meet the period and that have invoices left to apply to. */
function discountsInForce(account: AccountToBill, period: BillPeriod): DiscountRule[] {
  return account.discounts
    .filter(
      (d) =>
        d.startsAt.getTime() < period.periodEndMs &&
        (d.endsAt === null || d.endsAt.getTime() > period.periodStartMs) &&
        (d.cycles === null || d.invoicesUsed < d.cycles) &&
        (d.kind === 'percent' || d.currency === account.currency),
    )
    .map((d) => ({
      id: d.id,
      name: d.name,
      kind: d.kind,
      percent: d.percent,
      amountMicros: d.amountMicros,
      target: d.target,
      targetId: d.targetId,
    }));
}

/**
 * The taxes of each category for the customer's jurisdiction at the tax point, remembered per
 * category, and the exemptions that removed a tax (printed with their certificates).
 */
function taxResolver(account: AccountToBill, tenant: TenantBilling, atMs: number) {
  const rules: TaxRuleVersion[] = tenant.taxRules.map((r) => ({
    jurisdiction: r.jurisdiction,
    category: r.category,
    effectiveFromMs: r.effectiveFrom.getTime(),
    effectiveToMs: r.effectiveTo === null ? null : r.effectiveTo.getTime(),
    components: r.components,
  }));
  const exemptions = account.customer.exemptions.map((e) => ({
    taxCode: e.tax,
    certificate: e.certificate,
    validFromMs: null,
    validToMs: null,
  }));
  const cache = new Map<string, readonly TaxComponent[]>();
  const exempted = new Map<string, string>();
  const jurisdiction = account.customer.taxRegion;
  return {
    componentsOf(category: string): readonly TaxComponent[] {
      if (jurisdiction === null) return [];
      const cached = cache.get(category);
      if (cached !== undefined) return cached;
      const selection = selectTaxComponents(rules, jurisdiction, category, atMs, exemptions);
      for (const e of selection.exempted) exempted.set(e.component.code, e.certificate);
      cache.set(category, selection.components);
      return selection.components;
    },
    exempted: () => [...exempted].map(([taxCode, certificate]) => ({ taxCode, certificate })),
  };
}

function dedupeRates(rates: readonly ExchangeRateUsed[]): ExchangeRateUsed[] {
  const seen = new Map<string, ExchangeRateUsed>();
  for (const rate of rates) seen.set(`${rate.from}${rate.to}${rate.date}`, rate);
  return [...seen.values()];
}
