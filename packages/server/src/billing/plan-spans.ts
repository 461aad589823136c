import type { DaySpan, ZoneClock } from '@tollgate/core';
import type { SubscriptionEventData } from '../accounts/account-tables.js';

export interface SubscriptionEventInput {
  readonly kind: string;
  readonly effectiveAt: Date;
  readonly data: SubscriptionEventData;
}

/** A run of days a line is billable on a plan (its base plan or an add-on). */
export interface PlanSpan {
  readonly subscriptionId: string;
  readonly planId: string;
  readonly span: DaySpan;
}

/**
 * The days a line pays each of its plans, replayed from its events (the record of what happened).
 * A change takes effect from the local day it happens on: a line activated on the 15th pays from
 * the 15th; paused, terminated or moved to another plan on the 20th, it pays the old terms up to
 * the 19th. Paused days pay no recurring fee; suspended days do (a suspension for non-payment
 * does not end the contract). A line still open pays until `horizonDay`.
 */
export function planSpansOf(
  subscriptionId: string,
  events: readonly SubscriptionEventInput[],
  clock: ZoneClock,
  horizonDay: number,
): PlanSpan[] {
  const spans: PlanSpan[] = [];
  const openSince = new Map<string, number>();
  let basePlan: string | null = null;
  const addons = new Set<string>();
  let paused = false;
  let ended = false;
  const close = (planId: string, day: number) => {
    const from = openSince.get(planId);
    openSince.delete(planId);
    if (from !== undefined && day > from)
      spans.push({ subscriptionId, planId, span: { fromDay: from, toDay: day } });
  };
  const billedPlans = () => (paused || ended ? [] : [...(basePlan === null ? [] : [basePlan]), ...addons]);
  for (const event of events) {
    const day = clock.localTime(event.effectiveAt.getTime()).dayNumber;
    const before = new Set(billedPlans());
    switch (event.kind) {
      case 'activated':
        basePlan = event.data.planId ?? null;
        break;
      case 'plan_changed':
        basePlan = event.data.toPlanId ?? null;
        break;
      case 'addon_added':
        if (event.data.addonPlanId !== undefined) addons.add(event.data.addonPlanId);
        break;
      case 'addon_removed':
        if (event.data.addonPlanId !== undefined) addons.delete(event.data.addonPlanId);
        break;
      case 'paused':
        paused = true;
        break;
      case 'resumed':
        paused = false;
        break;
      case 'terminated':
        ended = true;
        break;
      default:
        break; // suspended, restored: the line keeps paying
    }
    const after = new Set(billedPlans());
    for (const planId of before) if (!after.has(planId)) close(planId, day);
    for (const planId of after) if (!before.has(planId)) openSince.set(planId, day);
  }
  for (const planId of [...openSince.keys()]) close(planId, horizonDay);
  return spans.sort((a, b) => a.span.fromDay - b.span.fromDay || a.planId.localeCompare(b.planId));
}
