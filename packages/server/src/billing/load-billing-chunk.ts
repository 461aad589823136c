import type { Kysely, Transaction } from 'kysely';
import type { SubscriptionEventData } from '../accounts/account-tables.js';
import type { StoredAllowance, StoredOneTimeFee, StoredPlanPrices } from '../catalog/catalog-tables.js';
import type { Database } from '../db/database-schema.js';
import type { StoredInvoiceTemplate, StoredTaxComponent } from './billing-tables.js';

/** What billing reads of one account, loaded for a chunk of accounts in a few statements. */
export interface AccountToBill {
  readonly id: string;
  readonly accountNumber: string;
  readonly kind: 'prepaid' | 'postpaid' | 'hybrid';
  readonly currency: string;
  readonly timeZone: string;
  readonly cycle: {
    readonly unit: 'week' | 'month' | 'quarter' | 'year';
    readonly day: number;
    readonly month: number;
  };
  readonly itemised: boolean;
  readonly paymentTermsDays: number;
  readonly customer: {
    readonly name: string;
    readonly address: readonly string[];
    readonly taxId: string | null;
    readonly language: string;
    readonly taxRegion: string | null;
    readonly exemptions: readonly { readonly tax: string; readonly certificate: string }[];
  };
  readonly nextFromDay: number;
  readonly lines: readonly LineToBill[];
  readonly billedFees: readonly BilledFeeRow[];
  /** Keys of plan one-time fees already invoiced (fee:<subscription>:<code>). */
  readonly billedOneTimeKeys: ReadonlySet<string>;
  readonly charges: readonly OpenCharge[];
  readonly discounts: readonly DiscountRow[];
}

export interface LineToBill {
  readonly id: string;
  /** How the customer knows the line: its first identifier (an MSISDN, a SIP user). */
  readonly label: string;
  readonly events: readonly {
    readonly kind: string;
    readonly effectiveAt: Date;
    readonly data: SubscriptionEventData;
  }[];
}

export interface BilledFeeRow {
  readonly subscriptionId: string;
  readonly planId: string;
  readonly planVersionId: string;
  readonly windowFromDay: number;
  readonly windowToDay: number;
  readonly fromDay: number;
  readonly toDay: number;
  readonly feeMicros: bigint;
  readonly amountMicros: bigint;
}

export interface OpenCharge {
  readonly id: string;
  readonly subscriptionId: string | null;
  readonly code: string;
  readonly description: string;
  readonly amountMicros: bigint;
  readonly currency: string;
  readonly taxCategory: string;
  readonly chargedAt: Date;
}

export interface DiscountRow {
  readonly id: string;
  readonly name: string;
  readonly kind: 'percent' | 'fixed';
  readonly percent: string | null;
  readonly amountMicros: bigint | null;
  readonly currency: string | null;
  readonly target: 'invoice' | 'plan' | 'service' | 'subscription';
  readonly targetId: string | null;
  readonly cycles: number | null;
  readonly startsAt: Date;
  readonly endsAt: Date | null;
  /** Invoices (not void) it has already been applied on. */
  readonly invoicesUsed: number;
}

export interface PlanVersionRow {
  readonly id: string;
  readonly planId: string;
  readonly effectiveFrom: Date;
  readonly recurringFeeMicros: bigint;
  readonly currency: string;
  readonly feePeriod: 'week' | 'month' | 'quarter' | 'year';
  readonly oneTimeFees: readonly StoredOneTimeFee[];
  readonly allowances: readonly StoredAllowance[];
  readonly prices: StoredPlanPrices;
  readonly minimumCommitmentMicros: bigint | null;
  readonly taxCategory: string;
}

export interface PlanToBill {
  readonly id: string;
  readonly name: string;
  /** Oldest first. */
  readonly versions: readonly PlanVersionRow[];
}

