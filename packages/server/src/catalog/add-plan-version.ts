import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { checkPlanTariff } from './check-plan-tariff.js';
import { checkPlanVersion } from './check-plan-version.js';
import type { AddPlanVersionBody, PlanVersion } from './plan-schemas.js';
import { findPlan, insertPlanVersion, toPlanVersion } from './plan-store.js';
import type { CatalogIssue } from './prepare-tariff-document.js';

export type AddPlanVersionResult =
  | { ok: true; version: PlanVersion }
  | { ok: false; code: 'not_found' }
  | { ok: false; code: 'invalid_plan'; issues: readonly CatalogIssue[] }
  | { ok: false; code: 'plan_rejected'; issues: readonly CatalogIssue[] };

/**
 * Stores the next version of a plan. A price change never rewrites history: the new version takes
 * effect after every earlier one and not before now, so what was in effect at any past instant
 * (and was billed on it) stays as it was.
 */
export async function addPlanVersion(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  planId: string,
  input: AddPlanVersionBody,
  now: Date,
): Promise<AddPlanVersionResult> {
  const plan = await findPlan(db, tenantId, planId);
  if (plan === undefined) return { ok: false, code: 'not_found' };
  const tenant = await db
    .selectFrom('tenants')
    .select('default_currency')
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const checked = checkPlanVersion(input, plan.kind, tenant.default_currency);
  if (!checked.ok) return checked;
  const effectiveFrom = checked.version.effectiveFrom ?? now;
  return db.transaction().execute(async (trx): Promise<AddPlanVersionResult> => {
    // The row lock orders concurrent writers of one plan: numbers and dates stay in step.
    await findPlan(trx, tenantId, planId, true);
    const latest = await trx
      .selectFrom('plan_versions')
      .select(['version', 'effective_from'])
      .where('plan_id', '=', planId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const issues: CatalogIssue[] = [];
    if (effectiveFrom.getTime() < now.getTime())
      issues.push({
        field: '/effectiveFrom',
        message: `${effectiveFrom.toISOString()} is in the past; a new version cannot change what was in effect`,
      });
    else if (effectiveFrom.getTime() <= latest.effective_from.getTime())
      issues.push({
        field: '/effectiveFrom',
        message: `version ${latest.version} takes effect at ${latest.effective_from.toISOString()}; a new version must take effect later`,
      });
    const tariffIssue = await checkPlanTariff(trx, tenantId, checked.version);
    if (tariffIssue !== null) issues.push(tariffIssue);
    if (issues.length > 0) return { ok: false, code: 'plan_rejected', issues };
    const row = await insertPlanVersion(
      trx,
      tenantId,
      planId,
      latest.version + 1,
      checked.version,
      effectiveFrom,
      now,
    );
    const version = toPlanVersion(row);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'plan.version_added',
      objectType: 'plan',
      objectId: planId,
      before: null,
      after: { code: plan.code, version },
      occurredAt: now,
    });
    return { ok: true, version };
  });
}
