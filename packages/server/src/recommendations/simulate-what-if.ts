import {
  type DaySpan,
  dayOfIsoDate,
  divideRounded,
  isoDateOfDay,
  repriceCycles,
  spanDays,
  zoneClockFor,
} from '@tollgate/core';
import type { Kysely } from 'kysely';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import { planSpansOf } from '../billing/plan-spans.js';
import { issuesProblem } from '../catalog/catalog-problems.js';
import { checkPlanTariff } from '../catalog/check-plan-tariff.js';
import { checkPlanVersion } from '../catalog/check-plan-version.js';
import { type CatalogIssue, prepareTariffDocument } from '../catalog/prepare-tariff-document.js';
import { findTariff } from '../catalog/tariff-store.js';
import type { Database } from '../db/database-schema.js';
import { HttpProblem } from '../http/problem.js';
import { billableDays, lineCalendarOf, repricingCycle } from './complete-cycles.js';
import { LINES_PER_LOAD, type LineToReprice, loadLines, loadMeasuredUsage } from './load-lines.js';
import type { WhatIf, WhatIfBody } from './recommendation-schemas.js';
import {
  type CatalogPlan,
  type DraftTariff,
  loadRepricingCatalog,
  type PlanTerms,
  type PricedPlanOutcome,
  pricedPlanOf,
  type RepricingCatalog,
  repricingTaxes,
  termsOf,
  versionInForce,
} from './repricing-catalog.js';

/** Lines one what-if prices, in id order: a bound on one request's work. */
export const MAX_WHAT_IF_LINES = 20_000;
/** The longest period a what-if prices: a year. */
const MAX_PERIOD_DAYS = 366;

export type WhatIfResult =
  | { readonly ok: true; readonly whatIf: WhatIf }
  | { readonly ok: false; readonly problem: HttpProblem };

interface Drafts {
  readonly plans: ReadonlyMap<string, PlanTerms>;
  readonly tariffs: ReadonlyMap<string, DraftTariff>;
}

/**
 * Prices draft plan versions and tariff documents against a period's real usage, before they are
 * published, and reports the revenue change per plan and per customer group. Drafts are checked
 * as the publish routes check them (checkPlanVersion and the plan's tariff; prepareTariffDocument
 * and the tariff's currency); their effective and activation times are not, since the draft is
 * priced as if it had applied throughout the period. Each line billable in the period is priced
 * twice with core's repriceCycles over the period taken as one cycle (allowances granted once,
 * for the days the line was billable; fees prorated per fee window): under its plan's stored
 * version in force at the period's end, and with the drafts in place. Revenue is the net (fees
 * and usage after allowances, before tax). Nothing is stored.
 */
export async function simulateWhatIf(
  db: Kysely<Database>,
  tenantId: string,
  body: WhatIfBody,
  now: Date,
): Promise<WhatIfResult> {
  const tenant = await db
    .selectFrom('tenants')
    .select(['time_zone', 'default_currency'])
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const period = periodOf(body, tenant.time_zone, now);
  if (!period.ok) return period;
  const catalog = await loadRepricingCatalog(db, tenantId);
  const drafts = await checkDrafts(db, tenantId, catalog, body, tenant);
  if (!drafts.ok) return drafts;
  const ids = await db
    .selectFrom('subscriptions')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('plan_id', 'is not', null)
    .orderBy('id')
    .limit(MAX_WHAT_IF_LINES)
    .execute();
  const sums = new RevenueSums();
  const pricer = new WhatIfPricer(db, catalog, drafts.drafts);
  for (let start = 0; start < ids.length; start += LINES_PER_LOAD) {
    const lines = await loadLines(
      db,
      tenantId,
      ids.slice(start, start + LINES_PER_LOAD).map((row) => row.id),
    );
    const priced = await priceLines(db, tenantId, catalog, pricer, lines, period.span, sums);
    if (!priced.ok) return priced;
  }
  return {
    ok: true,
    whatIf: {
      from: isoDateOfDay(period.span.fromDay),
      to: isoDateOfDay(period.span.toDay - 1),
      ...sums.view(catalog),
    },
  };
}

