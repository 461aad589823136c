import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, UpdatedAt } from '../db/database-schema.js';

/** The balance and ledger tables (see db/migrations/0005-ledger.ts). */
export interface BalanceTables {
  balance_buckets: BalanceBucketTable;
  ledger_transactions: LedgerTransactionTable;
  ledger_entries: LedgerEntryTable;
  line_spending_caps: LineSpendingCapTable;
  voucher_batches: VoucherBatchTable;
  vouchers: VoucherTable;
  auto_recharge_rules: AutoRechargeRuleTable;
  auto_recharge_attempts: AutoRechargeAttemptTable;
}

export interface BalanceBucketTable {
  id: Generated<string>;
  tenant_id: string;
  account_id: string;
  /** The one line the bucket serves; null: the whole account. */
  subscription_id: string | null;
  kind: 'money' | 'allowance';
  /** ISO 4217 code, or seconds | bytes | messages | units. */
  unit: string;
  /** The tariff category an allowance is limited to; null: any. */
  service: string | null;
  /** The account's main money bucket: the one the credit limit applies to. */
  is_main: Generated<boolean>;
  priority: Generated<number>;
  label: string | null;
  valid_from: Date;
  valid_to: Date | null;
  /** The sum of the bucket's ledger entries, kept in step in the same transaction. */
  balance: Generated<bigint>;
  /** The sum of the bucket's pending reservations. */
  reserved: Generated<bigint>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type LedgerTransactionKind =
  | 'topup'
  | 'voucher'
  | 'adjustment'
  | 'grant'
  | 'charge'
  | 'refund'
  | 'expiry'
  | 'reversal'
  | 'auto_recharge';

export interface LedgerTransactionTable {
  id: Generated<string>;
  tenant_id: string;
  account_id: string;
  kind: LedgerTransactionKind;
  reverses_id: string | null;
  reference: string | null;
  description: string | null;
  created_at: CreatedAt;
}

export interface LedgerEntryTable {
  id: Generated<bigint>;
  tenant_id: string;
  account_id: string;
  transaction_id: string;
  bucket_id: string | null;
  book: string;
  unit: string;
  amount: bigint;
  created_at: CreatedAt;
}

export interface LineSpendingCapTable {
  tenant_id: string;
  account_id: string;
  subscription_id: string;
  limit_micros: bigint;
  period: 'day' | 'month';
  period_start: Date;
  spent_micros: Generated<bigint>;
  reserved_micros: Generated<bigint>;
  /** At the cap: refuse all chargeable usage, or allow emergency and allowed_destinations only. */
  when_reached: Generated<'refuse' | 'essential_only'>;
  /** Destinations (as dialled, digits) still allowed at the cap under 'essential_only'. */
  allowed_destinations: ColumnType<string[], string | undefined, string>;
  updated_at: UpdatedAt;
}

export interface VoucherBatchTable {
  id: Generated<string>;
  tenant_id: string;
  name: string;
  currency: string;
  amount_micros: bigint;
  voucher_count: number;
  expires_at: Date;
  created_at: CreatedAt;
}

export interface VoucherTable {
  id: Generated<string>;
  tenant_id: string;
  batch_id: string;
  serial: number;
  /** SHA-256 of the code, hex; the code itself is shown once, at creation. */
  code_hash: string;
  status: 'active' | 'redeemed' | 'void';
  redeemed_at: Date | null;
  account_id: string | null;
  transaction_id: string | null;
}

export interface AutoRechargeRuleTable {
  tenant_id: string;
  account_id: string;
  threshold_micros: bigint;
  amount_micros: bigint;
  enabled: Generated<boolean>;
  updated_at: UpdatedAt;
}

export interface AutoRechargeAttemptTable {
  id: Generated<string>;
  tenant_id: string;
  account_id: string;
  amount_micros: bigint;
  status: 'succeeded' | 'declined' | 'failed';
  payment_reference: string | null;
  message: string | null;
  transaction_id: string | null;
  created_at: CreatedAt;
}
