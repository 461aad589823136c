import type { ColumnType, Generated } from 'kysely';
import type { AccountTables } from '../accounts/account-tables.js';
import type { BalanceTables } from '../balances/balance-tables.js';
import type { BillingTables } from '../billing/billing-tables.js';
import type { CatalogTables } from '../catalog/catalog-tables.js';
import type { ChargingTables } from '../charging/charging-tables.js';
import type { CustomerNoteTables } from '../customers/customer-note-tables.js';
import type { DunningTables } from '../dunning/dunning-tables.js';
import type { FraudTables } from '../fraud/fraud-tables.js';
import type { MediationTables } from '../mediation/mediation-tables.js';
import type { NotificationTables } from '../notifications/notification-tables.js';
import type { PaymentTables } from '../payments/payment-tables.js';
import type { ReportTables } from '../reports/report-tables.js';
import type { UserTables } from '../users/user-tables.js';
import type { WebhookTables } from '../webhooks/webhook-tables.js';

/**
 * The tables, as Kysely sees them. Every table carries tenant_id; rows owned by an account carry
 * account_id too, so the schema can be partitioned or distributed by account. Money columns are
 * int8 micro-units (bigint in TypeScript) with the currency beside them.
 */
export interface Database
  extends CatalogTables,
    AccountTables,
    UserTables,
    BalanceTables,
    ChargingTables,
    MediationTables,
    BillingTables,
    PaymentTables,
    DunningTables,
    WebhookTables,
    NotificationTables,
    CustomerNoteTables,
    ReportTables,
    FraudTables {
  tenants: TenantTable;
  api_keys: ApiKeyTable;
  audit_log: AuditLogTable;
  audit_chain_heads: AuditChainHeadTable;
  idempotency_keys: IdempotencyKeyTable;
  customers: CustomerTable;
}

export type CreatedAt = ColumnType<Date, Date | undefined, never>;
/**
 * A jsonb column: read as parsed JSON, written as JSON text. Both drivers would otherwise turn a
 * JavaScript array into a PostgreSQL array, so values are always serialised by the caller.
 */
export type Json<T> = ColumnType<T, string, string>;
export type UpdatedAt = ColumnType<Date, Date | undefined, Date>;

export interface TenantTable {
  id: Generated<string>;
  /** The operator a reseller belongs to; null for an operator. */
  parent_tenant_id: string | null;
  name: string;
  slug: string;
  default_currency: string;
  time_zone: string;
  language: string;
  country_code: string;
  international_prefix: string;
  trunk_prefix: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type ApiKeyRole = 'admin' | 'operator' | 'support' | 'read-only';

export interface ApiKeyTable {
  id: Generated<string>;
  tenant_id: string;
  name: string;
  /** The first characters of the key, shown in listings so people can tell keys apart. */
  prefix: string;
  /** SHA-256 of the whole key, hex. The key itself is never stored. */
  key_hash: string;
  role: ApiKeyRole;
  created_at: CreatedAt;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface AuditLogTable {
  id: Generated<bigint>;
  tenant_id: string;
  /** Position in the tenant's chain, from 1. */
  sequence: bigint;
  occurred_at: Date;
  actor_type: string;
  actor_id: string;
  action: string;
  object_type: string;
  object_id: string;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  previous_hash: string;
  hash: string;
}

export interface AuditChainHeadTable {
  tenant_id: string;
  sequence: bigint;
  hash: string;
}

export interface IdempotencyKeyTable {
  tenant_id: string;
  key: string;
  /** SHA-256 of method, path and body: the same key with another request is a conflict. */
  request_hash: string;
  status: 'in_progress' | 'completed';
  response_status: number | null;
  /** The response body exactly as sent, replayed byte for byte. */
  response_body: string | null;
  created_at: CreatedAt;
}

export interface TaxExemption {
  readonly tax: string;
  readonly certificate: string;
}

export interface CustomerTable {
  id: Generated<string>;
  tenant_id: string;
  kind: 'person' | 'business';
  display_name: string;
  given_name: string | null;
  family_name: string | null;
  company_name: string | null;
  email: string | null;
  phone: string | null;
  language: string;
  tax_region: string | null;
  tax_exemptions: Json<TaxExemption[]>;
  /** Postal address lines, printed on invoices. */
  address: ColumnType<string[], string | undefined, string>;
  tax_id: string | null;
  /** The group the customer belongs to; dunning policies are chosen by it. */
  customer_group: Generated<string>;
  /** Local times (HH:MM, the account's zone) between which only urgent messages are sent. */
  quiet_hours_start: string | null;
  quiet_hours_end: string | null;
  /** Where SMS notifications go (E.164); default: the phone. */
  sms_number: string | null;
  status: 'active' | 'closed';
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}