async function priceLines(
  db: Kysely<Database>,
  tenantId: string,
  catalog: RepricingCatalog,
  pricer: WhatIfPricer,
  lines: readonly LineToReprice[],
  span: DaySpan,
  sums: RevenueSums,
): Promise<{ ok: true } | { ok: false; problem: HttpProblem }> {
  const entries = lines.flatMap((line) => {
    const calendar = lineCalendarOf(line);
    const spans = planSpansOf(line.line.id, line.line.events, calendar.clock, span.toDay).filter(
      (s) =>
        catalog.plans.get(s.planId)?.kind === 'base' &&
        s.span.fromDay < span.toDay &&
        s.span.toDay > span.fromDay,
    );
    const last = spans[spans.length - 1];
    if (last === undefined) return [];
    const billable = billableDays(
      spans.map((s) => s.span),
      span,
    );
    return [{ line, plan: catalog.plans.get(last.planId)!, cycle: repricingCycle(calendar, span, billable) }];
  });
  if (entries.length === 0) return { ok: true };
  const usage = await loadMeasuredUsage(
    db,
    tenantId,
    entries.map((e) => e.line),
    Math.min(...entries.map((e) => e.cycle.startMs)),
    Math.max(...entries.map((e) => e.cycle.endMs)),
  );
  for (const { line, plan, cycle } of entries) {
    const lineUsage = (usage.get(line.line.id) ?? []).filter(
      (u) => u.startedAtMs >= cycle.startMs && u.startedAtMs < cycle.endMs,
    );
    const revenue = async (proposed: boolean) => {
      const priced = await pricer.get(
        plan,
        proposed,
        line.account.currency,
        cycle.startMs,
        cycle.endMs,
        span,
      );
      if (!priced.ok) return priced;
      const outcome = repriceCycles({
        subscriptionId: line.line.id,
        currency: line.account.currency,
        accountRule: lineCalendarOf(line).rule,
        cycles: [cycle],
        usage: lineUsage,
        plan: priced.plan,
        taxes: repricingTaxes(catalog, line.customer),
      });
      if (!outcome.ok) return { ok: false as const, message: outcome.message };
      const [only] = outcome.repriced.cycles;
      return { ok: true as const, micros: (only?.recurringFeeMicros ?? 0n) + (only?.usageMicros ?? 0n) };
    };
    const current = await revenue(false);
    // A line its own stored plan cannot price (usage suspended since, a tariff changed currency) is left out.
    if (!current.ok) continue;
    const proposed = await revenue(true);
    if (!proposed.ok)
      return {
        ok: false,
        problem: new HttpProblem(
          'unprocessable',
          `with the drafts, the usage of line ${line.identifier ?? line.line.id} on plan ${plan.code} cannot be priced: ${proposed.message}`,
        ),
      };
    sums.add(line, plan, current.micros, proposed.micros);
  }
  return { ok: true };
}

/** Plans priced as stored and as drafted, once per plan, currency and period instants. */
class WhatIfPricer {
  readonly #entries = new Map<string, Promise<PricedPlanOutcome>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly catalog: RepricingCatalog,
    private readonly drafts: Drafts,
  ) {}

  get(
    plan: CatalogPlan,
    proposed: boolean,
    currency: string,
    fromMs: number,
    toMs: number,
    span: DaySpan,
  ): Promise<PricedPlanOutcome> {
    const key = `${plan.id}|${proposed}|${currency}|${fromMs}|${toMs}`;
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      const stored = versionInForce(plan, new Date(toMs - 1)) ?? plan.versions[0];
      const draft = proposed ? this.drafts.plans.get(plan.id) : undefined;
      const terms = draft ?? (stored === undefined ? undefined : termsOf(stored));
      entry =
        terms === undefined
          ? Promise.resolve({ ok: false as const, message: `plan ${plan.code} has no version` })
          : pricedPlanOf(this.db, this.catalog, {
              plan,
              terms,
              currency,
              onDay: isoDateOfDay(span.toDay - 1),
              fromMs,
              toMs,
              ...(proposed ? { draftTariffs: this.drafts.tariffs } : {}),
            });
      this.#entries.set(key, entry);
    }
    return entry;
  }
}

