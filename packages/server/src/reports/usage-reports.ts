import { sql } from 'kysely';
import type { ReportDefinition, ReportQueryRow } from './report-definition.js';
import { inDays, inMonths, ofCurrency, ofTenant, periodOf } from './report-sql.js';

/**
 * Usage: volumes and what they cost after allowances, from the summaries the rated_usage
 * trigger keeps (a rerated record counts once: its reversal is negative). Hours and weekdays are
 * local to the tenant's time zone; the hour and destination summaries are kept per month, so
 * those reports count every month their range touches.
 */
export const usageByHourReport: ReportDefinition = {
  name: 'usage-by-hour',
  title: 'Usage by hour of the day',
  description:
    "Rated events and what they cost per local hour of the day (peak times), over every month the range touches, per service's unit.",
  parameters: ['from', 'to', 'currency'],
  columns: [
    { key: 'hour', label: 'Hour', type: 'integer' },
    { key: 'currency', label: 'Currency', type: 'text' },
    { key: 'events', label: 'Events', type: 'integer' },
    { key: 'seconds', label: 'Voice seconds', type: 'integer' },
    { key: 'bytes', label: 'Bytes', type: 'integer' },
    { key: 'messages', label: 'Messages', type: 'integer' },
    { key: 'charged', label: 'Charged', type: 'money' },
  ],
  chart: { kind: 'bar', x: 'hour', series: ['events'] },
  query: (scope) => sql<ReportQueryRow>`
    select hour::text as "hour", trim(currency) as "currency", sum(events)::text as "events",
      sum(case when unit = 'seconds' then units else 0 end)::text as "seconds",
      sum(case when unit = 'bytes' then units else 0 end)::text as "bytes",
      sum(case when unit = 'messages' then units else 0 end)::text as "messages",
      sum(charged_micros)::text as "charged"
    from report_usage_hourly
    where ${ofTenant('tenant_id', scope)} and ${inMonths('month', scope)} and ${ofCurrency('currency', scope)}
    group by hour, currency
    order by hour, currency`,
};

export const usageByWeekdayReport: ReportDefinition = {
  name: 'usage-by-weekday',
  title: 'Usage by day of the week',
  description:
    'Rated events and what they cost per local day of the week (1 = Monday), over every month the range touches.',
  parameters: ['from', 'to', 'currency'],
  columns: [
    { key: 'weekday', label: 'Weekday', type: 'integer' },
    { key: 'day', label: 'Day', type: 'text' },
    { key: 'currency', label: 'Currency', type: 'text' },
    { key: 'events', label: 'Events', type: 'integer' },
    { key: 'seconds', label: 'Voice seconds', type: 'integer' },
    { key: 'bytes', label: 'Bytes', type: 'integer' },
    { key: 'messages', label: 'Messages', type: 'integer' },
    { key: 'charged', label: 'Charged', type: 'money' },
  ],
  chart: { kind: 'bar', x: 'day', series: ['events'] },
  query: (scope) => sql<ReportQueryRow>`
    select weekday::text as "weekday",
      (array['Monday','Tuesday','Wednesday','Thursday','Friday','Saturday','Sunday'])[weekday] as "day",
      trim(currency) as "currency", sum(events)::text as "events",
      sum(case when unit = 'seconds' then units else 0 end)::text as "seconds",
      sum(case when unit = 'bytes' then units else 0 end)::text as "bytes",
      sum(case when unit = 'messages' then units else 0 end)::text as "messages",
      sum(charged_micros)::text as "charged"
    from report_usage_hourly
    where ${ofTenant('tenant_id', scope)} and ${inMonths('month', scope)} and ${ofCurrency('currency', scope)}
    group by weekday, currency
    order by weekday, currency`,
};

/** The destinations top-destinations lists at most. */
const TOP_DESTINATIONS = 50;

export const topDestinationsReport: ReportDefinition = {
  name: 'top-destinations',
  title: 'Top destinations',
  description: `The ${TOP_DESTINATIONS} destination groups (the tariff's destination ids) with the most charged per service, over every month the range touches.`,
  parameters: ['from', 'to', 'currency'],
  columns: [
    { key: 'destination', label: 'Destination group', type: 'text' },
    { key: 'service', label: 'Service', type: 'text' },
    { key: 'unit', label: 'Unit', type: 'text' },
    { key: 'currency', label: 'Currency', type: 'text' },
    { key: 'events', label: 'Events', type: 'integer' },
    { key: 'units', label: 'Units', type: 'integer' },
    { key: 'charged', label: 'Charged', type: 'money' },
    { key: 'list', label: 'At list price', type: 'money' },
  ],
  chart: { kind: 'bar', x: 'destination', series: ['charged'] },
  query: (scope) => sql<ReportQueryRow>`
    select coalesce(nullif(destination, ''), '(none)') as "destination", service as "service", unit as "unit",
      trim(currency) as "currency", sum(events)::text as "events", sum(units)::text as "units",
      sum(charged_micros)::text as "charged", sum(list_micros)::text as "list"
    from report_usage_destinations
    where ${ofTenant('tenant_id', scope)} and ${inMonths('month', scope)} and ${ofCurrency('currency', scope)}
    group by destination, service, unit, currency
    having sum(events) <> 0
    order by sum(charged_micros) desc, sum(events) desc, destination, service
    limit ${TOP_DESTINATIONS}`,
};

