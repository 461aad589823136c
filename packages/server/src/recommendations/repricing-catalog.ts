import type {
  AllowanceUnit,
  CompiledTariff,
  CycleUnit,
  PlanTariffVersion,
  PricedPlan,
  RepricingTaxes,
  TaxExemption,
  TaxRuleVersion,
} from '@tollgate/core';
import type { Kysely } from 'kysely';
import { priceInCurrency } from '../billing/fee-segments.js';
import { unitOf, unitsOf } from '../billing/grant-cycle-allowances.js';
import type { TenantBilling } from '../billing/load-billing-chunk.js';
import type { PlanKind, StoredAllowance, StoredPlanPrices } from '../catalog/catalog-tables.js';
import { type CompiledTariffCache, compiledTariffCache } from '../catalog/compiled-tariff-cache.js';
import { type PlanVersionRow, planVersionAt } from '../catalog/plan-store.js';
import { readTariffDocument } from '../catalog/tariff-store.js';
import type { Database } from '../db/database-schema.js';
import { loadFxRates } from '../insights/plans-to-bill.js';

export interface CatalogPlan {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly kind: PlanKind;
  /** Oldest first. */
  readonly versions: readonly PlanVersionRow[];
}

/** A plan version's terms as re-pricing needs them: stored, or a draft being tried. */
export interface PlanTerms {
  readonly id: string;
  readonly recurringFeeMicros: bigint;
  readonly currency: string;
  readonly feePeriod: CycleUnit;
  readonly allowances: readonly StoredAllowance[];
  readonly tariffId: string | null;
  readonly prices: StoredPlanPrices;
  readonly minimumCommitmentMicros: bigint | null;
  readonly taxCategory: string;
}

interface TariffVersionInfo {
  readonly id: string;
  readonly activatesMs: number;
  readonly ratingTenants: readonly string[];
}

/** A tariff as what-if tries it: one draft document in place of every stored version. */
export interface DraftTariff {
  readonly compiled: CompiledTariff;
  readonly ratingTenants: readonly string[];
}

/**
 * What re-pricing reads of a tenant, once per request: plans with their versions, tariff versions
 * (without documents: compiled ones come from the process's cache), tax rules and the billing
 * profile's tax settings, exchange rates.
 */
export interface RepricingCatalog {
  readonly plans: ReadonlyMap<string, CatalogPlan>;
  readonly tariffCurrency: ReadonlyMap<string, string>;
  readonly tariffVersions: ReadonlyMap<string, readonly TariffVersionInfo[]>;
  readonly taxRules: readonly TaxRuleVersion[];
  readonly pricesIncludeTax: boolean;
  readonly taxRounding: 'line' | 'invoice';
  readonly fxRates: TenantBilling['fxRates'];
}