function periodOf(
  body: WhatIfBody,
  timeZone: string,
  now: Date,
): { ok: true; span: DaySpan } | { ok: false; problem: HttpProblem } {
  const today = isoDateOfDay(zoneClockFor(timeZone).localTime(now.getTime()).dayNumber);
  const thisMonth = dayOfIsoDate(`${today.slice(0, 7)}-01`);
  const lastMonth = dayOfIsoDate(`${isoDateOfDay(thisMonth - 1).slice(0, 7)}-01`);
  let fromDay: number;
  let toDay: number;
  try {
    fromDay = body.from === undefined ? lastMonth : dayOfIsoDate(body.from);
    toDay =
      body.to === undefined ? (body.from === undefined ? thisMonth : fromDay + 1) : dayOfIsoDate(body.to) + 1;
    if (body.to !== undefined && body.from === undefined) fromDay = dayOfIsoDate(`${body.to.slice(0, 7)}-01`);
  } catch (error) {
    return {
      ok: false,
      problem: new HttpProblem('validation_failed', (error as Error).message, [
        { field: '/from', message: (error as Error).message },
      ]),
    };
  }
  if (toDay <= fromDay)
    return {
      ok: false,
      problem: new HttpProblem('validation_failed', 'to is before from', [
        { field: '/to', message: 'before from' },
      ]),
    };
  if (spanDays({ fromDay, toDay }) > MAX_PERIOD_DAYS)
    return {
      ok: false,
      problem: new HttpProblem('validation_failed', `a what-if covers at most ${MAX_PERIOD_DAYS} days`, [
        { field: '/to', message: 'too far from from' },
      ]),
    };
  return { ok: true, span: { fromDay, toDay } };
}

/** Checks every draft as publishing it would; every problem is reported at once, at its field. */
async function checkDrafts(
  db: Kysely<Database>,
  tenantId: string,
  catalog: RepricingCatalog,
  body: WhatIfBody,
  tenant: { readonly time_zone: string; readonly default_currency: string },
): Promise<{ ok: true; drafts: Drafts } | { ok: false; problem: HttpProblem }> {
  const issues: CatalogIssue[] = [];
  const plans = new Map<string, PlanTerms>();
  for (const [i, entry] of (body.plans ?? []).entries()) {
    const plan = catalog.plans.get(entry.planId);
    if (plan === undefined) {
      issues.push({ field: `/plans/${i}/planId`, message: `no plan ${entry.planId}` });
      continue;
    }
    const checked = checkPlanVersion(entry.draft, plan.kind, tenant.default_currency);
    if (!checked.ok) {
      issues.push(...checked.issues.map((issue) => ({ ...issue, field: `/plans/${i}/draft${issue.field}` })));
      continue;
    }
    const tariffIssue = await db
      .transaction()
      .execute((trx) => checkPlanTariff(trx, tenantId, checked.version));
    if (tariffIssue !== null) {
      issues.push({ ...tariffIssue, field: `/plans/${i}/draft${tariffIssue.field}` });
      continue;
    }
    const v = checked.version;
    plans.set(plan.id, {
      id: `draft:${plan.id}`,
      recurringFeeMicros: v.recurringFeeMicros,
      currency: v.currency,
      feePeriod: v.feePeriod,
      allowances: v.allowances,
      tariffId: v.tariffId,
      prices: v.prices,
      minimumCommitmentMicros: v.minimumCommitmentMicros,
      taxCategory: v.taxCategory,
    });
  }
  const tariffs = new Map<string, DraftTariff>();
  for (const [i, entry] of (body.tariffs ?? []).entries()) {
    const tariff = await findTariff(db, tenantId, entry.tariffId);
    if (tariff === undefined) {
      issues.push({ field: `/tariffs/${i}/tariffId`, message: `no tariff ${entry.tariffId}` });
      continue;
    }
    const prepared = prepareTariffDocument(
      { format: 'native', document: entry.document },
      { code: tariff.code, currency: tariff.currency, timeZone: tenant.time_zone },
    );
    if (!prepared.ok) {
      issues.push(...prepared.issues.map((issue) => ({ ...issue, field: `/tariffs/${i}${issue.field}` })));
      continue;
    }
    if (prepared.tariff.document.currency !== tariff.currency) {
      const message = `tariff ${tariff.code} prices in ${tariff.currency}, this version in ${prepared.tariff.document.currency}; prices in another currency make another tariff`;
      issues.push({ field: `/tariffs/${i}/document/currency`, message });
      continue;
    }
    tariffs.set(tariff.id, {
      compiled: prepared.tariff.compiled,
      ratingTenants: prepared.tariff.summary.ratingTenants,
    });
  }
  if (issues.length > 0)
    return { ok: false, problem: issuesProblem('unprocessable', 'the drafts are not valid', issues) };
  return { ok: true, drafts: { plans, tariffs } };
}

