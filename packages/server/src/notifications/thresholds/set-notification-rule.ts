import { checkThresholdLevels } from '@tollgate/core';
import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../../audit/record-audit-entry.js';
import type { Database } from '../../db/database-schema.js';
import { invalid, notFound, type UseCaseFailure } from '../../outcomes/use-case-failure.js';
import { findNotificationRule, toNotificationRule } from './notification-rule-store.js';
import type { NotificationRule, NotificationRuleBody, NotificationRuleKey } from './threshold-schemas.js';

export type NotificationRuleResult = { readonly ok: true; readonly rule: NotificationRule } | UseCaseFailure;

/** Checks that a rule's scope names something of the tenant: a plan, an account or a line. */
async function checkScope(
  db: Kysely<Database>,
  tenantId: string,
  scope: NotificationRuleKey['scope'],
  scopeId: string | undefined,
): Promise<UseCaseFailure | null> {
  if (scope === 'tenant')
    return scopeId === undefined ? null : invalid('/scopeId', 'a tenant rule names no scopeId');
  if (scopeId === undefined) return invalid('/scopeId', `a ${scope} rule names its ${scope} in scopeId`);
  const table = scope === 'plan' ? 'plans' : scope === 'account' ? 'accounts' : 'subscriptions';
  const found = await db
    .selectFrom(table)
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', scopeId)
    .executeTakeFirst();
  return found === undefined ? notFound(`no ${scope} ${scopeId}`) : null;
}

/**
 * Sets the rule of one scope and kind (creates or replaces it), audited. The levels are checked
 * for the kind (see checkThresholdLevels); a rule with enabled false turns the kind off for the
 * scope. Changes apply to the next evaluation; firings already recorded stand.
 */
export async function setNotificationRule(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  input: NotificationRuleBody,
  now: Date,
): Promise<NotificationRuleResult> {
  const levels = checkThresholdLevels(input.kind, input.levels);
  if (!levels.ok) return invalid('/levels', levels.error.message);
  const scopeProblem = await checkScope(db, tenantId, input.scope, input.scopeId);
  if (scopeProblem !== null) return scopeProblem;
  const scopeId = input.scopeId ?? null;
  return db.transaction().execute(async (trx): Promise<NotificationRuleResult> => {
    const before = await findNotificationRule(trx, tenantId, {
      scope: input.scope,
      scopeId,
      kind: input.kind,
    });
    const values = { levels: JSON.stringify(levels.value), enabled: input.enabled, updated_at: now };
    const row =
      before === undefined
        ? await trx
            .insertInto('notification_rules')
            .values({
              tenant_id: tenantId,
              scope: input.scope,
              scope_id: scopeId,
              kind: input.kind,
              created_at: now,
              ...values,
            })
            .returningAll()
            .executeTakeFirstOrThrow()
        : await trx
            .updateTable('notification_rules')
            .set(values)
            .where('id', '=', before.id)
            .returningAll()
            .executeTakeFirstOrThrow();
    const rule = toNotificationRule(row);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'notification_rule.set',
      objectType: 'notification_rule',
      objectId: rule.id,
      before: before === undefined ? null : toNotificationRule(before),
      after: rule,
      occurredAt: now,
    });
    return { ok: true, rule };
  });
}

/** Removes the rule of one scope and kind, audited: the next broader rule (or the default) applies. */
export async function removeNotificationRule(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  key: NotificationRuleKey,
  now: Date,
): Promise<{ readonly ok: true } | UseCaseFailure> {
  const scopeId = key.scopeId ?? null;
  return db.transaction().execute(async (trx) => {
    const before = await findNotificationRule(trx, tenantId, { scope: key.scope, scopeId, kind: key.kind });
    if (before === undefined) return notFound(`no ${key.kind} rule for this ${key.scope}`);
    await trx.deleteFrom('notification_rules').where('id', '=', before.id).execute();
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'notification_rule.remove',
      objectType: 'notification_rule',
      objectId: before.id,
      before: toNotificationRule(before),
      after: null,
      occurredAt: now,
    });
    return { ok: true } as const;
  });
}
