import type { DunningStep } from '@tollgate/core';
import type { Generated } from 'kysely';
import type { CreatedAt, Json, UpdatedAt } from '../db/database-schema.js';

/** The dunning tables (see db/migrations/0008-payments.ts). */
export interface DunningTables {
  dunning_policies: DunningPolicyTable;
  dunning_cases: DunningCaseTable;
  dunning_steps: DunningStepTable;
}

export interface DunningPolicyTable {
  id: Generated<string>;
  tenant_id: string;
  customer_group: string;
  name: string;
  steps: Json<DunningStep[]>;
  grace_days: Generated<number>;
  minimum_overdue_micros: Generated<bigint>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface DunningCaseTable {
  id: Generated<string>;
  tenant_id: string;
  account_id: string;
  policy_id: string;
  anchor_due_on: string;
  status: 'open' | 'resolved' | 'written_off';
  service: Generated<'active' | 'suspended' | 'terminated'>;
  steps_done: Generated<number>;
  opened_at: Date;
  suspended_at: Date | null;
  restored_at: Date | null;
  closed_at: Date | null;
}

export interface DunningStepTable {
  id: Generated<bigint>;
  tenant_id: string;
  account_id: string;
  case_id: string;
  step_index: number;
  action: string;
  scheduled_on: string;
  executed_at: Date;
  outcome: Json<Record<string, unknown>>;
}
