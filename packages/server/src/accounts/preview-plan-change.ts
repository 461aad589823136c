import {
  cycleContaining,
  type DaySpan,
  type FeeLine,
  intersectSpans,
  isoDateOfDay,
  recurringFeeLines,
  spanDays,
  type ZoneClock,
} from '@tollgate/core';
import type { Kysely } from 'kysely';
import { feeSegmentsOf, firstDayOf, priceInCurrency } from '../billing/fee-segments.js';
import type { PlanToBill, TenantBilling } from '../billing/load-billing-chunk.js';
import { type PlanSpan, planSpansOf, type SubscriptionEventInput } from '../billing/plan-spans.js';
import { findPlan } from '../catalog/plan-store.js';
import type { Database } from '../db/database-schema.js';
import { accountCalendarOf, localDayOf } from '../insights/account-calendar.js';
import { loadFxRates, loadPlansToBill } from '../insights/plans-to-bill.js';
import {
  conflict,
  invalid,
  notFound,
  type UseCaseFailure,
  unprocessable,
} from '../outcomes/use-case-failure.js';
import { findAccount } from './account-store.js';
import { formatMoneyAmount } from './money-amount.js';
import type { PlanChangePreview, PlanChangePreviewBody } from './plan-change-preview-schemas.js';
import { findSubscription } from './subscription-store.js';
import { statusAfter } from './subscription-transitions.js';

export type PreviewPlanChangeResult =
  | { readonly ok: true; readonly preview: PlanChangePreview }
  | UseCaseFailure;

/**
 * What moving a line to another base plan would add to the next invoice, without changing
 * anything. The change is checked as POST /v1/subscriptions/{id}/changes checks it (the line can
 * take it, the plan is another one, the time is not before the last change nor in the future),
 * then priced with billing's own functions: the line's plan spans replayed from its events with
 * and without the change (planSpansOf), priced in the account's currency (feeSegmentsOf), and
 * prorated per fee window (recurringFeeLines).
 *
 * A bill run bills a cycle's recurring fees in advance, so the preview takes the cycle holding
 * the change as billed under the current terms, and asks recurringFeeLines what the changed terms
 * add to that: a credit of the current plan's fee for the days from the change to the cycle's end
 * and a charge of the new plan's fee for the same days, each fee × days ÷ window days, rounded to
 * the minor unit half away from zero (a line whose every billed day is taken back is credited
 * exactly what it was charged). Days before the cycle and after it are not the change's: the
 * next cycle is billed at the new plan's fee per period, which the preview states.
 */
export async function previewPlanChange(
  db: Kysely<Database>,
  tenantId: string,
  subscriptionId: string,
  input: PlanChangePreviewBody,
  now: Date,
): Promise<PreviewPlanChangeResult> {
  const line = await findSubscription(db, tenantId, subscriptionId);
  if (line === undefined) return notFound(`no subscription ${subscriptionId}`);
  if (line.status === 'terminated' || statusAfter(line.status, 'plan_changed') === null)
    return conflict(`subscription ${subscriptionId} is ${line.status}: its plan cannot change`);
  if (input.planId === line.plan_id)
    return conflict(`subscription ${subscriptionId} is already on plan ${input.planId}`, '/planId');
  const newPlan = await findPlan(db, tenantId, input.planId);
  if (newPlan === undefined) return unprocessable('/planId', `no plan ${input.planId}`);
  if (newPlan.kind !== 'base')
    return unprocessable('/planId', `plan ${newPlan.code} is an add-on; a line changes to a base plan`);
  const account = await findAccount(db, tenantId, line.account_id);
  if (account === undefined) throw new Error(`subscription ${subscriptionId} has no account`);
  const events = await db
    .selectFrom('subscription_events')
    .select(['kind', 'effective_at', 'data'])
    .where('tenant_id', '=', tenantId)
    .where('subscription_id', '=', subscriptionId)
    .orderBy('sequence')
    .execute();
  const last = events[events.length - 1];
  if (last === undefined) throw new Error(`subscription ${subscriptionId} has no events`);
  const effectiveAt = effectiveTimeOf(input.effectiveAt, last, now);
  if (!(effectiveAt instanceof Date)) return effectiveAt;

  const calendar = accountCalendarOf(account);
  const effectiveDay = localDayOf(calendar, effectiveAt);
  const cycle = cycleContaining(calendar.rule, effectiveDay);
  const history: SubscriptionEventInput[] = events.map((e) => ({
    kind: e.kind,
    effectiveAt: e.effective_at,
    data: e.data,
  }));
  const changed: SubscriptionEventInput[] = [
    ...history,
    { kind: 'plan_changed', effectiveAt, data: { fromPlanId: line.plan_id, toPlanId: input.planId } },
  ];
  const planIds = [input.planId, ...(line.plan_id === null ? [] : [line.plan_id])];
  for (const e of events)
    for (const id of [e.data.planId, e.data.toPlanId, e.data.fromPlanId, e.data.addonPlanId])
      if (typeof id === 'string') planIds.push(id);
  const [plans, fxRates, currentPlan] = await Promise.all([
    loadPlansToBill(db, tenantId, planIds),
    loadFxRates(db, tenantId),
    line.plan_id === null ? undefined : findPlan(db, tenantId, line.plan_id),
  ]);
  const pricing: Pricing = {
    clock: calendar.clock,
    currency: account.currency,
    onDay: isoDateOfDay(cycle.toDay - 1),
    plans,
    fxRates,
  };
  const before = segmentsIn(subscriptionId, history, cycle, pricing);
  const after = segmentsIn(subscriptionId, changed, cycle, pricing);
  if (!before.ok) return before;
  if (!after.ok) return after;
  let lines: FeeLine[];
  try {
    const billedAsIf = recurringFeeLines({
      currency: account.currency,
      accountRule: calendar.rule,
      segments: before.segments,
      billed: [],
      throughDay: cycle.toDay,
    });
    lines = recurringFeeLines({
      currency: account.currency,
      accountRule: calendar.rule,
      segments: after.segments,
      billed: billedAsIf,
      throughDay: cycle.toDay,
    });
  } catch (error) {
    return unprocessable('/planId', `the fees cannot be prorated: ${(error as Error).message}`);
  }
  const terms = (plan: { id: string; code: string; name: string }) => termsOf(plan, effectiveDay, pricing);
  const newTerms = terms(newPlan);
  if (!newTerms.ok) return newTerms;
  const currentTerms = currentPlan === undefined ? null : terms(currentPlan);
  if (currentTerms !== null && !currentTerms.ok) return currentTerms;

  const money = (micros: bigint) => formatMoneyAmount(micros, account.currency);
  const credit = lines.reduce((sum, l) => (l.amountMicros < 0n ? sum + l.amountMicros : sum), 0n);
  const charge = lines.reduce((sum, l) => (l.amountMicros > 0n ? sum + l.amountMicros : sum), 0n);
  return {
    ok: true,
    preview: {
      subscriptionId,
      accountId: account.id,
      currency: account.currency,
      effectiveAt: effectiveAt.toISOString(),
      effectiveDate: isoDateOfDay(effectiveDay),
      cycle: {
        start: isoDateOfDay(cycle.fromDay),
        end: isoDateOfDay(cycle.toDay - 1),
        days: spanDays(cycle),
      },
      currentPlan: currentTerms === null ? null : currentTerms.terms,
      newPlan: { ...newTerms.terms, allowances: [...newTerms.allowances] },
      lines: lines.map((l) => ({
        kind: l.kind,
        planId: l.planId,
        label: l.label,
        from: isoDateOfDay(l.span.fromDay),
        to: isoDateOfDay(l.span.toDay - 1),
        days: l.days,
        windowDays: l.windowDays,
        fee: money(l.feeMicros),
        amount: money(l.amountMicros),
      })),
      credit: money(credit),
      charge: money(charge),
      net: money(charge + credit),
    },
  };
}

