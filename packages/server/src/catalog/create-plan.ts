import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { checkPlanTariff } from './check-plan-tariff.js';
import { checkPlanVersion } from './check-plan-version.js';
import type { CreatePlanBody, PlanDetail } from './plan-schemas.js';
import { insertPlanVersion, toPlanDetail, toPlanVersion } from './plan-store.js';
import type { CatalogIssue } from './prepare-tariff-document.js';

export type CreatePlanResult =
  | { ok: true; plan: PlanDetail }
  /** A value the request itself gets wrong (400). */
  | { ok: false; code: 'invalid_plan'; issues: readonly CatalogIssue[] }
  /** Valid on its own, but not with what is stored: the tariff (422). */
  | { ok: false; code: 'plan_rejected'; issues: readonly CatalogIssue[] }
  | { ok: false; code: 'code_taken'; message: string };

/** Creates a plan with its first version, and the audit entry, in one transaction. */
export async function createPlan(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  input: CreatePlanBody,
  now: Date,
): Promise<CreatePlanResult> {
  const tenant = await db
    .selectFrom('tenants')
    .select('default_currency')
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const checked = checkPlanVersion(input, input.kind, tenant.default_currency);
  if (!checked.ok) return checked;
  return db.transaction().execute(async (trx): Promise<CreatePlanResult> => {
    const tariffIssue = await checkPlanTariff(trx, tenantId, checked.version);
    if (tariffIssue !== null) return { ok: false, code: 'plan_rejected', issues: [tariffIssue] };
    const plan = await trx
      .insertInto('plans')
      .values({ tenant_id: tenantId, code: input.code, name: input.name, kind: input.kind, created_at: now })
      .onConflict((c) => c.columns(['tenant_id', 'code']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (plan === undefined)
      return { ok: false, code: 'code_taken', message: `a plan with code "${input.code}" exists already` };
    const version = await insertPlanVersion(
      trx,
      tenantId,
      plan.id,
      1,
      checked.version,
      checked.version.effectiveFrom ?? now,
      now,
    );
    const detail = toPlanDetail(plan, [version], now);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'plan.created',
      objectType: 'plan',
      objectId: plan.id,
      before: null,
      after: { code: plan.code, name: plan.name, kind: plan.kind, version: toPlanVersion(version) },
      occurredAt: now,
    });
    return { ok: true, plan: detail };
  });
}
