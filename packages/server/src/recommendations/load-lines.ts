import type { MeasuredUsage } from '@tollgate/core';
import { type Kysely, sql } from 'kysely';
import type { SubscriptionStatus } from '../accounts/account-tables.js';
import type { LineToBill } from '../billing/load-billing-chunk.js';
import type { Database, TaxExemption } from '../db/database-schema.js';
import { allowanceUnitOf } from './repricing-catalog.js';

/** A line with what re-pricing needs of it, its account and its customer. */
export interface LineToReprice {
  readonly line: LineToBill;
  readonly planId: string | null;
  readonly status: SubscriptionStatus;
  readonly identifier: string | null;
  readonly account: {
    readonly id: string;
    readonly number: string;
    readonly currency: string;
    readonly timeZone: string;
    readonly cycle: {
      readonly unit: 'week' | 'month' | 'quarter' | 'year';
      readonly day: number;
      readonly month: number;
    };
  };
  readonly customer: {
    readonly id: string;
    readonly name: string;
    readonly group: string;
    readonly taxRegion: string | null;
    readonly exemptions: readonly TaxExemption[];
  };
  /** The line's MSISDNs over time: usage is rated as the number the line had then. */
  readonly msisdns: readonly {
    readonly value: string;
    readonly fromMs: number;
    readonly toMs: number | null;
  }[];
}

/** Lines loaded per statement: well below PGlite's parameter limit, and few statements for many lines. */
export const LINES_PER_LOAD = 500;

/** Lines of the tenant by id, with their events, numbers, accounts and customers: four statements. */
export async function loadLines(
  db: Kysely<Database>,
  tenantId: string,
  subscriptionIds: readonly string[],
): Promise<LineToReprice[]> {
  if (subscriptionIds.length === 0) return [];
  if (subscriptionIds.length > LINES_PER_LOAD)
    throw new RangeError(`loadLines takes at most ${LINES_PER_LOAD} lines`);
  const ids = [...subscriptionIds];
  const [lines, events, identifiers] = await Promise.all([
    db
      .selectFrom('subscriptions as s')
      .innerJoin('accounts as a', (join) =>
        join.onRef('a.tenant_id', '=', 's.tenant_id').onRef('a.id', '=', 's.account_id'),
      )
      .innerJoin('customers as c', (join) =>
        join.onRef('c.tenant_id', '=', 'a.tenant_id').onRef('c.id', '=', 'a.customer_id'),
      )
      .select([
        's.id',
        's.plan_id',
        's.status',
        'a.id as account_id',
        'a.account_number',
        'a.currency',
        'a.time_zone',
        'a.bill_cycle_unit',
        'a.bill_cycle_day',
        'a.bill_cycle_month',
        'c.id as customer_id',
        'c.display_name',
        'c.customer_group',
        'c.tax_region',
        'c.tax_exemptions',
      ])
      .where('s.tenant_id', '=', tenantId)
      .where('s.id', 'in', ids)
      .orderBy('s.id')
      .execute(),
    db
      .selectFrom('subscription_events')
      .select(['subscription_id', 'kind', 'effective_at', 'data'])
      .where('tenant_id', '=', tenantId)
      .where('subscription_id', 'in', ids)
      .orderBy('subscription_id')
      .orderBy('sequence')
      .execute(),
    db
      .selectFrom('subscription_identifiers')
      .select(['subscription_id', 'kind', 'value', 'valid_from', 'valid_to'])
      .where('tenant_id', '=', tenantId)
      .where('subscription_id', 'in', ids)
      .orderBy('valid_from')
      .orderBy('created_at')
      .execute(),
  ]);
  const eventsOf = groupBy(events, (e) => e.subscription_id);
  const identifiersOf = groupBy(identifiers, (i) => i.subscription_id);
  return lines.map((row) => {
    const own = identifiersOf.get(row.id) ?? [];
    return {
      line: {
        id: row.id,
        label: own[0]?.value ?? row.id.slice(0, 8),
        events: (eventsOf.get(row.id) ?? []).map((e) => ({
          kind: e.kind,
          effectiveAt: e.effective_at,
          data: e.data,
        })),
      },
      planId: row.plan_id,
      status: row.status,
      identifier: own[0]?.value ?? null,
      account: {
        id: row.account_id,
        number: row.account_number,
        currency: row.currency.trim(),
        timeZone: row.time_zone,
        cycle: { unit: row.bill_cycle_unit, day: row.bill_cycle_day, month: row.bill_cycle_month },
      },
      customer: {
        id: row.customer_id,
        name: row.display_name,
        group: row.customer_group,
        taxRegion: row.tax_region,
        exemptions: row.tax_exemptions,
      },
      msisdns: own
        .filter((i) => i.kind === 'msisdn')
        .map((i) => ({
          value: i.value,
          fromMs: i.valid_from.getTime(),
          toMs: i.valid_to?.getTime() ?? null,
        })),
    };
  });
}

/**
 * The measured usage of some lines between two instants: every rated charge not reversed (a
 * rerated record counts once, as its latest rating), its raw quantities only. One statement for
 * all the lines, through the account index of rated_usage; sorted by line, then start.
 */
export async function loadMeasuredUsage(
  db: Kysely<Database>,
  tenantId: string,
  lines: readonly LineToReprice[],
  fromMs: number,
  toMs: number,
): Promise<Map<string, MeasuredUsage[]>> {
  const usage = new Map<string, MeasuredUsage[]>();
  if (lines.length === 0 || toMs <= fromMs) return usage;
  const accountIds = [...new Set(lines.map((l) => l.account.id))];
  const lineIds = lines.map((l) => l.line.id);
  const { rows } = await sql<{
    subscription_id: string;
    service: string;
    unit: string;
    units: string;
    destination: string;
    started_at: Date;
    subscriber: string;
  }>`
    select r.subscription_id, r.service, r.unit, r.units::text as units, r.destination, r.started_at, r.subscriber
    from rated_usage r
    where r.tenant_id = ${tenantId} and r.account_id = any(${accountIds}::uuid[])
      and r.subscription_id = any(${lineIds}::uuid[])
      and r.started_at >= ${new Date(fromMs)} and r.started_at < ${new Date(toMs)}
      and r.entry = 'charge'
      and not exists (select 1 from rated_usage v where v.reverses_id = r.id)
    order by r.subscription_id, r.started_at, r.id`.execute(db);
  const msisdnsOf = new Map(lines.map((l) => [l.line.id, l.msisdns]));
  for (const row of rows) {
    const startedAtMs = row.started_at.getTime();
    const msisdn = msisdnsOf
      .get(row.subscription_id)
      ?.find((m) => m.fromMs <= startedAtMs && (m.toMs === null || startedAtMs < m.toMs));
    const list = usage.get(row.subscription_id) ?? [];
    list.push({
      service: row.service,
      unit: allowanceUnitOf(row.unit),
      units: BigInt(row.units),
      destination: row.destination,
      startedAtMs,
      subject: msisdn?.value ?? row.subscriber,
    });
    usage.set(row.subscription_id, list);
  }
  return usage;
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
