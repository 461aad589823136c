import { sql, type Transaction } from 'kysely';
import { bareArrayLiteral } from '../db/array-literal.js';
import type { Database } from '../db/database-schema.js';
import type { UsageGroup } from './bill-account.js';

export interface UsageClaim {
  readonly accountId: string;
  readonly invoiceId: string;
  readonly periodStartMs: number;
  readonly periodEndMs: number;
  readonly zoneOffsetDay: (epochMs: number) => number;
}

/**
 * Claims for each bill the rated usage it invoices, and sums it per line, service and
 * destination group: every record of the account that started before the period's end and that no
 * bill has taken yet (records that started before the period's start are late: they arrived, or
 * were rerated, after their own period was invoiced). The caller holds the accounts' billing
 * locks, so no one else claims their records meanwhile; the primary key of invoiced_usage stands
 * guard all the same (a second claim fails the chunk, which is then retried). Usage an online
 * session charged is settled by the session and not claimed. One statement for the whole chunk.
 */
export async function claimUsage(
  trx: Transaction<Database>,
  tenantId: string,
  claims: readonly UsageClaim[],
): Promise<Map<string, UsageGroup[]>> {
  const groups = new Map<string, UsageGroup[]>();
  if (claims.length === 0) return groups;
  const rows = await sql<{
    account_id: string;
    usage_key: string;
    late: boolean;
    subscription_id: string;
    service: string;
    unit: string;
    destination_group: string;
    records: string;
    units: string;
    allowance_units: string;
    amount_micros: string;
    first_ms: string;
    last_ms: string;
  }>`
    with params as (
      select * from unnest(
        ${bareArrayLiteral(claims.map((c) => c.accountId))}::uuid[],
        ${bareArrayLiteral(claims.map((c) => c.invoiceId))}::uuid[],
        ${bareArrayLiteral(claims.map((c) => c.periodStartMs))}::int8[],
        ${bareArrayLiteral(claims.map((c) => c.periodEndMs))}::int8[]
      ) as p(account_id, invoice_id, start_ms, end_ms)
    ), candidates as (
      select r.id, r.account_id, p.invoice_id, r.subscription_id, r.service, r.unit,
        coalesce(r.explanation->>'destinationId', '') as destination_group,
        r.started_at < to_timestamp(p.start_ms / 1000.0) as late,
        r.started_at, r.units, r.allowance_units, r.charged_micros - r.debited_micros as amount_micros
      from params p
      join rated_usage r on r.tenant_id = ${tenantId}::uuid and r.account_id = p.account_id
        and r.started_at < to_timestamp(p.end_ms / 1000.0)
      where r.settlement <> 'online'
        and not exists (select 1 from invoiced_usage i where i.rated_usage_id = r.id)
    ), keyed as (
      select c.*, (case when c.late then 'late' else 'usage' end) || '|' || c.subscription_id || '|' || c.service
        || '|' || c.destination_group as usage_key
      from candidates c
    ), claimed as (
      -- Runs in full whether or not the query below reads it (PostgreSQL executes data-modifying
      -- WITH queries to completion); every candidate is claimed or the statement fails.
      insert into invoiced_usage (rated_usage_id, tenant_id, account_id, invoice_id, usage_key)
      select id, ${tenantId}::uuid, account_id, invoice_id, usage_key from keyed
    )
    select k.account_id, k.usage_key, k.late, k.subscription_id, k.service, k.unit, k.destination_group,
      count(*)::text as records, sum(k.units)::text as units, sum(k.allowance_units)::text as allowance_units,
      sum(k.amount_micros)::text as amount_micros,
      (extract(epoch from min(k.started_at)) * 1000)::int8::text as first_ms,
      (extract(epoch from max(k.started_at)) * 1000)::int8::text as last_ms
    from keyed k
    group by k.account_id, k.usage_key, k.late, k.subscription_id, k.service, k.unit, k.destination_group
    order by k.account_id, k.late, k.subscription_id, k.service, k.destination_group`.execute(trx);
  const dayOf = new Map(claims.map((c) => [c.accountId, c.zoneOffsetDay]));
  for (const row of rows.rows) {
    const toDay = dayOf.get(row.account_id);
    if (toDay === undefined) continue;
    const group: UsageGroup = {
      usageKey: row.usage_key,
      late: row.late,
      subscriptionId: row.subscription_id,
      service: row.service,
      unit: row.unit,
      destinationGroup: row.destination_group,
      records: Number(row.records),
      units: BigInt(row.units),
      allowanceUnits: BigInt(row.allowance_units),
      amountMicros: BigInt(row.amount_micros),
      firstDay: toDay(Number(row.first_ms)),
      lastDay: toDay(Number(row.last_ms)),
    };
    const list = groups.get(row.account_id);
    if (list === undefined) groups.set(row.account_id, [group]);
    else list.push(group);
  }
  return groups;
}
