import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import {
  DEFAULT_FRAUD_RULES,
  FRAUD_RULE_KINDS,
  type FraudRuleKind,
  type FraudRuleSettings,
  storedParams,
} from './fraud-rules.js';

/** A rule as the API shows it: its settings, and when they were last set (null: the defaults). */
export interface FraudRule {
  readonly kind: FraudRuleKind;
  readonly enabled: boolean;
  readonly action: 'alert' | 'bar';
  readonly notify: boolean;
  readonly params: Record<string, unknown>;
  readonly updatedAt: string | null;
}

export interface StoredFraudRule {
  readonly settings: FraudRuleSettings;
  readonly updatedAt: Date | null;
}

/** Every kind's settings for a tenant: its own row, or the defaults. One statement. */
export async function loadFraudRules(
  db: Kysely<Database> | Transaction<Database>,
  tenantId: string,
): Promise<Map<FraudRuleKind, StoredFraudRule>> {
  const rows = await db
    .selectFrom('fraud_rules')
    .select(['kind', 'enabled', 'action', 'notify', 'params', 'updated_at'])
    .where('tenant_id', '=', tenantId)
    .execute();
  const byKind = new Map(rows.map((row) => [row.kind, row]));
  return new Map(
    FRAUD_RULE_KINDS.map((kind) => {
      const row = byKind.get(kind);
      const settings: FraudRuleSettings =
        row === undefined
          ? DEFAULT_FRAUD_RULES[kind]
          : {
              kind,
              enabled: row.enabled,
              action: row.action,
              notify: row.notify,
              params: storedParams(kind, row.params),
            };
      return [kind, { settings, updatedAt: row?.updated_at ?? null }] as const;
    }),
  );
}

export function toFraudRule(stored: StoredFraudRule): FraudRule {
  const { settings } = stored;
  return {
    kind: settings.kind,
    enabled: settings.enabled,
    action: settings.action,
    notify: settings.notify,
    params: { ...settings.params } as Record<string, unknown>,
    updatedAt: stored.updatedAt === null ? null : stored.updatedAt.toISOString(),
  };
}
