import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { invalid, notFound, type UseCaseFailure } from '../outcomes/use-case-failure.js';
import { type FraudRule, loadFraudRules, toFraudRule } from './fraud-rule-store.js';
import { checkFraudRuleParams, type FraudAction, isFraudRuleKind } from './fraud-rules.js';

export interface FraudRuleInput {
  readonly enabled: boolean;
  readonly action: FraudAction;
  readonly notify: boolean;
  readonly params: unknown;
}

export type SetFraudRuleResult = { readonly ok: true; readonly rule: FraudRule } | UseCaseFailure;

/**
 * Sets a tenant's rule of one kind (parameters not named keep their defaults), audited with the
 * settings before and after. It applies from the next evaluation; cases already opened stand.
 */
export async function setFraudRule(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  kind: string,
  input: FraudRuleInput,
  now: Date,
): Promise<SetFraudRuleResult> {
  if (!isFraudRuleKind(kind)) return notFound(`no fraud rule ${kind}`);
  const checked = checkFraudRuleParams(kind, input.params);
  if (!checked.ok) return invalid(checked.field, checked.message);
  return db.transaction().execute(async (trx) => {
    const before = (await loadFraudRules(trx, tenantId)).get(kind)!;
    const values = {
      enabled: input.enabled,
      action: input.action,
      notify: input.notify,
      params: JSON.stringify(checked.params),
      updated_at: now,
    };
    await trx
      .insertInto('fraud_rules')
      .values({ tenant_id: tenantId, kind, ...values })
      .onConflict((c) => c.columns(['tenant_id', 'kind']).doUpdateSet(values))
      .execute();
    const rule = toFraudRule({
      settings: {
        kind,
        enabled: input.enabled,
        action: input.action,
        notify: input.notify,
        params: checked.params,
      },
      updatedAt: now,
    });
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'fraud_rule.set',
      objectType: 'fraud_rule',
      objectId: kind,
      before: toFraudRule(before),
      after: rule,
      occurredAt: now,
    });
    return { ok: true as const, rule };
  });
}