/** What billing reads of the tenant once per chunk. */
export interface TenantBilling {
  readonly name: string;
  readonly profile: {
    readonly legalName: string | null;
    readonly address: readonly string[];
    readonly taxId: string | null;
    readonly registration: string | null;
    readonly email: string | null;
    readonly website: string | null;
    readonly bankDetails: string | null;
    readonly logo: { readonly mediaType: 'image/png' | 'image/jpeg'; readonly base64: string } | null;
    readonly template: StoredInvoiceTemplate;
    readonly notes: readonly string[];
    readonly pricesIncludeTax: boolean;
    readonly taxRounding: 'line' | 'invoice';
    readonly invoiceSeries: string;
  };
  readonly taxRules: readonly {
    readonly jurisdiction: string;
    readonly category: string;
    readonly effectiveFrom: Date;
    readonly effectiveTo: Date | null;
    readonly components: readonly StoredTaxComponent[];
  }[];
  readonly fxRates: readonly {
    readonly from: string;
    readonly to: string;
    readonly date: string;
    readonly rate: string;
    readonly source: string;
  }[];
  readonly plans: ReadonlyMap<string, PlanToBill>;
}

type Db = Kysely<Database> | Transaction<Database>;

/** Loads the accounts of a chunk with everything their bills need, in one statement per table. */
export async function loadAccountsToBill(
  db: Db,
  tenantId: string,
  states: readonly { readonly accountId: string; readonly nextFromDay: number }[],
): Promise<AccountToBill[]> {
  if (states.length === 0) return [];
  const ids = states.map((s) => s.accountId);
  const [accounts, subscriptions, identifiers, events, billed, oneTime, charges, discounts] =
    await Promise.all([
      db
        .selectFrom('accounts as a')
        .innerJoin('customers as c', 'c.id', 'a.customer_id')
        .select([
          'a.id',
          'a.account_number',
          'a.kind',
          'a.currency',
          'a.time_zone',
          'a.bill_cycle_unit',
          'a.bill_cycle_day',
          'a.bill_cycle_month',
          'a.itemised_invoices',
          'a.payment_terms_days',
          'c.display_name',
          'c.address',
          'c.tax_id',
          'c.language',
          'c.tax_region',
          'c.tax_exemptions',
        ])
        .where('a.tenant_id', '=', tenantId)
        .where('a.id', 'in', ids)
        .execute(),
      db
        .selectFrom('subscriptions')
        .select(['id', 'account_id', 'starts_at'])
        .where('tenant_id', '=', tenantId)
        .where('account_id', 'in', ids)
        .orderBy('starts_at')
        .orderBy('id')
        .execute(),
      db
        .selectFrom('subscription_identifiers')
        .select(['subscription_id', 'value', 'valid_from'])
        .where('tenant_id', '=', tenantId)
        .where('account_id', 'in', ids)
        .orderBy('valid_from')
        .execute(),
      db
        .selectFrom('subscription_events')
        .select(['subscription_id', 'kind', 'effective_at', 'data'])
        .where('tenant_id', '=', tenantId)
        .where('account_id', 'in', ids)
        .orderBy('subscription_id')
        .orderBy('sequence')
        .execute(),
      db
        .selectFrom('invoice_lines as l')
        .innerJoin('invoices as i', 'i.id', 'l.invoice_id')
        .select([
          'l.account_id',
          'l.subscription_id',
          'l.plan_id',
          'l.plan_version_id',
          'l.window_from_day',
          'l.window_to_day',
          'l.from_day',
          'l.to_day',
          'l.fee_micros',
          'l.amount_micros',
        ])
        .where('l.tenant_id', '=', tenantId)
        .where('l.account_id', 'in', ids)
        .where('l.kind', 'in', ['recurring', 'recurring_credit'])
        .where('i.status', '<>', 'void')
        .execute(),
      db
        .selectFrom('invoice_lines as l')
        .innerJoin('invoices as i', 'i.id', 'l.invoice_id')
        .select(['l.account_id', 'l.line_key'])
        .where('l.tenant_id', '=', tenantId)
        .where('l.account_id', 'in', ids)
        .where('l.kind', '=', 'one_time')
        .where('l.line_key', 'is not', null)
        .where('i.status', '<>', 'void')
        .execute(),
      db
        .selectFrom('account_charges')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('account_id', 'in', ids)
        .where('invoice_id', 'is', null)
        .orderBy('charged_at')
        .execute(),
      db
        .selectFrom('discounts as d')
        .select((eb) => [
          'd.id',
          'd.account_id',
          'd.name',
          'd.kind',
          'd.percent',
          'd.amount_micros',
          'd.currency',
          'd.target',
          'd.target_id',
          'd.cycles',
          'd.starts_at',
          'd.ends_at',
          eb
            .selectFrom('invoice_lines as l')
            .innerJoin('invoices as i', 'i.id', 'l.invoice_id')
            .select((inner) => inner.fn.count<string>(inner.fn('distinct', ['l.invoice_id'])).as('n'))
            .whereRef('l.discount_id', '=', 'd.id')
            .where('i.status', '<>', 'void')
            .as('invoices_used'),
        ])
        .where('d.tenant_id', '=', tenantId)
        .where('d.account_id', 'in', ids)
        .execute(),
    ]);
  const labelOf = new Map<string, string>();
  for (const identifier of identifiers)
    if (!labelOf.has(identifier.subscription_id)) labelOf.set(identifier.subscription_id, identifier.value);
  const eventsOf = groupBy(events, (e) => e.subscription_id);
  const linesOf = groupBy(subscriptions, (s) => s.account_id);
  const billedOf = groupBy(billed, (b) => b.account_id);
  const oneTimeOf = groupBy(oneTime, (o) => o.account_id);
  const chargesOf = groupBy(charges, (c) => c.account_id);
  const discountsOf = groupBy(discounts, (d) => d.account_id);
  const nextFrom = new Map(states.map((s) => [s.accountId, s.nextFromDay]));
  return accounts.map((a) => ({
    id: a.id,
    accountNumber: a.account_number,
    kind: a.kind,
    currency: a.currency,
    timeZone: a.time_zone,
    cycle: { unit: a.bill_cycle_unit, day: a.bill_cycle_day, month: a.bill_cycle_month },
    itemised: a.itemised_invoices,
    paymentTermsDays: a.payment_terms_days,
    customer: {
      name: a.display_name,
      address: a.address,
      taxId: a.tax_id,
      language: a.language,
      taxRegion: a.tax_region,
      exemptions: a.tax_exemptions,
    },
    nextFromDay: nextFrom.get(a.id) ?? 0,
    lines: (linesOf.get(a.id) ?? []).map((s) => ({
      id: s.id,
      label: labelOf.get(s.id) ?? s.id.slice(0, 8),
      events: (eventsOf.get(s.id) ?? []).map((e) => ({
        kind: e.kind,
        effectiveAt: e.effective_at,
        data: e.data,
      })),
    })),
    billedFees: (billedOf.get(a.id) ?? []).flatMap((b) =>
      b.subscription_id === null ||
      b.plan_id === null ||
      b.plan_version_id === null ||
      b.window_from_day === null ||
      b.window_to_day === null ||
      b.from_day === null ||
      b.to_day === null ||
      b.fee_micros === null
        ? []
        : [
            {
              subscriptionId: b.subscription_id,
              planId: b.plan_id,
              planVersionId: b.plan_version_id,
              windowFromDay: b.window_from_day,
              windowToDay: b.window_to_day,
              fromDay: b.from_day,
              toDay: b.to_day,
              feeMicros: BigInt(b.fee_micros),
              amountMicros: BigInt(b.amount_micros),
            },
          ],
    ),
    billedOneTimeKeys: new Set((oneTimeOf.get(a.id) ?? []).map((o) => o.line_key ?? '')),
    charges: (chargesOf.get(a.id) ?? []).map((c) => ({
      id: c.id,
      subscriptionId: c.subscription_id,
      code: c.code,
      description: c.description,
      amountMicros: BigInt(c.amount_micros),
      currency: c.currency,
      taxCategory: c.tax_category,
      chargedAt: c.charged_at,
    })),
    discounts: (discountsOf.get(a.id) ?? []).map((d) => ({
      id: d.id,
      name: d.name,
      kind: d.kind,
      percent: d.percent === null ? null : String(d.percent),
      amountMicros: d.amount_micros === null ? null : BigInt(d.amount_micros),
      currency: d.currency,
      target: d.target,
      targetId: d.target_id,
      cycles: d.cycles,
      startsAt: d.starts_at,
      endsAt: d.ends_at,
      invoicesUsed: Number(d.invoices_used ?? 0),
    })),
  }));
}

