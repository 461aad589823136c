import { isoDateOfDay, type RepricedCycle } from '@tollgate/core';
import type { Kysely } from 'kysely';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import type { Database } from '../db/database-schema.js';
import { conflict, notFound, type UseCaseFailure, unprocessable } from '../outcomes/use-case-failure.js';
import { compareLinePlans, type PlanOption, PricedPlans } from './compare-line-plans.js';
import { completeCyclesOf } from './complete-cycles.js';
import { loadLines, loadMeasuredUsage } from './load-lines.js';
import type { PlanRecommendation } from './recommendation-schemas.js';
import { loadRepricingCatalog } from './repricing-catalog.js';

export const DEFAULT_CYCLES = 3;

export type RecommendPlansResult =
  | { readonly ok: true; readonly recommendation: PlanRecommendation }
  | UseCaseFailure;

/**
 * What the line would have paid on each plan it could move to, over its last complete bill cycles
 * of real usage, cheapest first, with the evidence per cycle (see compareLinePlans and core's
 * repriceCycles). Nothing is stored.
 */
export async function recommendPlans(
  db: Kysely<Database>,
  tenantId: string,
  subscriptionId: string,
  cycleCount: number,
  now: Date,
): Promise<RecommendPlansResult> {
  const [line] = await loadLines(db, tenantId, [subscriptionId]);
  if (line === undefined) return notFound(`no subscription ${subscriptionId}`);
  if (line.planId === null) return conflict(`subscription ${subscriptionId} has no plan`);
  const catalog = await loadRepricingCatalog(db, tenantId);
  const cycles = completeCyclesOf(line, (id) => catalog.plans.get(id)?.kind === 'base', now, cycleCount);
  if (cycles.length === 0)
    return conflict(
      `subscription ${subscriptionId} has no complete bill cycle yet in the last ${cycleCount}: recommendations compare whole cycles of real usage, so ask again after its first full cycle ends`,
    );
  const usage = await loadMeasuredUsage(
    db,
    tenantId,
    [line],
    cycles[0]!.startMs,
    cycles[cycles.length - 1]!.endMs,
  );
  const compared = await compareLinePlans(
    new PricedPlans(db, catalog),
    catalog,
    line,
    cycles,
    usage.get(line.line.id) ?? [],
    now,
  );
  if (!compared.ok) return unprocessable('params:/id', compared.message);
  const currentPlan = catalog.plans.get(line.planId)!;
  const currency = line.account.currency;
  return {
    ok: true,
    recommendation: {
      subscriptionId: line.line.id,
      currency,
      cycles: cycles.map((c) => ({
        from: isoDateOfDay(c.period.fromDay),
        to: isoDateOfDay(c.period.toDay - 1),
      })),
      current: { planId: currentPlan.id, code: currentPlan.code, name: currentPlan.name },
      options: compared.options.map((option) => optionView(option, currency)),
    },
  };
}

function optionView(option: PlanOption, currency: string): PlanRecommendation['options'][number] {
  const money = (micros: bigint) => formatMoneyAmount(micros, currency);
  return {
    planId: option.plan.id,
    planVersionId: option.planVersionId,
    code: option.plan.code,
    name: option.plan.name,
    current: option.current,
    rank: option.rank,
    total: money(option.repriced.totalMicros),
    averagePerCycle: money(option.averagePerCycleMicros),
    savingPerCycle: money(option.savingPerCycleMicros),
    cycles: option.repriced.cycles.map((cycle) => cycleView(cycle, currency)),
  };
}

export function cycleView(
  cycle: RepricedCycle,
  currency: string,
): PlanRecommendation['options'][number]['cycles'][number] {
  const money = (micros: bigint) => formatMoneyAmount(micros, currency);
  return {
    from: isoDateOfDay(cycle.period.fromDay),
    to: isoDateOfDay(cycle.period.toDay - 1),
    recurringFee: money(cycle.recurringFeeMicros),
    usage: money(cycle.usageMicros),
    tax: money(cycle.taxMicros),
    total: money(cycle.totalMicros),
    allowances: cycle.allowances.map((a) => ({
      service: a.category === null ? a.service : `${a.service}:${a.category}`,
      unit: a.unit,
      included: a.unit === currency ? money(a.includedUnits) : a.includedUnits.toString(),
      used: a.unit === currency ? money(a.usedUnits) : a.usedUnits.toString(),
    })),
  };
}