interface RevenueSum {
  subscriptions: number;
  currentMicros: bigint;
  proposedMicros: bigint;
}

/** Revenue as stored and as drafted, per currency, per plan and per customer group. */
class RevenueSums {
  readonly #totals = new Map<string, RevenueSum>();
  readonly #byPlan = new Map<string, RevenueSum & { planId: string; currency: string }>();
  readonly #bySegment = new Map<string, RevenueSum & { segment: string; currency: string }>();

  add(line: LineToReprice, plan: CatalogPlan, currentMicros: bigint, proposedMicros: bigint): void {
    const currency = line.account.currency;
    const bump = (sum: RevenueSum) => {
      sum.subscriptions++;
      sum.currentMicros += currentMicros;
      sum.proposedMicros += proposedMicros;
    };
    bump(getOr(this.#totals, currency, () => ({ subscriptions: 0, currentMicros: 0n, proposedMicros: 0n })));
    bump(
      getOr(this.#byPlan, `${plan.id}|${currency}`, () => ({
        planId: plan.id,
        currency,
        subscriptions: 0,
        currentMicros: 0n,
        proposedMicros: 0n,
      })),
    );
    bump(
      getOr(this.#bySegment, `${line.customer.group}|${currency}`, () => ({
        segment: line.customer.group,
        currency,
        subscriptions: 0,
        currentMicros: 0n,
        proposedMicros: 0n,
      })),
    );
  }

  view(catalog: RepricingCatalog): Pick<WhatIf, 'totals' | 'byPlan' | 'bySegment'> {
    const figures = (sum: RevenueSum, currency: string) => ({
      currency,
      subscriptions: sum.subscriptions,
      currentRevenue: formatMoneyAmount(sum.currentMicros, currency),
      proposedRevenue: formatMoneyAmount(sum.proposedMicros, currency),
      change: formatMoneyAmount(sum.proposedMicros - sum.currentMicros, currency),
      changePercent: changePercent(sum.currentMicros, sum.proposedMicros),
    });
    return {
      totals: [...this.#totals]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([currency, sum]) => figures(sum, currency)),
      byPlan: [...this.#byPlan.values()]
        .map((sum) => {
          const plan = catalog.plans.get(sum.planId)!;
          return { planId: plan.id, code: plan.code, name: plan.name, ...figures(sum, sum.currency) };
        })
        .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.currency < b.currency ? -1 : 1)),
      bySegment: [...this.#bySegment.values()]
        .map((sum) => ({ segment: sum.segment, ...figures(sum, sum.currency) }))
        .sort((a, b) =>
          a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : a.currency < b.currency ? -1 : 1,
        ),
    };
  }
}

/** (proposed - current) / current as a percent with 2 decimals, half away from zero; null when current is 0. */
function changePercent(currentMicros: bigint, proposedMicros: bigint): string | null {
  if (currentMicros === 0n) return null;
  const hundredths = divideRounded((proposedMicros - currentMicros) * 10_000n, currentMicros, 'half-up');
  const negative = hundredths < 0n;
  const abs = negative ? -hundredths : hundredths;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

function getOr<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
