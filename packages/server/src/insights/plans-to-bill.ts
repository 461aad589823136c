import type { Kysely } from 'kysely';
import type { PlanToBill, TenantBilling } from '../billing/load-billing-chunk.js';
import type { Database } from '../db/database-schema.js';

/**
 * Some plans of a tenant with their versions (oldest first), in the shape bill runs price fees
 * from (loadTenantBilling reads every plan of the tenant; a read about one account needs its own).
 */
export async function loadPlansToBill(
  db: Kysely<Database>,
  tenantId: string,
  planIds: readonly string[],
): Promise<Map<string, PlanToBill>> {
  const ids = [...new Set(planIds)];
  if (ids.length === 0) return new Map();
  const [plans, versions] = await Promise.all([
    db
      .selectFrom('plans')
      .select(['id', 'name'])
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', ids)
      .execute(),
    db
      .selectFrom('plan_versions')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('plan_id', 'in', ids)
      .orderBy('plan_id')
      .orderBy('version')
      .execute(),
  ]);
  return new Map(
    plans.map((plan) => [
      plan.id,
      {
        id: plan.id,
        name: plan.name,
        versions: versions
          .filter((v) => v.plan_id === plan.id)
          .map((v) => ({
            id: v.id,
            planId: v.plan_id,
            effectiveFrom: v.effective_from,
            recurringFeeMicros: BigInt(v.recurring_fee_micros),
            currency: v.currency,
            feePeriod: v.fee_period,
            oneTimeFees: v.one_time_fees,
            allowances: v.allowances,
            prices: v.prices,
            minimumCommitmentMicros:
              v.minimum_commitment_micros === null ? null : BigInt(v.minimum_commitment_micros),
            taxCategory: v.tax_category,
          })),
      },
    ]),
  );
}

/** The tenant's exchange rates, newest first, as bill runs convert plan prices with them. */
export async function loadFxRates(db: Kysely<Database>, tenantId: string): Promise<TenantBilling['fxRates']> {
  const rows = await db
    .selectFrom('fx_rates')
    .select(['from_currency', 'to_currency', 'rate_date', 'rate', 'source'])
    .where('tenant_id', '=', tenantId)
    .orderBy('rate_date', 'desc')
    .execute();
  return rows.map((r) => ({
    from: r.from_currency,
    to: r.to_currency,
    date: r.rate_date,
    rate: String(r.rate),
    source: r.source,
  }));
}