export const dataTrendReport: ReportDefinition = {
  name: 'data-trend',
  title: 'Data usage trend',
  description:
    'Data sessions (usage in bytes), their volume in bytes and gigabytes (10^9 bytes), and what they cost, per period.',
  parameters: ['from', 'to', 'interval', 'currency'],
  columns: [
    { key: 'period', label: 'Period', type: 'date' },
    { key: 'currency', label: 'Currency', type: 'text' },
    { key: 'events', label: 'Sessions', type: 'integer' },
    { key: 'bytes', label: 'Bytes', type: 'integer' },
    { key: 'gigabytes', label: 'GB', type: 'decimal' },
    { key: 'charged', label: 'Charged', type: 'money' },
  ],
  chart: { kind: 'line', x: 'period', series: ['gigabytes'] },
  query: (scope) => sql<ReportQueryRow>`
    select ${periodOf('day', scope)} as "period", trim(currency) as "currency", sum(events)::text as "events",
      sum(units)::text as "bytes", round(sum(units) / 1e9, 3)::text as "gigabytes",
      sum(charged_micros)::text as "charged"
    from report_usage_daily
    where ${ofTenant('tenant_id', scope)} and ${inDays('day', scope)} and ${ofCurrency('currency', scope)}
      and unit = 'bytes'
    group by 1, 2
    order by 1, 2`,
};

export const usageBySourceReport: ReportDefinition = {
  name: 'usage-by-source',
  title: 'Usage by source',
  description:
    'Rated events, units and what they cost per period, usage source (a switch, a CDR feed, online charging, the API) and service.',
  parameters: ['from', 'to', 'interval', 'currency'],
  columns: [
    { key: 'period', label: 'Period', type: 'date' },
    { key: 'source', label: 'Source', type: 'text' },
    { key: 'service', label: 'Service', type: 'text' },
    { key: 'unit', label: 'Unit', type: 'text' },
    { key: 'currency', label: 'Currency', type: 'text' },
    { key: 'events', label: 'Events', type: 'integer' },
    { key: 'units', label: 'Units', type: 'integer' },
    { key: 'charged', label: 'Charged', type: 'money' },
  ],
  chart: { kind: 'bar', x: 'period', series: ['events'] },
  query: (scope) => sql<ReportQueryRow>`
    select u.period as "period", coalesce(s.name, u.source_id::text) as "source", u.service as "service",
      u.unit as "unit", u.currency as "currency", u.events::text as "events", u.units::text as "units",
      u.charged::text as "charged"
    from (
      select ${periodOf('day', scope)} as period, source_id, service, unit, trim(currency) as currency,
        sum(events) as events, sum(units) as units, sum(charged_micros) as charged
      from report_usage_daily
      where ${ofTenant('tenant_id', scope)} and ${inDays('day', scope)} and ${ofCurrency('currency', scope)}
      group by 1, 2, 3, 4, 5
    ) u
    left join usage_sources s on s.id = u.source_id
    order by u.period, 2, u.service, u.currency`,
};

/** CLI only: the API is scoped to one tenant. */
export const usageByTenantReport: ReportDefinition = {
  name: 'usage-by-tenant',
  title: 'Usage by tenant',
  description:
    'Rated events, units and what they cost per tenant (operator or reseller), service and currency: across every tenant of the database.',
  parameters: ['from', 'to', 'currency'],
  acrossTenants: true,
  columns: [
    { key: 'tenant', label: 'Tenant', type: 'text' },
    { key: 'service', label: 'Service', type: 'text' },
    { key: 'unit', label: 'Unit', type: 'text' },
    { key: 'currency', label: 'Currency', type: 'text' },
    { key: 'events', label: 'Events', type: 'integer' },
    { key: 'units', label: 'Units', type: 'integer' },
    { key: 'charged', label: 'Charged', type: 'money' },
  ],
  chart: { kind: 'bar', x: 'tenant', series: ['charged'] },
  query: (scope) => sql<ReportQueryRow>`
    select t.slug as "tenant", u.service as "service", u.unit as "unit", u.currency as "currency",
      u.events::text as "events", u.units::text as "units", u.charged::text as "charged"
    from (
      select tenant_id, service, unit, trim(currency) as currency, sum(events) as events, sum(units) as units,
        sum(charged_micros) as charged
      from report_usage_daily
      where ${ofTenant('tenant_id', scope)} and ${inDays('day', scope)} and ${ofCurrency('currency', scope)}
      group by 1, 2, 3, 4
    ) u
    join tenants t on t.id = u.tenant_id
    order by t.slug, u.service, u.currency`,
};