/** The tenant's side of billing: seller details, tax rules, exchange rates and plans. */
export async function loadTenantBilling(db: Db, tenantId: string): Promise<TenantBilling> {
  const [tenant, profile, taxRules, fxRates, plans, versions] = await Promise.all([
    db.selectFrom('tenants').select(['name']).where('id', '=', tenantId).executeTakeFirstOrThrow(),
    db.selectFrom('billing_profiles').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst(),
    db.selectFrom('tax_rules').selectAll().where('tenant_id', '=', tenantId).execute(),
    db
      .selectFrom('fx_rates')
      .select(['from_currency', 'to_currency', 'rate_date', 'rate', 'source'])
      .where('tenant_id', '=', tenantId)
      .orderBy('rate_date', 'desc')
      .execute(),
    db.selectFrom('plans').select(['id', 'name']).where('tenant_id', '=', tenantId).execute(),
    db.selectFrom('plan_versions').selectAll().where('tenant_id', '=', tenantId).orderBy('version').execute(),
  ]);
  const versionsOf = groupBy(versions, (v) => v.plan_id);
  return {
    name: tenant.name,
    profile: {
      legalName: profile?.legal_name ?? null,
      address: profile?.address ?? [],
      taxId: profile?.tax_id ?? null,
      registration: profile?.registration ?? null,
      email: profile?.email ?? null,
      website: profile?.website ?? null,
      bankDetails: profile?.bank_details ?? null,
      logo:
        profile?.logo_media_type != null && profile.logo_base64 !== null
          ? { mediaType: profile.logo_media_type, base64: profile.logo_base64 }
          : null,
      template: profile?.template ?? {},
      notes: profile?.notes ?? [],
      pricesIncludeTax: profile?.prices_include_tax ?? false,
      taxRounding: profile?.tax_rounding ?? 'line',
      invoiceSeries: profile?.invoice_series ?? 'INV',
    },
    taxRules: taxRules.map((r) => ({
      jurisdiction: r.jurisdiction,
      category: r.category,
      effectiveFrom: r.effective_from,
      effectiveTo: r.effective_to,
      components: r.components,
    })),
    fxRates: fxRates.map((r) => ({
      from: r.from_currency,
      to: r.to_currency,
      date: r.rate_date,
      rate: String(r.rate),
      source: r.source,
    })),
    plans: new Map(
      plans.map((p) => [
        p.id,
        {
          id: p.id,
          name: p.name,
          versions: (versionsOf.get(p.id) ?? []).map((v) => ({
            id: v.id,
            planId: v.plan_id,
            effectiveFrom: v.effective_from,
            recurringFeeMicros: BigInt(v.recurring_fee_micros),
            currency: v.currency,
            feePeriod: v.fee_period,
            oneTimeFees: v.one_time_fees,
            allowances: v.allowances,
            prices: v.prices,
            minimumCommitmentMicros:
              v.minimum_commitment_micros === null ? null : BigInt(v.minimum_commitment_micros),
            taxCategory: v.tax_category,
          })),
        },
      ]),
    ),
  };
}

function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [row]);
    else group.push(row);
  }
  return groups;
}