export async function loadRepricingCatalog(
  db: Kysely<Database>,
  tenantId: string,
): Promise<RepricingCatalog> {
  const [plans, versions, tariffs, tariffVersions, taxRules, profile, fxRates] = await Promise.all([
    db.selectFrom('plans').select(['id', 'code', 'name', 'kind']).where('tenant_id', '=', tenantId).execute(),
    db
      .selectFrom('plan_versions')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('plan_id')
      .orderBy('version')
      .execute(),
    db.selectFrom('tariffs').select(['id', 'currency']).where('tenant_id', '=', tenantId).execute(),
    db
      .selectFrom('tariff_versions')
      .select(['id', 'tariff_id', 'activates_at', 'summary'])
      .where('tenant_id', '=', tenantId)
      .orderBy('tariff_id')
      .orderBy('version')
      .execute(),
    db.selectFrom('tax_rules').selectAll().where('tenant_id', '=', tenantId).execute(),
    db
      .selectFrom('billing_profiles')
      .select(['prices_include_tax', 'tax_rounding'])
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst(),
    loadFxRates(db, tenantId),
  ]);
  const versionsOf = new Map<string, PlanVersionRow[]>();
  for (const version of versions) {
    const list = versionsOf.get(version.plan_id) ?? [];
    list.push(version);
    versionsOf.set(version.plan_id, list);
  }
  const tariffVersionsOf = new Map<string, TariffVersionInfo[]>();
  for (const version of tariffVersions) {
    const summary = (typeof version.summary === 'string' ? JSON.parse(version.summary) : version.summary) as {
      ratingTenants?: string[];
    };
    const list = tariffVersionsOf.get(version.tariff_id) ?? [];
    list.push({
      id: version.id,
      activatesMs: version.activates_at.getTime(),
      ratingTenants: summary.ratingTenants ?? [],
    });
    tariffVersionsOf.set(version.tariff_id, list);
  }
  return {
    plans: new Map(plans.map((plan) => [plan.id, { ...plan, versions: versionsOf.get(plan.id) ?? [] }])),
    tariffCurrency: new Map(tariffs.map((tariff) => [tariff.id, tariff.currency.trim()])),
    tariffVersions: tariffVersionsOf,
    taxRules: taxRules.map((rule) => ({
      jurisdiction: rule.jurisdiction,
      category: rule.category,
      effectiveFromMs: rule.effective_from.getTime(),
      effectiveToMs: rule.effective_to === null ? null : rule.effective_to.getTime(),
      components: rule.components,
    })),
    pricesIncludeTax: profile?.prices_include_tax ?? false,
    taxRounding: profile?.tax_rounding ?? 'line',
    fxRates,
  };
}

/** A stored plan version's terms. */
export function termsOf(row: PlanVersionRow): PlanTerms {
  return {
    id: row.id,
    recurringFeeMicros: BigInt(row.recurring_fee_micros),
    currency: row.currency.trim(),
    feePeriod: row.fee_period,
    allowances: row.allowances,
    tariffId: row.tariff_id,
    prices: row.prices,
    minimumCommitmentMicros:
      row.minimum_commitment_micros === null ? null : BigInt(row.minimum_commitment_micros),
    taxCategory: row.tax_category,
  };
}

/** The version of a plan in force at `at`, or undefined. */
export function versionInForce(plan: CatalogPlan, at: Date): PlanVersionRow | undefined {
  return planVersionAt(plan.versions, at);
}

/** The customer's side of the taxes: the tenant's rules and rounding, the customer's region and certificates. */
export function repricingTaxes(
  catalog: RepricingCatalog,
  customer: {
    readonly taxRegion: string | null;
    readonly exemptions: readonly { tax: string; certificate: string }[];
  },
): RepricingTaxes {
  const exemptions: TaxExemption[] = customer.exemptions.map((e) => ({
    taxCode: e.tax,
    certificate: e.certificate,
    validFromMs: null,
    validToMs: null,
  }));
  return {
    rules: catalog.taxRules,
    jurisdiction: customer.taxRegion,
    exemptions,
    pricesIncludeTax: catalog.pricesIncludeTax,
    rounding: catalog.taxRounding,
  };
}

export type PricedPlanOutcome =
  | { readonly ok: true; readonly plan: PricedPlan }
  | { readonly ok: false; readonly message: string };

export interface PricePlanRequest {
  readonly plan: CatalogPlan;
  readonly terms: PlanTerms;
  readonly currency: string;
  /** The day prices are converted on (YYYY-MM-DD), for a fee without a price in the currency. */
  readonly onDay: string;
  /** The instants the usage spans: tariff versions are kept from the one in effect at the start. */
  readonly fromMs: number;
  readonly toMs: number;
  /** Draft tariffs by tariff id, in place of the stored versions. */
  readonly draftTariffs?: ReadonlyMap<string, DraftTariff>;
}

/**
 * A plan version ready for core's repriceCycles: its fee in the account's currency (as billing
 * prices it: the version's own, its price in that currency, else converted), its allowances in
 * billing's bucket units (grant-cycle-allowances.ts), and the compiled tariff versions in effect
 * over the usage. A plan whose tariff prices in another currency cannot carry the line's usage.
 */
