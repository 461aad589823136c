import { formatScaled, MICROS_SCALE } from '@tollgate/core';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { PlanTable, PlanVersionTable } from './catalog-tables.js';
import type { CheckedPlanVersion } from './check-plan-version.js';
import type { PlanDetail, PlanItem, PlanVersion } from './plan-schemas.js';

export type PlanRow = Selectable<PlanTable>;
export type PlanVersionRow = Selectable<PlanVersionTable>;
type Executor = Kysely<Database> | Transaction<Database>;

/** One plan of one tenant; another tenant's id reads as absent. */
export async function findPlan(
  db: Executor,
  tenantId: string,
  id: string,
  lock = false,
): Promise<PlanRow | undefined> {
  let query = db.selectFrom('plans').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The versions of some plans (of one tenant), oldest first. */
export async function listPlanVersions(
  db: Executor,
  tenantId: string,
  planIds: readonly string[],
): Promise<PlanVersionRow[]> {
  if (planIds.length === 0) return [];
  return db
    .selectFrom('plan_versions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('plan_id', 'in', planIds)
    .orderBy('plan_id')
    .orderBy('version')
    .execute();
}

/** The version in effect at `at`: the latest to take effect by then (versions take effect in order). */
export async function findPlanVersionAt(
  db: Executor,
  tenantId: string,
  planId: string,
  at: Date,
): Promise<PlanVersionRow | undefined> {
  return db
    .selectFrom('plan_versions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('plan_id', '=', planId)
    .where('effective_from', '<=', at)
    .orderBy('effective_from', 'desc')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertPlanVersion(
  trx: Transaction<Database>,
  tenantId: string,
  planId: string,
  version: number,
  checked: CheckedPlanVersion,
  effectiveFrom: Date,
  now: Date,
): Promise<PlanVersionRow> {
  return trx
    .insertInto('plan_versions')
    .values({
      tenant_id: tenantId,
      plan_id: planId,
      version,
      effective_from: effectiveFrom,
      recurring_fee_micros: checked.recurringFeeMicros,
      currency: checked.currency,
      fee_period: checked.feePeriod,
      one_time_fees: JSON.stringify(checked.oneTimeFees),
      allowances: JSON.stringify(checked.allowances),
      tariff_id: checked.tariffId,
      rating_subject: checked.ratingSubject,
      prices: JSON.stringify(checked.prices),
      minimum_commitment_micros: checked.minimumCommitmentMicros,
      tax_category: checked.taxCategory,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function toPlanVersion(row: PlanVersionRow): PlanVersion {
  return {
    id: row.id,
    planId: row.plan_id,
    version: row.version,
    effectiveFrom: row.effective_from.toISOString(),
    recurringFee: formatScaled(row.recurring_fee_micros, MICROS_SCALE),
    currency: row.currency,
    feePeriod: row.fee_period,
    oneTimeFees: row.one_time_fees.map((fee) => ({
      code: fee.code,
      name: fee.name,
      amount: formatScaled(BigInt(fee.amountMicros), MICROS_SCALE),
    })),
    allowances: row.allowances,
    tariffId: row.tariff_id,
    ratingSubject: row.rating_subject,
    prices: toPlanPrices(row),
    minimumCommitment:
      row.minimum_commitment_micros === null
        ? null
        : formatScaled(row.minimum_commitment_micros, MICROS_SCALE),
    taxCategory: row.tax_category,
    createdAt: row.created_at.toISOString(),
  };
}

/** The stored prices by currency code, each with its one-time fees in the version's order of fees. */
function toPlanPrices(row: PlanVersionRow): PlanVersion['prices'] {
  return Object.keys(row.prices)
    .sort()
    .flatMap((currency) => {
      const price = row.prices[currency];
      if (price === undefined) return [];
      return [
        {
          currency,
          recurringFee: formatScaled(BigInt(price.recurringFeeMicros), MICROS_SCALE),
          oneTimeFees: row.one_time_fees.flatMap((fee) => {
            const micros = price.oneTimeFeesMicros[fee.code];
            return micros === undefined
              ? []
              : [{ code: fee.code, amount: formatScaled(BigInt(micros), MICROS_SCALE) }];
          }),
        },
      ];
    });
}

/** Of a plan's versions, the one in effect at `at`, if any. */
export function planVersionAt(versions: readonly PlanVersionRow[], at: Date): PlanVersionRow | undefined {
  let found: PlanVersionRow | undefined;
  for (const version of versions) {
    if (version.effective_from.getTime() > at.getTime()) continue;
    if (found === undefined || version.effective_from.getTime() >= found.effective_from.getTime())
      found = version;
  }
  return found;
}

export function toPlanItem(row: PlanRow, versions: readonly PlanVersionRow[], at: Date): PlanItem {
  const current = planVersionAt(versions, at);
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind,
    latestVersion: versions.reduce((latest, version) => Math.max(latest, version.version), 0),
    current: current === undefined ? null : toPlanVersion(current),
    createdAt: row.created_at.toISOString(),
  };
}

export function toPlanDetail(row: PlanRow, versions: readonly PlanVersionRow[], at: Date): PlanDetail {
  return { ...toPlanItem(row, versions, at), at: at.toISOString(), versions: versions.map(toPlanVersion) };
}
