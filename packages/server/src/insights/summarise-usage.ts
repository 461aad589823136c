import { isoDateOfDay } from '@tollgate/core';
import { type Kysely, sql } from 'kysely';
import type { AccountRow } from '../accounts/account-store.js';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import type { Database } from '../db/database-schema.js';
import { accountUsageRows, type UsageScope } from './account-usage-rows.js';
import type { LocalDayRange } from './local-day-range.js';
import type { UsageSummary } from './usage-summary-schemas.js';

/** Destinations the summary lists. */
export const TOP_DESTINATIONS = 10;

interface GroupRow {
  readonly key: string;
  readonly service: string;
  readonly unit: string;
  readonly records: string;
  readonly units: string;
  readonly allowance_units: string;
  readonly amount: string;
}

interface DestinationRow {
  readonly destination_id: string | null;
  readonly name: string | null;
  readonly records: string;
  readonly amount: string;
}

/**
 * An account's usage over local days, aggregated in the database, one statement per section:
 * per day and per hour of the day (both in the account's zone, so a call at 23:30 in Berlin
 * counts on its Berlin day), per service, and the top destinations with the names the tariff
 * gives them. Rated records and online sessions not reconciled with a record are read alike
 * (accountUsageRows), so nothing counts twice. Amounts are what the usage costs after allowances,
 * exact (micro-units, not rounded to the currency's minor unit).
 */
export async function summariseUsage(
  db: Kysely<Database>,
  tenantId: string,
  account: AccountRow,
  range: LocalDayRange,
  subscriptionId: string | null,
): Promise<UsageSummary> {
  const scope: UsageScope = {
    tenantId,
    accountId: account.id,
    subscriptionId,
    from: range.from,
    to: range.to,
  };
  const zone = account.time_zone;
  const usage = accountUsageRows(scope);
  const groupedBy = async (key: ReturnType<typeof sql>) =>
    (
      await sql<GroupRow>`
        with usage as (${usage})
        select ${key} as key, service, unit, sum(records)::text as records, sum(units)::text as units,
          sum(allowance_units)::text as allowance_units, sum(amount_micros)::text as amount
        from usage group by 1, 2, 3 order by 1, 2, 3`.execute(db)
    ).rows;
  const days = await groupedBy(sql`to_char(started_at at time zone ${zone}::text, 'YYYY-MM-DD')`);
  const hours = await groupedBy(sql`extract(hour from started_at at time zone ${zone}::text)::int::text`);
  const services = await groupedBy(sql`''`);
  const { rows: destinations } = await sql<DestinationRow>`
    with usage as (${usage}), grouped as (
      select destination_id, sum(records) as records, sum(amount_micros) as amount,
        (array_agg(tariff_version_id order by started_at desc))[1] as tariff_version_id
      from usage group by destination_id
      having sum(records) <> 0 or sum(amount_micros) <> 0
      order by amount desc, records desc, destination_id nulls last
      limit ${TOP_DESTINATIONS}
    )
    select g.destination_id, g.records::text as records, g.amount::text as amount,
      (select d.value->>'name' from tariff_versions v cross join lateral jsonb_array_elements(v.document->'destinations') d
        where v.id = g.tariff_version_id and d.value->>'id' = g.destination_id limit 1) as name
    from grouped g
    order by g.amount desc, g.records desc, g.destination_id nulls last`.execute(db);

  const currency = account.currency;
  const money = (micros: bigint) => formatMoneyAmount(micros, currency);
  const dayBuckets = bucketsOf(days);
  const hourBuckets = bucketsOf(hours);
  const serviceTotals = services.map((row) => ({
    service: row.service,
    unit: row.unit,
    records: Number(row.records),
    quantity: row.units,
    allowanceQuantity: row.allowance_units,
    amount: money(BigInt(row.amount)),
  }));
  const totalAmount = services.reduce((sum, row) => sum + BigInt(row.amount), 0n);
  const totalRecords = services.reduce((sum, row) => sum + Number(row.records), 0);
  const dense = <K extends string | number>(keys: readonly K[], buckets: Map<string, Bucket>) =>
    keys.map((key) => {
      const bucket = buckets.get(String(key));
      return {
        records: bucket?.records ?? 0,
        amount: money(bucket?.amountMicros ?? 0n),
        services: bucket?.services ?? [],
      };
    });
  const dates: string[] = [];
  for (let day = range.fromDay; day < range.toDay; day++) dates.push(isoDateOfDay(day));
  const hourKeys = Array.from({ length: 24 }, (_, hour) => hour);
  return {
    accountId: account.id,
    subscriptionId,
    currency,
    timeZone: zone,
    from: isoDateOfDay(range.fromDay),
    to: isoDateOfDay(range.toDay - 1),
    total: { records: totalRecords, amount: money(totalAmount) },
    services: serviceTotals,
    days: dense(dates, dayBuckets).map((bucket, index) => ({ date: dates[index]!, ...bucket })),
    hours: dense(hourKeys, hourBuckets).map((bucket, hour) => ({ hour, ...bucket })),
    topDestinations: destinations.map((row) => ({
      destinationId: row.destination_id,
      name: row.name,
      records: Number(row.records),
      amount: money(BigInt(row.amount)),
    })),
  };
}

interface Bucket {
  records: number;
  amountMicros: bigint;
  services: { service: string; unit: string; quantity: string }[];
}

/** Rows grouped by (key, service, unit) folded into one bucket per key. */
function bucketsOf(rows: readonly GroupRow[]): Map<string, Bucket> {
  const buckets = new Map<string, Bucket>();
  for (const row of rows) {
    let bucket = buckets.get(row.key);
    if (bucket === undefined) {
      bucket = { records: 0, amountMicros: 0n, services: [] };
      buckets.set(row.key, bucket);
    }
    bucket.records += Number(row.records);
    bucket.amountMicros += BigInt(row.amount);
    bucket.services.push({ service: row.service, unit: row.unit, quantity: row.units });
  }
  return buckets;
}
