import { type RawBuilder, sql } from 'kysely';
import type { ReportDefinition, ReportQueryRow, ReportScope } from './report-definition.js';
import { periodOf } from './report-sql.js';

/**
 * Operations: small tables read as they are (usage files, suspended records, bill runs, dunning
 * cases), each by its (tenant_id, time) index, over the instants of the scope's local days.
 */
function instantsOf(column: string, scope: ReportScope): RawBuilder<boolean> {
  const zone = sql`(select time_zone from tenants where id = ${scope.tenantId}::uuid)`;
  return sql<boolean>`${sql.ref(column)} >= (${scope.from}::date::timestamp at time zone ${zone})
    and ${sql.ref(column)} < ((${scope.to}::date + 1)::timestamp at time zone ${zone})`;
}

function localDay(column: string, scope: ReportScope): RawBuilder<string> {
  return sql<string>`(${sql.ref(column)} at time zone (select time_zone from tenants where id = ${scope.tenantId}::uuid))::date`;
}

export const mediationReport: ReportDefinition = {
  name: 'mediation',
  title: 'Mediation summary',
  description:
    'Usage files read per period (the local day a run started) and source: records read, loaded, duplicate, suspended and skipped.',
  parameters: ['from', 'to', 'interval'],
  columns: [
    { key: 'period', label: 'Period', type: 'date' },
    { key: 'source', label: 'Source', type: 'text' },
    { key: 'files', label: 'Files', type: 'integer' },
    { key: 'failed', label: 'Failed files', type: 'integer' },
    { key: 'read', label: 'Read', type: 'integer' },
    { key: 'loaded', label: 'Loaded', type: 'integer' },
    { key: 'duplicate', label: 'Duplicate', type: 'integer' },
    { key: 'suspended', label: 'Suspended', type: 'integer' },
    { key: 'skipped', label: 'Skipped', type: 'integer' },
  ],
  chart: { kind: 'bar', x: 'period', series: ['loaded', 'duplicate', 'suspended'] },
  query: (scope) => sql<ReportQueryRow>`
    select f.period as "period", s.name as "source", count(*)::text as "files",
      count(*) filter (where f.status = 'failed')::text as "failed",
      sum(f.records_read)::text as "read", sum(f.records_loaded)::text as "loaded",
      sum(f.records_duplicate)::text as "duplicate", sum(f.records_suspended)::text as "suspended",
      sum(f.records_skipped)::text as "skipped"
    from (
      select ${periodOf('local_day', scope)} as period, x.*
      from (select u.*, ${localDay('started_at', scope)} as local_day from usage_files u
        where u.tenant_id = ${scope.tenantId}::uuid and ${instantsOf('started_at', scope)}) x
    ) f
    join usage_sources s on s.id = f.source_id
    group by f.period, s.name
    order by f.period, s.name`,
};

export const ratingFailuresReport: ReportDefinition = {
  name: 'rating-failures',
  title: 'Rating failures by reason',
  description:
    'Records suspended in the range (by the day they were suspended), per reason, and where they stand now: open, resolved (rated later) or discarded.',
  parameters: ['from', 'to'],
  columns: [
    { key: 'reason', label: 'Reason', type: 'text' },
    { key: 'records', label: 'Records', type: 'integer' },
    { key: 'open', label: 'Open', type: 'integer' },
    { key: 'resolved', label: 'Resolved', type: 'integer' },
    { key: 'discarded', label: 'Discarded', type: 'integer' },
    { key: 'share', label: 'Share', type: 'percent' },
  ],
  chart: { kind: 'bar', x: 'reason', series: ['records'] },
  query: (scope) => sql<ReportQueryRow>`
    select reason as "reason", count(*)::text as "records",
      count(*) filter (where status = 'open')::text as "open",
      count(*) filter (where status = 'resolved')::text as "resolved",
      count(*) filter (where status = 'discarded')::text as "discarded",
      round(100.0 * count(*) / sum(count(*)) over (), 2)::text as "share"
    from suspended_records
    where tenant_id = ${scope.tenantId}::uuid and ${instantsOf('created_at', scope)}
    group by reason
    order by count(*) desc, reason`,
};

