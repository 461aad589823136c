import { randomUUID } from 'node:crypto';
import {
  type DaySpan,
  intersectSpans,
  parseQuantity,
  quantityBaseUnits,
  spanDays,
  type ZoneClock,
} from '@tollgate/core';
import { sql, type Transaction } from 'kysely';
import { parseMoneyAmount } from '../accounts/money-amount.js';
import type { StoredAllowance } from '../catalog/catalog-tables.js';
import { bareArrayLiteral, textArrayLiteral } from '../db/array-literal.js';
import type { Database } from '../db/database-schema.js';
import type { CarriedUnits } from './billing-tables.js';
import { firstDayOf } from './fee-segments.js';
import type { PlanToBill } from './load-billing-chunk.js';
import type { PlanSpan } from './plan-spans.js';

/** One line's plan in one bill cycle: what its allowances are granted for. */
export interface CycleAllowanceRequest {
  readonly accountId: string;
  readonly currency: string;
  readonly clock: ZoneClock;
  readonly cycle: DaySpan;
  readonly cycleStartMs: number;
  readonly cycleEndMs: number;
  /** The line's days on the plan (from planSpansOf). */
  readonly span: PlanSpan;
}

interface Grant {
  readonly request: CycleAllowanceRequest;
  readonly key: string;
  readonly unit: string;
  readonly category: string | null;
  readonly freshUnits: bigint;
  readonly rolloverCycles: number;
  readonly label: string;
}

/** The bucket unit of an allowance's service (DESIGN.md section 3: names carry their unit). */
export function unitOf(service: string, currency: string): string {
  if (service === 'voice') return 'seconds';
  if (service === 'sms' || service === 'mms') return 'messages';
  if (service === 'data') return 'bytes';
  if (service === 'money') return currency;
  return 'units';
}

/** An allowance's units: whole seconds, bytes, messages or units, or micro-units of money. */
export function unitsOf(allowance: StoredAllowance, currency: string): bigint {
  if (allowance.service === 'money') {
    const money = parseMoneyAmount(allowance.amount, currency);
    return money.ok ? money.micros : 0n;
  }
  const quantity = parseQuantity(allowance.amount);
  if (!quantity.ok) return 0n;
  const base = quantityBaseUnits(quantity.value);
  // Durations count in milliseconds; buckets of time hold whole seconds.
  return BigInt(quantity.value.kind === 'duration' ? Math.floor(base / 1000) : base);
}

/**
 * Grants each line the allowances of its plans for a bill cycle, once (the grant's primary key):
 * a bucket per allowance, valid for the cycle, filled by a grant transaction from the tenant's
 * allowance book. A line on the plan for part of the cycle gets the days' share, rounded down. A
 * plan allowance with rollover carries the previous cycle's unused units (those consumed last
 * first: fresh units are spent after carried ones), each for at most its rollover cycles. Set-based:
 * a handful of statements for any number of lines.
 */
