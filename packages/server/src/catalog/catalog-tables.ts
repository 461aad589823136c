import type { TariffDocument } from '@tollgate/core';
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Json } from '../db/database-schema.js';

/** The catalog tables (see db/database-schema.ts and db/migrations/0002-catalog.ts). */
export interface CatalogTables {
  tariffs: TariffTable;
  tariff_versions: TariffVersionTable;
  plans: PlanTable;
  plan_versions: PlanVersionTable;
}

/** A tariff: a stable code and name; its prices live in its versions. */
export interface TariffTable {
  id: Generated<string>;
  tenant_id: string;
  /** Stable name, unique per tenant, e.g. `retail-2026`; what the CLI pushes to. */
  code: string;
  name: string;
  /** ISO 4217: every version of a tariff prices in this currency (set by the first version). */
  currency: string;
  created_at: CreatedAt;
}

export type TariffSourceFormat = 'native' | 'cgrates';

/** Counts that describe a stored document without reading it (listings, audit entries). */
export interface TariffSummary {
  readonly destinations: number;
  readonly prefixes: number;
  readonly rates: number;
  readonly timeBands: number;
  readonly ratingPlans: number;
  readonly ratingProfiles: number;
  /** The rating tenants the document's profiles name, sorted. */
  readonly ratingTenants: string[];
}

/**
 * One immutable version of a tariff (the database refuses updates and deletes). The version in
 * effect at an instant T is the highest version whose activates_at <= T.
 */
export interface TariffVersionTable {
  id: Generated<string>;
  tenant_id: string;
  tariff_id: string;
  /** 1, 2, 3, ... per tariff. */
  version: number;
  /** The native tariff document, validated by compileTariff before it was stored. */
  document: Json<TariffDocument>;
  /** SHA-256 (hex) of the document's canonical JSON. */
  document_sha256: string;
  summary: Json<TariffSummary>;
  source_format: TariffSourceFormat;
  activates_at: Date;
  created_at: CreatedAt;
}

export type PlanKind = 'base' | 'addon';
export type FeePeriod = 'week' | 'month' | 'quarter' | 'year';

/** A product offered to subscribers: a base plan, or an add-on bought on top of one. */
export interface PlanTable {
  id: Generated<string>;
  tenant_id: string;
  code: string;
  name: string;
  kind: PlanKind;
  created_at: CreatedAt;
}

/** A fee charged once (activation, SIM card), stored exactly in micro-units as decimal text. */
export interface StoredOneTimeFee {
  readonly code: string;
  readonly name: string;
  /** bigint micro-units as decimal text: JSON has no integers beyond 2^53. */
  readonly amountMicros: string;
}

/** Usage included per fee period, consumed before money (DESIGN.md section 7). */
export interface StoredAllowance {
  /** voice, sms, data, money, or a custom service name. */
  readonly service: string;
  /** As given: a duration ("300m"), a volume ("1GB"), a count ("100") or, for money, a decimal. */
  readonly amount: string;
  /** The rating category it covers (e.g. `call`); absent: every category of the service. */
  readonly category?: string;
  /** How many following cycles its unused units carry over for; absent: none. */
  readonly rolloverCycles?: number;
}

/**
 * One immutable version of a plan (the database refuses updates and deletes). Versions of a plan
 * take effect in order: each effective_from is later than the one before, so the version in
 * effect at an instant is the one with the latest effective_from not after it.
 */
export interface PlanVersionTable {
  id: Generated<string>;
  tenant_id: string;
  plan_id: string;
  version: number;
  effective_from: Date;
  recurring_fee_micros: bigint;
  currency: string;
  fee_period: FeePeriod;
  one_time_fees: Json<StoredOneTimeFee[]>;
  allowances: Json<StoredAllowance[]>;
  /** The tariff that prices the plan's usage; an add-on may have none (allowances only). */
  tariff_id: string | null;
  /** The fees in other currencies than `currency`: {"USD": {"recurringFeeMicros": "…", "oneTimeFeesMicros": {"activation": "…"}}}. */
  prices: ColumnType<StoredPlanPrices, string | undefined, string>;
  /** Usage below this per fee period is topped up to it on the invoice; null: no commitment. */
  minimum_commitment_micros: Generated<bigint | null>;
  /** The tax category of the recurring fee (tax rules are per category). */
  tax_category: Generated<string>;
  /** The subject usage is rated under when it names none; `*any` leaves it to the tariff's profiles. */
  rating_subject: string;
  created_at: CreatedAt;
}

/** A plan version's fees in one more currency, as decimal strings of micro-units. */
export interface StoredPlanPrice {
  readonly recurringFeeMicros: string;
  readonly oneTimeFeesMicros: Readonly<Record<string, string>>;
}

export type StoredPlanPrices = Readonly<Record<string, StoredPlanPrice>>;
