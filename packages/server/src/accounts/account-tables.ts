import type { Generated } from 'kysely';
import type { CreatedAt, Json, UpdatedAt } from '../db/database-schema.js';

/** The accounts tables (see db/database-schema.ts and db/migrations/0003-accounts.ts). */
export interface AccountTables {
  accounts: AccountTable;
  account_number_counters: AccountNumberCounterTable;
  subscriptions: SubscriptionTable;
  subscription_identifiers: SubscriptionIdentifierTable;
  subscription_events: SubscriptionEventTable;
}

export type AccountKind = 'prepaid' | 'postpaid' | 'hybrid';
export type AccountStatus = 'active' | 'suspended' | 'closed';

export interface AccountTable {
  id: Generated<string>;
  tenant_id: string;
  customer_id: string;
  /** Human-readable and unique within the tenant: `A-000123`, from account_number_counters. */
  account_number: string;
  kind: AccountKind;
  /** ISO 4217; every amount of the account is in this currency. */
  currency: string;
  /** IANA time zone in which the bill cycle day is evaluated (DESIGN.md section 3). */
  time_zone: string;
  /** Micro-units of the currency; null for prepaid accounts and for accounts without a limit. */
  credit_limit_micros: bigint | null;
  /** Month, quarter and year cycles start on this month day (1..28); weekly ones on this ISO weekday (1..7). */
  bill_cycle_day: number;
  bill_cycle_unit: Generated<'week' | 'month' | 'quarter' | 'year'>;
  /** The month quarterly and yearly cycles are anchored on (1..12). */
  bill_cycle_month: Generated<number>;
  /** Whether invoices carry the itemised list of usage. */
  itemised_invoices: Generated<boolean>;
  /** Finalised invoices are charged to the default payment method, when there is one. */
  autopay: Generated<boolean>;
  payment_terms_days: number;
  status: AccountStatus;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** One row per tenant: the last account number handed out. */
export interface AccountNumberCounterTable {
  tenant_id: string;
  last_value: bigint;
}

export type SubscriptionStatus = 'active' | 'suspended' | 'paused' | 'terminated';

export interface SubscriptionTable {
  id: Generated<string>;
  tenant_id: string;
  account_id: string;
  /** A plan of the catalog; checked by the use case once the catalog lands (no foreign key yet). */
  plan_id: string | null;
  status: SubscriptionStatus;
  starts_at: Date;
  ends_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type IdentifierKind = 'msisdn' | 'imsi' | 'sip_uri' | 'username' | 'ip' | 'radius_user';

export interface SubscriptionIdentifierTable {
  id: Generated<string>;
  tenant_id: string;
  account_id: string;
  subscription_id: string;
  kind: IdentifierKind;
  /** Normalised (see normalise-identifier.ts), so equal identifiers compare equal in SQL. */
  value: string;
  /** The identifier belongs to the subscription over [valid_from, valid_to). */
  valid_from: Date;
  valid_to: Date | null;
  created_at: CreatedAt;
}

export type SubscriptionEventKind =
  | 'activated'
  | 'plan_changed'
  | 'addon_added'
  | 'addon_removed'
  | 'paused'
  | 'resumed'
  | 'suspended'
  | 'restored'
  | 'terminated';

export interface SubscriptionEventData {
  readonly planId?: string | null;
  readonly fromPlanId?: string | null;
  readonly toPlanId?: string;
  readonly addonPlanId?: string;
}

/** Append-only: what happened to a subscription, and from when, so billing can prorate. */
export interface SubscriptionEventTable {
  id: Generated<string>;
  tenant_id: string;
  account_id: string;
  subscription_id: string;
  /** 1, 2, 3, ... per subscription: the order in which the changes were applied. */
  sequence: number;
  kind: SubscriptionEventKind;
  effective_at: Date;
  data: Json<SubscriptionEventData>;
  actor_type: string;
  actor_id: string;
  created_at: CreatedAt;
}
