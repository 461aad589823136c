import type { Kysely } from 'kysely';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import type { Database } from '../db/database-schema.js';
import { compareLinePlans, type PlanOption, PricedPlans } from './compare-line-plans.js';
import { completeCyclesOf } from './complete-cycles.js';
import { LINES_PER_LOAD, loadLines, loadMeasuredUsage } from './load-lines.js';
import type { Opportunities, Opportunity } from './recommendation-schemas.js';
import { loadRepricingCatalog } from './repricing-catalog.js';

/**
 * Active lines one report looks at, in id order: a bound on the work of one request (every line's
 * usage re-priced under every plan). Beyond it, the report covers the first lines only.
 */
export const MAX_LINES_PER_REPORT = 20_000;

export interface OpportunitiesRequest {
  readonly kind: 'saving' | 'upsell';
  readonly cycles: number;
  readonly limit: number;
  readonly now: Date;
}

/**
 * The batch behind plan recommendations, over the tenant's active lines: each line's last complete
 * cycles re-priced under every plan (compareLinePlans), the usage of a chunk of lines read in one
 * statement and re-priced in memory, each plan priced once.
 *
 * - saving (churn risk): lines whose cheapest other plan would have cost less, the largest saving
 *   per cycle first;
 * - upsell: lines that paid for usage beyond an allowance in at least half of the compared cycles,
 *   the most such cycles first, then the highest spend; the suggested plan is the other plan that
 *   would have cost them least.
 */
export async function findPlanOpportunities(
  db: Kysely<Database>,
  tenantId: string,
  request: OpportunitiesRequest,
): Promise<Opportunities> {
  const catalog = await loadRepricingCatalog(db, tenantId);
  const priced = new PricedPlans(db, catalog);
  const active = await db
    .selectFrom('subscriptions')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'active')
    .where('plan_id', 'is not', null)
    .orderBy('id')
    .limit(MAX_LINES_PER_REPORT)
    .execute();
  const isBase = (id: string) => catalog.plans.get(id)?.kind === 'base';
  const found: (Opportunity & { readonly sortKey: readonly bigint[] })[] = [];
  for (let start = 0; start < active.length; start += LINES_PER_LOAD) {
    const lines = await loadLines(
      db,
      tenantId,
      active.slice(start, start + LINES_PER_LOAD).map((row) => row.id),
    );
    const withCycles = lines
      .map((line) => ({ line, cycles: completeCyclesOf(line, isBase, request.now, request.cycles) }))
      .filter((entry) => entry.cycles.length > 0);
    if (withCycles.length === 0) continue;
    const fromMs = Math.min(...withCycles.map((e) => e.cycles[0]!.startMs));
    const toMs = Math.max(...withCycles.map((e) => e.cycles[e.cycles.length - 1]!.endMs));
    const usage = await loadMeasuredUsage(
      db,
      tenantId,
      withCycles.map((e) => e.line),
      fromMs,
      toMs,
    );
    for (const { line, cycles } of withCycles) {
      const compared = await compareLinePlans(
        priced,
        catalog,
        line,
        cycles,
        usage.get(line.line.id) ?? [],
        request.now,
      );
      if (!compared.ok) continue;
      const current = compared.options.find((o) => o.current);
      const best = compared.options.find((o) => !o.current);
      if (current === undefined || best === undefined) continue;
      const over = current.repriced.cycles.filter((c) => c.overAllowance).length;
      const item = opportunityOf(line, current, best, over, cycles.length);
      if (request.kind === 'saving' && best.savingPerCycleMicros > 0n)
        found.push({ ...item, sortKey: [-best.savingPerCycleMicros] });
      if (request.kind === 'upsell' && over > 0 && over * 2 >= cycles.length)
        found.push({ ...item, sortKey: [-BigInt(over), -current.averagePerCycleMicros] });
    }
  }
  found.sort((a, b) => compareKeys(a.sortKey, b.sortKey) || (a.subscriptionId < b.subscriptionId ? -1 : 1));
  return {
    kind: request.kind,
    cycles: request.cycles,
    items: found.slice(0, request.limit).map(({ sortKey: _sortKey, ...item }) => item),
  };
}

function opportunityOf(
  line: Awaited<ReturnType<typeof loadLines>>[number],
  current: PlanOption,
  best: PlanOption,
  cyclesOverAllowance: number,
  cyclesCompared: number,
): Opportunity {
  const currency = line.account.currency;
  const ref = (option: PlanOption) => ({
    planId: option.plan.id,
    code: option.plan.code,
    name: option.plan.name,
  });
  return {
    customerId: line.customer.id,
    customerName: line.customer.name,
    accountId: line.account.id,
    accountNumber: line.account.number,
    subscriptionId: line.line.id,
    identifier: line.identifier,
    currency,
    currentPlan: ref(current),
    suggestedPlan: ref(best),
    currentAveragePerCycle: formatMoneyAmount(current.averagePerCycleMicros, currency),
    suggestedAveragePerCycle: formatMoneyAmount(best.averagePerCycleMicros, currency),
    savingPerCycle: formatMoneyAmount(best.savingPerCycleMicros, currency),
    cyclesOverAllowance,
    cyclesCompared,
  };
}

function compareKeys(a: readonly bigint[], b: readonly bigint[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i]! !== b[i]!) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}