export async function pricedPlanOf(
  db: Kysely<Database>,
  catalog: RepricingCatalog,
  request: PricePlanRequest,
  cache: CompiledTariffCache = compiledTariffCache,
): Promise<PricedPlanOutcome> {
  const { plan, terms, currency } = request;
  if (terms.tariffId === null)
    return { ok: false, message: `plan ${plan.code} has no tariff to price usage with` };
  const draft = request.draftTariffs?.get(terms.tariffId);
  const tariffCurrency = draft?.compiled.currency ?? catalog.tariffCurrency.get(terms.tariffId);
  if (tariffCurrency !== currency)
    return {
      ok: false,
      message: `plan ${plan.code}'s tariff prices in ${tariffCurrency}; the account is in ${currency}`,
    };
  const fee = priceInCurrency(
    terms.recurringFeeMicros,
    terms.currency,
    terms.prices[currency]?.recurringFeeMicros,
    currency,
    request.onDay,
    catalog.fxRates,
    `plan ${plan.name}`,
  );
  if (!fee.ok) return { ok: false, message: fee.message };
  const tariffs = await tariffVersionsOf(db, catalog, terms.tariffId, request, cache);
  if (!tariffs.ok) return tariffs;
  return {
    ok: true,
    plan: {
      planId: plan.id,
      planVersionId: terms.id,
      label: plan.name,
      feeMicros: fee.amountMicros,
      feeUnit: terms.feePeriod,
      taxCategory: terms.taxCategory,
      minimumCommitmentMicros: terms.currency === currency ? terms.minimumCommitmentMicros : null,
      allowances: terms.allowances.map((allowance) => ({
        service: allowance.service,
        category: allowance.category ?? null,
        unit: unitOf(allowance.service, currency),
        units: unitsOf(allowance, currency),
      })),
      tariffs: tariffs.versions,
    },
  };
}

async function tariffVersionsOf(
  db: Kysely<Database>,
  catalog: RepricingCatalog,
  tariffId: string,
  request: PricePlanRequest,
  cache: CompiledTariffCache,
): Promise<{ ok: true; versions: PlanTariffVersion[] } | { ok: false; message: string }> {
  const draft = request.draftTariffs?.get(tariffId);
  if (draft !== undefined) {
    const tenant = soleTenant(draft.ratingTenants);
    if (tenant === undefined)
      return { ok: false, message: 'the draft tariff must name exactly one rating tenant' };
    return {
      ok: true,
      versions: [{ activatesMs: Number.MIN_SAFE_INTEGER, tariff: draft.compiled, ratingTenant: tenant }],
    };
  }
  const all = catalog.tariffVersions.get(tariffId) ?? [];
  // The version in effect at the start, and every one activated before the end.
  let first = 0;
  for (let i = 0; i < all.length; i++) if (all[i]!.activatesMs <= request.fromMs) first = i;
  const wanted = all.slice(first).filter((v, i) => i === 0 || v.activatesMs < request.toMs);
  const versions: PlanTariffVersion[] = [];
  for (const version of wanted) {
    const tenant = soleTenant(version.ratingTenants);
    if (tenant === undefined)
      return {
        ok: false,
        message: `tariff version ${version.id} names ${version.ratingTenants.length} rating tenants; rating needs exactly one`,
      };
    const tariff = await cache.get(version.id, () => readTariffDocument(db, version.id));
    versions.push({ activatesMs: version.activatesMs, tariff, ratingTenant: tenant });
  }
  if (versions.length === 0) return { ok: false, message: `tariff ${tariffId} has no version` };
  return { ok: true, versions };
}

function soleTenant(tenants: readonly string[]): string | undefined {
  return tenants.length === 1 ? tenants[0] : undefined;
}

/** The unit of a measured usage record as core's allowance unit. */
export function allowanceUnitOf(unit: string): AllowanceUnit {
  return unit === 'seconds' || unit === 'bytes' || unit === 'messages' ? unit : 'units';
}