export async function grantCycleAllowances(
  trx: Transaction<Database>,
  tenantId: string,
  requests: readonly CycleAllowanceRequest[],
  plans: ReadonlyMap<string, PlanToBill>,
  now: Date,
): Promise<number> {
  const grants = requests.flatMap((request) => grantsOf(request, plans));
  if (grants.length === 0) return 0;
  const carried = await carriedInto(trx, tenantId, grants);
  const rows = grants.map((grant, index) => {
    const carry = carried[index] ?? [];
    const carriedUnits = carry.reduce((sum, c) => sum + BigInt(c.units), 0n);
    return { grant, bucketId: randomUUID(), carry, total: grant.freshUnits + carriedUnits };
  });
  const inserted = await sql<{ bucket_id: string }>`
    insert into allowance_grants (tenant_id, account_id, subscription_id, plan_id, allowance_key, cycle_from_day,
      cycle_to_day, bucket_id, unit, fresh_units, carried, created_at)
    select ${tenantId}::uuid, x.account_id, x.subscription_id, x.plan_id, x.allowance_key, x.from_day, x.to_day,
      x.bucket_id, x.unit, x.fresh_units, x.carried::jsonb, ${now}
    from unnest(
      ${bareArrayLiteral(rows.map((r) => r.grant.request.accountId))}::uuid[],
      ${bareArrayLiteral(rows.map((r) => r.grant.request.span.subscriptionId))}::uuid[],
      ${bareArrayLiteral(rows.map((r) => r.grant.request.span.planId))}::uuid[],
      ${textArrayLiteral(rows.map((r) => r.grant.key))}::text[],
      ${bareArrayLiteral(rows.map((r) => r.grant.request.cycle.fromDay))}::int4[],
      ${bareArrayLiteral(rows.map((r) => r.grant.request.cycle.toDay))}::int4[],
      ${bareArrayLiteral(rows.map((r) => r.bucketId))}::uuid[],
      ${textArrayLiteral(rows.map((r) => r.grant.unit))}::text[],
      ${bareArrayLiteral(rows.map((r) => r.grant.freshUnits))}::int8[],
      ${textArrayLiteral(rows.map((r) => JSON.stringify(r.carry)))}::text[]
    ) as x(account_id, subscription_id, plan_id, allowance_key, from_day, to_day, bucket_id, unit, fresh_units, carried)
    on conflict do nothing
    returning bucket_id`.execute(trx);
  const granted = new Set(inserted.rows.map((r) => r.bucket_id));
  const fresh = rows.filter((r) => granted.has(r.bucketId) && r.total > 0n);
  if (fresh.length === 0) return 0;
  await sql`
    insert into balance_buckets (id, tenant_id, account_id, subscription_id, kind, unit, service, label, valid_from,
      valid_to, balance, created_at, updated_at)
    select x.id, ${tenantId}::uuid, x.account_id, x.subscription_id, 'allowance', x.unit, x.service, x.label,
      to_timestamp(x.from_ms / 1000.0), to_timestamp(x.to_ms / 1000.0), x.units, ${now}, ${now}
    from unnest(
      ${bareArrayLiteral(fresh.map((r) => r.bucketId))}::uuid[],
      ${bareArrayLiteral(fresh.map((r) => r.grant.request.accountId))}::uuid[],
      ${bareArrayLiteral(fresh.map((r) => r.grant.request.span.subscriptionId))}::uuid[],
      ${textArrayLiteral(fresh.map((r) => r.grant.unit))}::text[],
      ${textArrayLiteral(fresh.map((r) => r.grant.category))}::text[],
      ${textArrayLiteral(fresh.map((r) => r.grant.label))}::text[],
      ${bareArrayLiteral(fresh.map((r) => r.grant.request.cycleStartMs))}::int8[],
      ${bareArrayLiteral(fresh.map((r) => r.grant.request.cycleEndMs))}::int8[],
      ${bareArrayLiteral(fresh.map((r) => r.total))}::int8[]
    ) as x(id, account_id, subscription_id, unit, service, label, from_ms, to_ms, units)`.execute(trx);
  const transactionIds = fresh.map(() => randomUUID());
  await sql`
    insert into ledger_transactions (id, tenant_id, account_id, kind, reference, description, created_at)
    select x.id, ${tenantId}::uuid, x.account_id, 'grant', x.reference, x.description, ${now}
    from unnest(
      ${bareArrayLiteral(transactionIds)}::uuid[],
      ${bareArrayLiteral(fresh.map((r) => r.grant.request.accountId))}::uuid[],
      ${textArrayLiteral(fresh.map((r) => `allowance:${r.grant.request.span.subscriptionId}:${r.grant.request.cycle.fromDay}`))}::text[],
      ${textArrayLiteral(fresh.map((r) => r.grant.label))}::text[]
    ) as x(id, account_id, reference, description)`.execute(trx);
  // Two entries per grant, balanced per unit: the bucket gains what the allowance book gives.
  await sql`
    insert into ledger_entries (tenant_id, account_id, transaction_id, bucket_id, book, unit, amount, created_at)
    select ${tenantId}::uuid, x.account_id, x.transaction_id, b.bucket_id, b.book, x.unit, b.sign * x.units, ${now}
    from unnest(
      ${bareArrayLiteral(fresh.map((r) => r.grant.request.accountId))}::uuid[],
      ${bareArrayLiteral(transactionIds)}::uuid[],
      ${bareArrayLiteral(fresh.map((r) => r.bucketId))}::uuid[],
      ${textArrayLiteral(fresh.map((r) => r.grant.unit))}::text[],
      ${bareArrayLiteral(fresh.map((r) => r.total))}::int8[]
    ) as x(account_id, transaction_id, bucket_id, unit, units)
    cross join lateral (values (x.bucket_id, 'account', 1), (null::uuid, 'allowance', -1)) as b(bucket_id, book, sign)`.execute(
    trx,
  );
  return fresh.length;
}