interface Pricing {
  readonly clock: ZoneClock;
  readonly currency: string;
  /** The day exchange rates are taken on: the cycle's last, as its bill would take them. */
  readonly onDay: string;
  readonly plans: ReadonlyMap<string, PlanToBill>;
  readonly fxRates: TenantBilling['fxRates'];
}

type SegmentsResult =
  | { readonly ok: true; readonly segments: ReturnType<typeof feeSegmentsOf>['segments'] }
  | UseCaseFailure;

/** The line's priced fee segments within the cycle's days, from its events. */
function segmentsIn(
  subscriptionId: string,
  events: readonly SubscriptionEventInput[],
  cycle: DaySpan,
  pricing: Pricing,
): SegmentsResult {
  const spans: PlanSpan[] = planSpansOf(subscriptionId, events, pricing.clock, cycle.toDay).flatMap(
    (span) => {
      const days = intersectSpans(span.span, cycle);
      return days === null ? [] : [{ ...span, span: days }];
    },
  );
  const priced = feeSegmentsOf(
    spans,
    pricing.plans,
    pricing.clock,
    pricing.currency,
    pricing.onDay,
    pricing.fxRates,
  );
  if (priced.failure !== null) return unprocessable('/planId', priced.failure.message);
  return { ok: true, segments: priced.segments };
}

type TermsResult =
  | {
      readonly ok: true;
      readonly terms: { id: string; code: string; name: string; recurringFee: string; feePeriod: string };
      readonly allowances: PlanToBill['versions'][number]['allowances'];
    }
  | UseCaseFailure;

/** A plan's fee per period and allowances in the version that prices `day`, in the account's currency. */
function termsOf(
  plan: { id: string; code: string; name: string },
  day: number,
  pricing: Pricing,
): TermsResult {
  const versions = pricing.plans.get(plan.id)?.versions ?? [];
  const version = [...versions]
    .reverse()
    .find((v, i, all) => i === all.length - 1 || firstDayOf(v, pricing.clock) <= day);
  if (version === undefined) return unprocessable('/planId', `plan ${plan.code} has no version`);
  const price = priceInCurrency(
    version.recurringFeeMicros,
    version.currency,
    version.prices[pricing.currency]?.recurringFeeMicros,
    pricing.currency,
    pricing.onDay,
    pricing.fxRates,
    `plan ${plan.name}`,
  );
  if (!price.ok) return unprocessable('/planId', price.message);
  return {
    ok: true,
    terms: {
      id: plan.id,
      code: plan.code,
      name: plan.name,
      recurringFee: formatMoneyAmount(price.amountMicros, pricing.currency),
      feePeriod: version.feePeriod,
    },
    allowances: version.allowances,
  };
}

/**
 * When the change would take effect, by the rule of changeSubscription: as asked, or now (or the
 * start of a line that has not started); never before the last change, never in the future.
 */
function effectiveTimeOf(
  asked: string | undefined,
  last: { readonly kind: string; readonly effective_at: Date },
  now: Date,
): Date | UseCaseFailure {
  const latest = new Date(Math.max(now.getTime(), last.effective_at.getTime()));
  const effectiveAt = asked === undefined ? latest : new Date(asked);
  if (effectiveAt < last.effective_at)
    return conflict(
      `effectiveAt is before the last change (${last.kind} at ${last.effective_at.toISOString()})`,
      '/effectiveAt',
    );
  if (effectiveAt > latest) return invalid('/effectiveAt', 'changes cannot be scheduled in the future yet');
  return effectiveAt;
}
