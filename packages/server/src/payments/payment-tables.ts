import type { Generated } from 'kysely';
import type { CreatedAt, Json, UpdatedAt } from '../db/database-schema.js';

/** The payment and collection tables (see db/migrations/0008-payments.ts). */
export interface PaymentTables {
  payment_methods: PaymentMethodTable;
  payments: PaymentTable;
  payment_reversals: PaymentReversalTable;
  payment_allocations: PaymentAllocationTable;
  bank_statement_imports: BankStatementImportTable;
  bank_statement_lines: BankStatementLineTable;
  gateway_events: GatewayEventTable;
}

export type PaymentMethodKind = 'card' | 'sepa_debit' | 'bank_account' | 'wallet';

export interface PaymentMethodTable {
  id: Generated<string>;
  tenant_id: string;
  account_id: string;
  /** The adapter that holds the token: 'sandbox', 'stripe'. */
  gateway: string;
  /** The gateway's customer the token is attached to, when it has customers. */
  gateway_customer: string | null;
  /** The gateway's reference of the stored method; never card data. */
  token: string;
  kind: PaymentMethodKind;
  brand: string | null;
  last4: string | null;
  exp_month: number | null;
  exp_year: number | null;
  is_default: Generated<boolean>;
  status: Generated<'active' | 'removed'>;
  created_at: CreatedAt;
  removed_at: Date | null;
}

export type PaymentSource = 'gateway' | 'bank_transfer' | 'cash' | 'cheque' | 'other';
export type PaymentPurpose = 'payment' | 'autopay' | 'dunning_retry' | 'auto_recharge';
export type PaymentStatus = 'pending' | 'requires_action' | 'succeeded' | 'failed';

export interface PaymentTable {
  id: Generated<string>;
  tenant_id: string;
  account_id: string;
  source: PaymentSource;
  purpose: PaymentPurpose;
  gateway: string | null;
  payment_method_id: string | null;
  /** The invoice the payment was made for, when it was made for one. */
  invoice_id: string | null;
  amount_micros: bigint;
  currency: string;
  status: PaymentStatus;
  failure_code: string | null;
  failure_message: string | null;
  /** The gateway's id of the charge (a Stripe payment intent). */
  gateway_reference: string | null;
  /** The payer's reference: a bank transfer's remittance text, a cheque number. */
  reference: string | null;
  note: string | null;
  idempotency_key: string;
  /** SHA-256 of the request: the same key with another request is a conflict. */
  request_hash: string;
  refunded_micros: Generated<bigint>;
  charged_back_micros: Generated<bigint>;
  received_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface PaymentReversalTable {
  id: Generated<string>;
  tenant_id: string;
  account_id: string;
  payment_id: string;
  kind: 'refund' | 'chargeback';
  amount_micros: bigint;
  status: 'pending' | 'succeeded' | 'failed';
  gateway_reference: string | null;
  reason: string | null;
  idempotency_key: string;
  failure_message: string | null;
  created_at: CreatedAt;
  completed_at: Date | null;
}

export type AllocationReason = 'applied' | 'refund' | 'chargeback' | 'credit_note';

export interface PaymentAllocationTable {
  id: Generated<bigint>;
  tenant_id: string;
  account_id: string;
  payment_id: string;
  invoice_id: string;
  /** Positive: paid towards the invoice; negative: taken back (refund, chargeback, credit note). */
  amount_micros: bigint;
  reason: AllocationReason;
  created_at: CreatedAt;
}

export interface BankStatementImportTable {
  id: Generated<string>;
  tenant_id: string;
  file_name: string;
  sha256: string;
  line_count: number;
  matched_count: number;
  unmatched_count: number;
  imported_at: CreatedAt;
}

export interface BankStatementLineTable {
  id: Generated<string>;
  tenant_id: string;
  import_id: string;
  line_number: number;
  /** ISO date (YYYY-MM-DD). */
  booked_on: string;
  amount_micros: bigint;
  currency: string;
  reference: string;
  counterparty: string;
  status: 'matched' | 'unmatched' | 'ignored';
  reason: string | null;
  invoice_id: string | null;
  payment_id: string | null;
  created_at: CreatedAt;
  resolved_at: Date | null;
}

export interface GatewayEventTable {
  gateway: string;
  event_id: string;
  tenant_id: string | null;
  type: string;
  payload: Json<unknown>;
  received_at: Date;
  /** What processing did: 'applied', 'ignored: ...', 'unknown_payment'. */
  outcome: string;
}
