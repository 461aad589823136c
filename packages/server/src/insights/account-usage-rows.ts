import { sql } from 'kysely';

/** Whose usage, over which instants: an account (or one of its lines) over [from, to). */
export interface UsageScope {
  readonly tenantId: string;
  readonly accountId: string;
  /** One line of the account; null: all of them. */
  readonly subscriptionId: string | null;
  readonly from: Date;
  readonly to: Date;
}

/**
 * The usage of an account in a period, one row per priced usage, for the insight statements to
 * aggregate (`with usage as (...)`). Two kinds of rows, never the same usage twice:
 *
 * - rated_usage: every record, its reversals included with negative amounts and a records count
 *   of -1, so a rerated record counts once at its new price. Records an online session charged
 *   (settlement 'online') are here too: a CDR reconciled with its session carries the session's
 *   charge.
 * - charging_sessions that no record was reconciled with (online charging without a CDR, or
 *   before it arrived): one row per rating group with usage, priced as the session charged it
 *   (money taken plus what the balance could not pay). Once a CDR names the session, the
 *   session is read through its record instead (the `not exists`).
 *
 * Both read by the (tenant_id, account_id, started_at) indexes of their tables. Columns:
 * started_at, subscription_id, service, unit, units, allowance_units, amount_micros (what the
 * usage costs after allowances), records, destination_id (the tariff's destination group, null
 * when unknown, as for sessions) and tariff_version_id.
 */
export function accountUsageRows(scope: UsageScope) {
  const lineOf = (alias: string) =>
    scope.subscriptionId === null
      ? sql`true`
      : sql`${sql.ref(`${alias}.subscription_id`)} = ${scope.subscriptionId}::uuid`;
  return sql`
    select r.started_at, r.subscription_id, r.service, r.unit, r.units, r.allowance_units,
      r.charged_micros as amount_micros, (case when r.entry = 'charge' then 1 else -1 end) as records,
      nullif(r.explanation->>'destinationId', '') as destination_id, r.tariff_version_id
    from rated_usage r
    where r.tenant_id = ${scope.tenantId}::uuid and r.account_id = ${scope.accountId}::uuid
      and r.started_at >= ${scope.from} and r.started_at < ${scope.to} and ${lineOf('r')}
    union all
    select s.started_at, s.subscription_id, e.value->>'category', e.value->>'unit',
      (e.value->>'usedUnits')::int8, (e.value->>'allowanceUnits')::int8,
      (e.value->>'chargedMicros')::int8 + (e.value->>'unpaidMicros')::int8, 1, null,
      (s.rating->>'tariffVersionId')::uuid
    from charging_sessions s cross join lateral jsonb_array_elements(s.services) e
    where s.tenant_id = ${scope.tenantId}::uuid and s.account_id = ${scope.accountId}::uuid
      and s.started_at >= ${scope.from} and s.started_at < ${scope.to} and ${lineOf('s')}
      and (e.value->>'usedUnits')::int8 > 0
      and not exists (select 1 from rated_usage x where x.charging_session_id = s.id)`;
}
