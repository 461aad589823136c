import type { Generated } from 'kysely';
import type { CreatedAt, Json, UpdatedAt } from '../db/database-schema.js';
import type { UsageUnit } from './usage-record.js';

/** The mediation tables (see db/migrations/0006-mediation.ts). */
export interface MediationTables {
  usage_sources: UsageSourceTable;
  usage_files: UsageFileTable;
  rated_usage: RatedUsageTable;
  suspended_records: SuspendedRecordTable;
  suspense_attempts: SuspenseAttemptTable;
  rerate_runs: RerateRunTable;
}

export interface UsageSourceTable {
  id: Generated<string>;
  tenant_id: string;
  name: string;
  profile: Json<unknown>;
  numbering: Json<unknown> | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type UsageFileStatus = 'loading' | 'done' | 'failed';

export interface UsageFileTable {
  id: Generated<string>;
  tenant_id: string;
  source_id: string;
  file_name: string;
  content_sha256: string;
  size_bytes: bigint;
  header: string | null;
  status: UsageFileStatus;
  lines_done: Generated<bigint>;
  records_read: Generated<bigint>;
  records_loaded: Generated<bigint>;
  records_duplicate: Generated<bigint>;
  records_suspended: Generated<bigint>;
  records_skipped: Generated<bigint>;
  rated_micros: Json<Record<string, string>>;
  error: string | null;
  started_at: CreatedAt;
  updated_at: UpdatedAt;
  finished_at: Date | null;
}

export type Settlement = 'accrued' | 'debited' | 'online';

export interface RatedUsageTable {
  id: Generated<bigint>;
  tenant_id: string;
  account_id: string;
  subscription_id: string;
  source_id: string;
  record_key: string;
  entry: 'charge' | 'reversal';
  reverses_id: bigint | null;
  rerate_id: string | null;
  file_id: string | null;
  line_number: bigint | null;
  started_at: Date;
  service: string;
  direction: 'outgoing' | 'incoming';
  subscriber: string;
  destination: string;
  unit: UsageUnit;
  units: bigint;
  currency: string;
  list_micros: bigint;
  allowance_units: bigint;
  charged_micros: bigint;
  debited_micros: bigint;
  settlement: Settlement;
  ledger_transaction_id: string | null;
  charging_session_id: string | null;
  tariff_version_id: string;
  explanation: Json<unknown>;
  created_at: CreatedAt;
}

export type SuspenseStatus = 'open' | 'resolved' | 'discarded';

export interface SuspendedRecordTable {
  id: Generated<string>;
  tenant_id: string;
  source_id: string;
  record_key: string;
  file_id: string | null;
  line_number: bigint | null;
  raw: string;
  original_raw: string;
  reason: string;
  field: string | null;
  message: string;
  status: SuspenseStatus;
  attempts: Generated<number>;
  rated_usage_id: bigint | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SuspenseAttemptTable {
  id: Generated<bigint>;
  tenant_id: string;
  suspended_record_id: string;
  attempt: number;
  raw: string;
  outcome: 'loaded' | 'duplicate' | 'suspended';
  reason: string | null;
  message: string | null;
  actor_type: string;
  actor_id: string;
  created_at: CreatedAt;
}

export interface RerateRunTable {
  id: Generated<string>;
  tenant_id: string;
  selection: Json<unknown>;
  records_examined: bigint;
  records_changed: bigint;
  records_failed: bigint;
  differences: Json<unknown>;
  actor_type: string;
  actor_id: string;
  created_at: CreatedAt;
}