export const billRunsReport: ReportDefinition = {
  name: 'bill-runs',
  title: 'Bill run history',
  description:
    'Bill runs started in the range, newest first: whether they were dry runs, and how many accounts each invoiced, skipped, parked or still has pending.',
  parameters: ['from', 'to'],
  columns: [
    { key: 'startedAt', label: 'Started', type: 'text' },
    { key: 'asOf', label: 'As of', type: 'text' },
    { key: 'status', label: 'Status', type: 'text' },
    { key: 'dryRun', label: 'Dry run', type: 'text' },
    { key: 'accounts', label: 'Accounts', type: 'integer' },
    { key: 'invoiced', label: 'Invoiced', type: 'integer' },
    { key: 'skipped', label: 'Skipped', type: 'integer' },
    { key: 'parked', label: 'Parked', type: 'integer' },
    { key: 'pending', label: 'Pending', type: 'integer' },
    { key: 'finishedAt', label: 'Finished', type: 'text' },
  ],
  chart: { kind: 'bar', x: 'startedAt', series: ['invoiced', 'parked'] },
  query: (scope) => sql<ReportQueryRow>`
    select to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "startedAt",
      to_char(r.as_of at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "asOf", r.status as "status",
      case when r.dry_run then 'yes' else 'no' end as "dryRun", r.accounts_total::text as "accounts",
      coalesce(c.invoiced, 0)::text as "invoiced", coalesce(c.skipped, 0)::text as "skipped",
      coalesce(c.parked, 0)::text as "parked", coalesce(c.pending, 0)::text as "pending",
      to_char(r.finished_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "finishedAt"
    from bill_runs r
    left join lateral (
      select count(*) filter (where a.status = 'invoiced') as invoiced,
        count(*) filter (where a.status = 'skipped') as skipped,
        count(*) filter (where a.status = 'parked') as parked,
        count(*) filter (where a.status = 'pending') as pending
      from bill_run_accounts a where a.bill_run_id = r.id
    ) c on true
    where r.tenant_id = ${scope.tenantId}::uuid and ${instantsOf('r.created_at', scope)}
    order by r.created_at desc, r.id`,
};

export const dunningFunnelReport: ReportDefinition = {
  name: 'dunning-funnel',
  title: 'Dunning funnel',
  description:
    'Dunning cases opened in the range by the steps they reached: how many reached each step, and of those that stopped there how many are still open, were resolved (paid) or written off.',
  parameters: ['from', 'to'],
  columns: [
    { key: 'step', label: 'Steps done', type: 'integer' },
    { key: 'reached', label: 'Reached', type: 'integer' },
    { key: 'reachedShare', label: 'Of cases opened', type: 'percent' },
    { key: 'open', label: 'Stopped here: open', type: 'integer' },
    { key: 'resolved', label: 'Stopped here: resolved', type: 'integer' },
    { key: 'writtenOff', label: 'Stopped here: written off', type: 'integer' },
  ],
  chart: { kind: 'bar', x: 'step', series: ['reached'] },
  query: (scope) => sql<ReportQueryRow>`
    with cases as (
      select steps_done, status from dunning_cases
      where tenant_id = ${scope.tenantId}::uuid and ${instantsOf('opened_at', scope)}
    )
    select g.step::text as "step", count(c.*) filter (where c.steps_done >= g.step)::text as "reached",
      round(100.0 * count(c.*) filter (where c.steps_done >= g.step) / nullif((select count(*) from cases), 0), 2)::text
        as "reachedShare",
      count(c.*) filter (where c.steps_done = g.step and c.status = 'open')::text as "open",
      count(c.*) filter (where c.steps_done = g.step and c.status = 'resolved')::text as "resolved",
      count(c.*) filter (where c.steps_done = g.step and c.status = 'written_off')::text as "writtenOff"
    from generate_series(0, (select coalesce(max(steps_done), -1) from cases)) g(step)
    cross join cases c
    group by g.step
    order by g.step`,
};
