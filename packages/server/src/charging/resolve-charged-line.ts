import type { NumberingContext } from '@tollgate/core';
import { type Kysely, sql } from 'kysely';
import { normaliseIdentifier } from '../accounts/normalise-identifier.js';
import { numberingContextOf } from '../accounts/subscription-store.js';
import type { Database } from '../db/database-schema.js';
import type { SubscriberIdentity } from './credit-control.js';

/** What charging needs to know about the line a request names, as of the request's time. */
export interface ChargedLine {
  readonly subscriptionId: string;
  readonly accountId: string;
  readonly currency: string;
  /** The line and its account take usage: both active. */
  readonly active: boolean;
  /** An open or confirmed fraud case bars the line from chargeable usage (docs/fraud.md). */
  readonly barred: boolean;
  /** The tariff version that prices the line's usage now; null when its plan has none in effect. */
  readonly tariffVersionId: string | null;
  /** The tenants the tariff's rating profiles name (one of them is the rating tenant). */
  readonly ratingTenants: readonly string[];
  /** The line is rated as its MSISDN, else as the identifier the request named. */
  readonly subject: string;
}

export type ResolveLineOutcome =
  | { readonly ok: true; readonly line: ChargedLine }
  | { readonly ok: false; readonly message: string };

interface LineRow {
  subscription_id: string;
  account_id: string;
  currency: string;
  line_status: string;
  account_status: string;
  tariff_version_id: string | null;
  rating_tenants: string[] | null;
  msisdn: string | null;
  barred: boolean;
}

/**
 * Finds the line holding an identifier at an instant, with the plan version and tariff version
 * then in effect, in one query: charging answers within milliseconds, so it cannot afford the
 * five round trips of reading each row on its own. The rules are those of catalog/quote-usage.ts:
 * the plan from the line's latest activation or plan change by then, the plan version and the
 * tariff version in effect then.
 */
export async function resolveChargedLine(
  db: Kysely<Database>,
  tenantId: string,
  subscriber: SubscriberIdentity,
  at: Date,
  numbering: NumberingContext,
): Promise<ResolveLineOutcome> {
  const normalised = normaliseIdentifier(subscriber.kind, subscriber.value, numbering);
  if (!normalised.ok) return { ok: false, message: normalised.message };
  const { rows } = await sql<LineRow>`
    select s.id as subscription_id, s.account_id, a.currency, s.status as line_status,
      a.status as account_status, tv.id as tariff_version_id,
      tv.summary -> 'ratingTenants' as rating_tenants,
      (select m.value from subscription_identifiers m
        where m.tenant_id = s.tenant_id and m.subscription_id = s.id and m.kind = 'msisdn'
          and m.valid_from <= ${at} and (m.valid_to is null or m.valid_to > ${at})
        order by m.valid_from limit 1) as msisdn,
      exists (select 1 from fraud_cases f where f.tenant_id = s.tenant_id and f.subscription_id = s.id
        and f.barred and f.status <> 'dismissed') as barred
    from subscription_identifiers i
    join subscriptions s on s.tenant_id = i.tenant_id and s.id = i.subscription_id
    join accounts a on a.tenant_id = s.tenant_id and a.id = s.account_id
    left join lateral (
      select coalesce(e.data ->> 'toPlanId', e.data ->> 'planId')::uuid as plan_id
      from subscription_events e
      where e.tenant_id = s.tenant_id and e.subscription_id = s.id
        and e.kind in ('activated', 'plan_changed') and e.effective_at <= ${at}
      order by e.sequence desc limit 1) plan on true
    left join lateral (
      select pv.tariff_id from plan_versions pv
      where pv.tenant_id = s.tenant_id and pv.plan_id = plan.plan_id and pv.effective_from <= ${at}
      order by pv.effective_from desc, pv.version desc limit 1) pv on true
    left join lateral (
      select t.id, t.summary from tariff_versions t
      where t.tenant_id = s.tenant_id and t.tariff_id = pv.tariff_id and t.activates_at <= ${at}
      order by t.version desc limit 1) tv on true
    where i.tenant_id = ${tenantId} and i.kind = ${subscriber.kind} and i.value = ${normalised.value}
      and i.valid_from <= ${at} and (i.valid_to is null or i.valid_to > ${at})
    limit 1`.execute(db);
  const row = rows[0];
  if (row === undefined)
    return {
      ok: false,
      message: `no line holds ${subscriber.kind} ${normalised.value} at ${at.toISOString()}`,
    };
  return {
    ok: true,
    line: {
      subscriptionId: row.subscription_id,
      accountId: row.account_id,
      currency: row.currency.trim(),
      active: row.line_status === 'active' && row.account_status === 'active',
      barred: row.barred === true,
      tariffVersionId: row.tariff_version_id,
      ratingTenants: parseTenants(row.rating_tenants),
      subject: row.msisdn ?? normalised.value,
    },
  };
}

/** jsonb comes back parsed from PGlite and as text from some pg setups. */
function parseTenants(value: unknown): string[] {
  const parsed = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : [];
}

/**
 * The numbering context of each tenant, read once per process and kept for `ttlMs`: tenants
 * change it rarely, and a stale context only affects how a number written nationally is read.
 */
export class NumberingContexts {
  readonly #entries = new Map<string, { context: NumberingContext; loadedAtMs: number }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly ttlMs = 30_000,
  ) {}

  async of(tenantId: string, nowMs: number): Promise<NumberingContext> {
    const cached = this.#entries.get(tenantId);
    if (cached !== undefined && nowMs - cached.loadedAtMs < this.ttlMs) return cached.context;
    const context = await numberingContextOf(this.db, tenantId);
    this.#entries.set(tenantId, { context, loadedAtMs: nowMs });
    return context;
  }
}