/** The allowances one request grants: those of the plan version in force on the cycle's first day of the line. */
function grantsOf(request: CycleAllowanceRequest, plans: ReadonlyMap<string, PlanToBill>): Grant[] {
  const plan = plans.get(request.span.planId);
  const days = intersectSpans(request.span.span, request.cycle);
  if (plan === undefined || days === null) return [];
  const version = [...plan.versions]
    .reverse()
    .find((v, i, all) => i === all.length - 1 || firstDayOf(v, request.clock) <= days.fromDay);
  if (version === undefined) return [];
  const share = BigInt(spanDays(days));
  const whole = BigInt(spanDays(request.cycle));
  return version.allowances.map((allowance, index) => ({
    request,
    key: `${index}:${allowance.service}:${allowance.category ?? '*'}`,
    unit: unitOf(allowance.service, request.currency),
    category: allowance.category ?? null,
    freshUnits: (unitsOf(allowance, request.currency) * share) / whole,
    rolloverCycles: allowance.rolloverCycles ?? 0,
    label: `${plan.name}: ${allowance.amount} ${allowance.service}`,
  }));
}

/**
 * What each grant carries over from the grant of the same allowance in the cycle just before:
 * that bucket's unused units, the freshest first (carried units are spent before fresh ones), each
 * one cycle older, those older than the plan's rollover cycles dropped.
 */
async function carriedInto(
  trx: Transaction<Database>,
  tenantId: string,
  grants: readonly Grant[],
): Promise<CarriedUnits[][]> {
  const withRollover = grants.filter((g) => g.rolloverCycles > 0);
  if (withRollover.length === 0) return grants.map(() => []);
  const previous = await sql<{
    subscription_id: string;
    plan_id: string;
    allowance_key: string;
    cycle_to_day: number;
    fresh_units: string;
    carried: CarriedUnits[];
    balance: string;
  }>`
    select g.subscription_id, g.plan_id, g.allowance_key, g.cycle_to_day, g.fresh_units::text, g.carried,
      b.balance::text
    from allowance_grants g join balance_buckets b on b.id = g.bucket_id
    where g.tenant_id = ${tenantId}::uuid
      and g.subscription_id = any(${bareArrayLiteral(withRollover.map((g) => g.request.span.subscriptionId))}::uuid[])`.execute(
    trx,
  );
  return grants.map((grant) => {
    if (grant.rolloverCycles === 0) return [];
    const before = previous.rows.find(
      (p) =>
        p.subscription_id === grant.request.span.subscriptionId &&
        p.plan_id === grant.request.span.planId &&
        p.allowance_key === grant.key &&
        p.cycle_to_day === grant.request.cycle.fromDay,
    );
    if (before === undefined) return [];
    let unused = BigInt(before.balance);
    const carry: CarriedUnits[] = [];
    // The unused units are the freshest ones: the previous cycle's own grant first, then what it carried, youngest first.
    const layers = [
      { ageCycles: 0, units: BigInt(before.fresh_units) },
      ...before.carried.map((c) => ({ ageCycles: c.ageCycles, units: BigInt(c.units) })),
    ];
    for (const layer of layers) {
      const kept = unused < layer.units ? unused : layer.units;
      unused -= kept;
      if (kept > 0n && layer.ageCycles + 1 <= grant.rolloverCycles)
        carry.push({ ageCycles: layer.ageCycles + 1, units: String(kept) });
    }
    return carry;
  });
}
