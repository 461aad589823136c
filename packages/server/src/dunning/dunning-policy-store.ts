import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { DunningCaseView, DunningPolicyView } from './dunning-policy-schemas.js';
import type { DunningCaseTable, DunningPolicyTable, DunningStepTable } from './dunning-tables.js';

type Executor = Kysely<Database> | Transaction<Database>;
export type DunningPolicyRow = Selectable<DunningPolicyTable>;

export function toDunningPolicy(row: DunningPolicyRow): DunningPolicyView {
  return {
    id: row.id,
    customerGroup: row.customer_group,
    name: row.name,
    steps: row.steps.map((step) => ({ ...step })),
    graceDays: row.grace_days,
    minimumOverdueMicros: BigInt(row.minimum_overdue_micros).toString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toDunningCase(
  row: Selectable<DunningCaseTable>,
  steps: readonly Selectable<DunningStepTable>[],
): DunningCaseView {
  return {
    id: row.id,
    accountId: row.account_id,
    policyId: row.policy_id,
    anchorDueOn: row.anchor_due_on,
    status: row.status,
    service: row.service,
    openedAt: row.opened_at.toISOString(),
    suspendedAt: row.suspended_at?.toISOString() ?? null,
    restoredAt: row.restored_at?.toISOString() ?? null,
    closedAt: row.closed_at?.toISOString() ?? null,
    steps: steps.map((step) => ({
      index: step.step_index,
      action: step.action,
      scheduledOn: step.scheduled_on,
      executedAt: step.executed_at.toISOString(),
      outcome: step.outcome,
    })),
  };
}

/** The policy of a customer group, or the tenant's 'default' group's when the group has none. */
export async function policyForGroup(
  db: Executor,
  tenantId: string,
  group: string,
): Promise<DunningPolicyRow | undefined> {
  const rows = await db
    .selectFrom('dunning_policies')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('customer_group', 'in', [group, 'default'])
    .execute();
  return (
    rows.find((row) => row.customer_group === group) ?? rows.find((row) => row.customer_group === 'default')
  );
}

/** The cases of an account, newest first, with their steps. */
export async function dunningCasesOf(
  db: Executor,
  tenantId: string,
  accountId: string,
): Promise<DunningCaseView[]> {
  const cases = await db
    .selectFrom('dunning_cases')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .orderBy('opened_at', 'desc')
    .limit(50)
    .execute();
  if (cases.length === 0) return [];
  const steps = await db
    .selectFrom('dunning_steps')
    .selectAll()
    .where(
      'case_id',
      'in',
      cases.map((c) => c.id),
    )
    .orderBy('step_index')
    .execute();
  return cases.map((c) =>
    toDunningCase(
      c,
      steps.filter((step) => step.case_id === c.id),
    ),
  );
}

export async function listDunningPolicies(db: Executor, tenantId: string): Promise<DunningPolicyRow[]> {
  return db
    .selectFrom('dunning_policies')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('customer_group')
    .execute();
}

export async function findDunningPolicy(
  db: Executor,
  tenantId: string,
  customerGroup: string,
): Promise<DunningPolicyRow | undefined> {
  return db
    .selectFrom('dunning_policies')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('customer_group', '=', customerGroup)
    .executeTakeFirst();
}
