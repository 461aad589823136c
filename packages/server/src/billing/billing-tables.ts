import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Json, UpdatedAt } from '../db/database-schema.js';
import type { InvoiceDocument, InvoiceLineKind, LineTax } from './invoice-document.js';

/** The billing tables (see db/migrations/0007-billing.ts). */
export interface BillingTables {
  billing_profiles: BillingProfileTable;
  document_counters: DocumentCounterTable;
  tax_rules: TaxRuleTable;
  fx_rates: FxRateTable;
  account_charges: AccountChargeTable;
  discounts: DiscountTable;
  billing_states: BillingStateTable;
  invoices: InvoiceTable;
  invoice_lines: InvoiceLineTable;
  invoiced_usage: InvoicedUsageTable;
  allowance_grants: AllowanceGrantTable;
  receipts: ReceiptTable;
  bill_runs: BillRunTable;
  bill_run_accounts: BillRunAccountTable;
}

/** numeric columns come back as exact decimal text from both drivers. */
type NumericText = ColumnType<string, string, string>;

export interface StoredInvoiceTemplate {
  readonly accentColor?: string;
  readonly footerText?: string | null;
  readonly showItemised?: boolean;
}

export interface BillingProfileTable {
  tenant_id: string;
  legal_name: string | null;
  address: ColumnType<string[], string | undefined, string>;
  tax_id: string | null;
  registration: string | null;
  email: string | null;
  website: string | null;
  bank_details: string | null;
  logo_media_type: 'image/png' | 'image/jpeg' | null;
  logo_base64: string | null;
  template: ColumnType<StoredInvoiceTemplate, string | undefined, string>;
  notes: ColumnType<string[], string | undefined, string>;
  prices_include_tax: Generated<boolean>;
  tax_rounding: Generated<'line' | 'invoice'>;
  invoice_series: Generated<string>;
  credit_note_series: Generated<string>;
  updated_at: UpdatedAt;
}

export interface DocumentCounterTable {
  tenant_id: string;
  series: string;
  last_value: bigint;
}

/** A tax of a rule version, as stored. */
export interface StoredTaxComponent {
  readonly code: string;
  readonly name: string;
  readonly ratePercent: string;
  readonly compound: boolean;
}

export interface TaxRuleTable {
  id: Generated<string>;
  tenant_id: string;
  jurisdiction: string;
  category: string;
  version: number;
  effective_from: Date;
  effective_to: Date | null;
  components: Json<StoredTaxComponent[]>;
  created_at: CreatedAt;
}

export interface FxRateTable {
  id: Generated<string>;
  tenant_id: string;
  from_currency: string;
  to_currency: string;
  /** ISO date (YYYY-MM-DD). */
  rate_date: string;
  rate: NumericText;
  source: string;
  created_at: CreatedAt;
}

export interface AccountChargeTable {
  id: Generated<string>;
  tenant_id: string;
  account_id: string;
  subscription_id: string | null;
  code: string;
  description: string;
  amount_micros: bigint;
  currency: string;
  tax_category: string;
  charged_at: Date;
  invoice_id: string | null;
  created_at: CreatedAt;
}

export type DiscountTarget = 'invoice' | 'plan' | 'service' | 'subscription';

export interface DiscountTable {
  id: Generated<string>;
  tenant_id: string;
  account_id: string;
  name: string;
  kind: 'percent' | 'fixed';
  percent: NumericText | null;
  amount_micros: bigint | null;
  currency: string | null;
  target: DiscountTarget;
  target_id: string | null;
  cycles: number | null;
  starts_at: Date;
  ends_at: Date | null;
  created_at: CreatedAt;
}

export interface BillingStateTable {
  tenant_id: string;
  account_id: string;
  next_from_day: number;
  due_at: Date;
  updated_at: UpdatedAt;
}

export type InvoiceStatus = 'draft' | 'finalized' | 'paid' | 'void' | 'uncollectible';
export type InvoiceKind = 'invoice' | 'credit_note';

export interface InvoiceTable {
  id: string;
  tenant_id: string;
  account_id: string;
  kind: InvoiceKind;
  status: InvoiceStatus;
  series: string;
  sequence: bigint | null;
  number: string | null;
  currency: string;
  language: string;
  period_from_day: number | null;
  period_to_day: number | null;
  advance_to_day: number | null;
  net_micros: bigint;
  tax_micros: bigint;
  total_micros: bigint;
  credited_micros: Generated<bigint>;
  /** What payments have paid of the invoice so far: the sum of its payment_allocations. */
  paid_micros: Generated<bigint>;
  written_off_at: Date | null;
  credits_invoice_id: string | null;
  reason: string | null;
  bill_run_id: string | null;
  document: Json<InvoiceDocument>;
  /** ISO dates (YYYY-MM-DD) in the account's zone. */
  issued_on: string | null;
  due_on: string | null;
  created_at: CreatedAt;
  finalized_at: Date | null;
  paid_at: Date | null;
  voided_at: Date | null;
  void_reason: string | null;
}

export interface InvoiceLineTable {
  id: Generated<bigint>;
  tenant_id: string;
  account_id: string;
  invoice_id: string;
  position: number;
  kind: InvoiceLineKind;
  label: string;
  service: string | null;
  tax_category: string;
  subscription_id: string | null;
  plan_id: string | null;
  plan_version_id: string | null;
  discount_id: string | null;
  charge_id: string | null;
  window_from_day: number | null;
  window_to_day: number | null;
  from_day: number | null;
  to_day: number | null;
  fee_micros: bigint | null;
  quantity: bigint | null;
  unit: string | null;
  allowance_units: bigint | null;
  line_key: string | null;
  amount_micros: bigint;
  tax_micros: bigint;
  taxes: Json<LineTax[]>;
}

export interface InvoicedUsageTable {
  rated_usage_id: bigint;
  tenant_id: string;
  account_id: string;
  invoice_id: string;
  usage_key: string;
}

export interface BillRunTable {
  id: Generated<string>;
  tenant_id: string;
  as_of: Date;
  dry_run: boolean;
  finalize: boolean;
  status: 'running' | 'done';
  accounts_total: Generated<number>;
  actor_type: string;
  actor_id: string;
  created_at: CreatedAt;
  finished_at: Date | null;
}

export type BillRunAccountStatus = 'pending' | 'invoiced' | 'skipped' | 'parked';

export interface BillRunAccountTable {
  bill_run_id: string;
  account_id: string;
  tenant_id: string;
  status: BillRunAccountStatus;
  reason: string | null;
  invoice_id: string | null;
  preview: Json<unknown> | null;
  attempts: Generated<number>;
  updated_at: UpdatedAt;
}

export interface AllowanceGrantTable {
  tenant_id: string;
  account_id: string;
  subscription_id: string;
  plan_id: string;
  allowance_key: string;
  cycle_from_day: number;
  cycle_to_day: number;
  bucket_id: string;
  unit: string;
  fresh_units: bigint;
  /** Units rolled over into this grant, oldest last: [{ ageCycles, units }] with units as decimal text. */
  carried: ColumnType<CarriedUnits[], string | undefined, string>;
  created_at: CreatedAt;
}

export interface CarriedUnits {
  readonly ageCycles: number;
  readonly units: string;
}

export interface ReceiptTable {
  ledger_transaction_id: string;
  tenant_id: string;
  account_id: string;
  series: string;
  sequence: bigint;
  number: string;
  document: ColumnType<InvoiceDocument, string, string>;
  created_at: CreatedAt;
}
