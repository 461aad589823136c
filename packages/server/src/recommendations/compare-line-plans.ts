import {
  isoDateOfDay,
  type MeasuredUsage,
  type PricedPlan,
  type RepricedPlan,
  type RepricingCycle,
  rankPlanOptions,
  repriceCycles,
} from '@tollgate/core';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { lineCalendarOf } from './complete-cycles.js';
import type { LineToReprice } from './load-lines.js';
import {
  type CatalogPlan,
  type PricedPlanOutcome,
  pricedPlanOf,
  type RepricingCatalog,
  repricingTaxes,
  termsOf,
  versionInForce,
} from './repricing-catalog.js';

export interface PlanOption {
  readonly plan: CatalogPlan;
  readonly planVersionId: string;
  readonly current: boolean;
  readonly repriced: RepricedPlan;
  readonly rank: number;
  readonly averagePerCycleMicros: bigint;
  readonly savingPerCycleMicros: bigint;
}

export type LineComparison =
  | { readonly ok: true; readonly options: readonly PlanOption[] }
  | { readonly ok: false; readonly message: string };

/**
 * Priced plans of one request, by plan version, currency and usage window: a batch over many
 * lines prices each plan once per account currency and cycle calendar.
 */
export class PricedPlans {
  readonly #entries = new Map<string, Promise<PricedPlanOutcome>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly catalog: RepricingCatalog,
  ) {}

  get(
    plan: CatalogPlan,
    versionId: string,
    currency: string,
    cycles: readonly RepricingCycle[],
  ): Promise<PricedPlanOutcome> {
    const fromMs = cycles[0]!.startMs;
    const toMs = cycles[cycles.length - 1]!.endMs;
    const key = `${versionId}|${currency}|${fromMs}|${toMs}`;
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      const row = plan.versions.find((v) => v.id === versionId);
      if (row === undefined) throw new Error(`plan ${plan.id} has no version ${versionId}`);
      entry = pricedPlanOf(this.db, this.catalog, {
        plan,
        terms: termsOf(row),
        currency,
        onDay: isoDateOfDay(cycles[cycles.length - 1]!.period.toDay - 1),
        fromMs,
        toMs,
      });
      this.#entries.set(key, entry);
    }
    return entry;
  }
}

/**
 * The base plans a line could be on (every base plan with a version in force now, priced in the
 * account's currency), plus its own plan, re-priced over the same cycles of the line's measured
 * usage and ranked. A plan that cannot price some of the usage (no rate for a destination the
 * line called) is left out: the line could not move to it unchanged. The line's own plan must
 * price it, or there is nothing to compare with.
 */
export async function compareLinePlans(
  priced: PricedPlans,
  catalog: RepricingCatalog,
  line: LineToReprice,
  cycles: readonly RepricingCycle[],
  usage: readonly MeasuredUsage[],
  now: Date,
): Promise<LineComparison> {
  const currency = line.account.currency;
  const candidates: { plan: CatalogPlan; versionId: string; current: boolean }[] = [];
  for (const plan of catalog.plans.values()) {
    const current = plan.id === line.planId;
    if (plan.kind !== 'base' && !current) continue;
    const version =
      versionInForce(plan, now) ?? (current ? plan.versions[plan.versions.length - 1] : undefined);
    if (version === undefined) continue;
    if (!current && version.currency.trim() !== currency && version.prices[currency] === undefined) continue;
    candidates.push({ plan, versionId: version.id, current });
  }
  if (!candidates.some((c) => c.current))
    return { ok: false, message: `the line's plan ${line.planId} is not in the catalog` };
  const calendar = lineCalendarOf(line);
  const taxes = repricingTaxes(catalog, line.customer);
  const totals: (PlanOptionDraft & { totalMicros: bigint })[] = [];
  for (const candidate of candidates) {
    const plan = await priced.get(candidate.plan, candidate.versionId, currency, cycles);
    const repriced = plan.ok ? reprice(line, calendar.rule, cycles, usage, plan.plan, taxes) : plan;
    if (!repriced.ok) {
      if (candidate.current)
        return { ok: false, message: `the line's own plan cannot price its usage: ${repriced.message}` };
      continue;
    }
    totals.push({
      ...candidate,
      planId: candidate.plan.id,
      code: candidate.plan.code,
      repriced: repriced.repriced,
      totalMicros: repriced.repriced.totalMicros,
    });
  }
  const ranked = rankPlanOptions(totals, cycles.length, currency);
  return {
    ok: true,
    options: ranked.map((r) => ({
      plan: r.option.plan,
      planVersionId: r.option.versionId,
      current: r.option.current,
      repriced: r.option.repriced,
      rank: r.rank,
      averagePerCycleMicros: r.averagePerCycleMicros,
      savingPerCycleMicros: r.savingPerCycleMicros,
    })),
  };
}

interface PlanOptionDraft {
  readonly plan: CatalogPlan;
  readonly versionId: string;
  readonly current: boolean;
  readonly planId: string;
  readonly code: string;
  readonly repriced: RepricedPlan;
}

function reprice(
  line: LineToReprice,
  accountRule: ReturnType<typeof lineCalendarOf>['rule'],
  cycles: readonly RepricingCycle[],
  usage: readonly MeasuredUsage[],
  plan: PricedPlan,
  taxes: ReturnType<typeof repricingTaxes>,
): { ok: true; repriced: RepricedPlan } | { ok: false; message: string } {
  const outcome = repriceCycles({
    subscriptionId: line.line.id,
    currency: line.account.currency,
    accountRule,
    cycles,
    usage,
    plan,
    taxes,
  });
  return outcome.ok ? outcome : { ok: false, message: outcome.message };
}
