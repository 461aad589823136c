import type { Generated } from 'kysely';
import type { CreatedAt, Json } from '../db/database-schema.js';
import type { FraudAction, FraudCaseStatus, FraudRuleKind } from './fraud-rules.js';

/** The fraud tables (see db/migrations/0013-fraud.ts). */
export interface FraudTables {
  fraud_rules: FraudRuleTable;
  fraud_cases: FraudCaseTable;
}

export interface FraudRuleTable {
  tenant_id: string;
  kind: FraudRuleKind;
  enabled: boolean;
  action: FraudAction;
  notify: boolean;
  params: Json<unknown>;
  updated_at: Date;
}

export interface FraudCaseTable {
  id: Generated<string>;
  tenant_id: string;
  kind: FraudRuleKind;
  status: Generated<FraudCaseStatus>;
  customer_id: string;
  account_id: string;
  subscription_id: string;
  summary: string;
  evidence: Json<unknown>;
  occurrences: Generated<number>;
  barred: Generated<boolean>;
  opened_at: Date;
  last_seen_at: Date;
  decided_at: Date | null;
  decided_by: string | null;
  reason: string | null;
  created_at: CreatedAt;
}
