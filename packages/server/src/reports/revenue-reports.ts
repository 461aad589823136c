import { sql } from 'kysely';
import type { ReportDefinition, ReportQueryRow } from './report-definition.js';
import { inDays, inMonths, NO_PLAN, ofCurrency, ofTenant, periodOf } from './report-sql.js';

/**
 * Revenue: what finalised invoices and credit notes billed (report_invoice_daily and its lines),
 * what payments collected (report_payments_daily), and what rated usage earned per destination.
 */
export const revenueReport: ReportDefinition = {
  name: 'revenue',
  title: 'Revenue billed and collected',
  description:
    'Per period: invoices finalised and their totals with tax, credit notes (negative), net billed, tax, and money collected (payments succeeded less refunds and chargebacks completed). Invoices count on their issue day, payments on the day they succeeded.',
  parameters: ['from', 'to', 'interval', 'currency'],
  columns: [
    { key: 'period', label: 'Period', type: 'date' },
    { key: 'currency', label: 'Currency', type: 'text' },
    { key: 'invoices', label: 'Invoices', type: 'integer' },
    { key: 'billed', label: 'Billed', type: 'money' },
    { key: 'creditNotes', label: 'Credit notes', type: 'money' },
    { key: 'netBilled', label: 'Net billed', type: 'money' },
    { key: 'tax', label: 'Tax', type: 'money' },
    { key: 'collected', label: 'Collected', type: 'money' },
  ],
  chart: { kind: 'bar', x: 'period', series: ['billed', 'collected'] },
  query: (scope) => sql<ReportQueryRow>`
    select period, currency, sum(invoices)::text as "invoices", sum(billed)::text as "billed",
      sum(credit_notes)::text as "creditNotes", sum(net)::text as "netBilled", sum(tax)::text as "tax",
      sum(collected)::text as "collected"
    from (
      select ${periodOf('day', scope)} as period, trim(currency) as currency,
        sum(case when kind = 'invoice' then documents else 0 end) as invoices,
        sum(case when kind = 'invoice' then total_micros else 0 end) as billed,
        sum(case when kind = 'credit_note' then total_micros else 0 end) as credit_notes,
        sum(net_micros) as net, sum(tax_micros) as tax, 0 as collected
      from report_invoice_daily
      where ${ofTenant('tenant_id', scope)} and ${inDays('day', scope)} and ${ofCurrency('currency', scope)}
      group by 1, 2
      union all
      select ${periodOf('day', scope)}, trim(currency), 0, 0, 0, 0, 0,
        sum(received_micros - refunded_micros - charged_back_micros)
      from report_payments_daily
      where ${ofTenant('tenant_id', scope)} and ${inDays('day', scope)} and ${ofCurrency('currency', scope)}
      group by 1, 2
    ) x
    group by period, currency
    order by period, currency`,
};

export const revenueByServiceReport: ReportDefinition = {
  name: 'revenue-by-service',
  title: 'Revenue by service',
  description:
    'Net amounts of finalised invoice and credit note lines by line kind (recurring, usage, one-time, discount...) and service, with their tax.',
  parameters: ['from', 'to', 'currency'],
  columns: [
    { key: 'kind', label: 'Line kind', type: 'text' },
    { key: 'service', label: 'Service', type: 'text' },
    { key: 'currency', label: 'Currency', type: 'text' },
    { key: 'lines', label: 'Lines', type: 'integer' },
    { key: 'amount', label: 'Net amount', type: 'money' },
    { key: 'tax', label: 'Tax', type: 'money' },
  ],
  chart: { kind: 'bar', x: 'service', series: ['amount'] },
  query: (scope) => sql<ReportQueryRow>`
    select line_kind as "kind", nullif(service, '') as "service", trim(currency) as "currency",
      sum(lines)::text as "lines", sum(amount_micros)::text as "amount", sum(tax_micros)::text as "tax"
    from report_revenue_daily
    where ${ofTenant('tenant_id', scope)} and ${inDays('day', scope)} and ${ofCurrency('currency', scope)}
    group by line_kind, service, currency
    having sum(lines) <> 0 or sum(amount_micros) <> 0
    order by currency, sum(amount_micros) desc, line_kind, service`,
};

export const revenueByPlanReport: ReportDefinition = {
  name: 'revenue-by-plan',
  title: 'Revenue by plan',
  description:
    "Net amounts of finalised invoice and credit note lines by the plan they bill (recurring fees, minimum commitments, plan discounts); lines of no plan (usage, one-time charges) are '(no plan)'.",
  parameters: ['from', 'to', 'currency'],
  columns: [
    { key: 'plan', label: 'Plan', type: 'text' },
    { key: 'planName', label: 'Plan name', type: 'text' },
    { key: 'currency', label: 'Currency', type: 'text' },
    { key: 'lines', label: 'Lines', type: 'integer' },
    { key: 'amount', label: 'Net amount', type: 'money' },
    { key: 'tax', label: 'Tax', type: 'money' },
  ],
  chart: { kind: 'bar', x: 'plan', series: ['amount'] },
  query: (scope) => sql<ReportQueryRow>`
    select coalesce(p.code, '(no plan)') as "plan", p.name as "planName", r.currency as "currency",
      r.lines::text as "lines", r.amount::text as "amount", r.tax::text as "tax"
    from (
      select plan_id, trim(currency) as currency, sum(lines) as lines, sum(amount_micros) as amount,
        sum(tax_micros) as tax
      from report_revenue_daily
      where ${ofTenant('tenant_id', scope)} and ${inDays('day', scope)} and ${ofCurrency('currency', scope)}
      group by plan_id, currency
    ) r
    left join plans p on p.id = r.plan_id and r.plan_id <> ${NO_PLAN}::uuid
    where r.lines <> 0 or r.amount <> 0
    order by r.currency, r.amount desc, p.code nulls last`,
};

export const revenueByDestinationReport: ReportDefinition = {
  name: 'revenue-by-destination',
  title: 'Revenue by destination group',
  description:
    "What rated usage cost after allowances, and at list price, per destination group of the tariff (its destination id), for every month the range touches. Usage the rating gave no destination group is '(none)'.",
  parameters: ['from', 'to', 'currency'],
  columns: [
    { key: 'destination', label: 'Destination group', type: 'text' },
    { key: 'currency', label: 'Currency', type: 'text' },
    { key: 'events', label: 'Events', type: 'integer' },
    { key: 'charged', label: 'Charged', type: 'money' },
    { key: 'list', label: 'At list price', type: 'money' },
  ],
  chart: { kind: 'bar', x: 'destination', series: ['charged'] },
  query: (scope) => sql<ReportQueryRow>`
    select coalesce(nullif(destination, ''), '(none)') as "destination", trim(currency) as "currency",
      sum(events)::text as "events", sum(charged_micros)::text as "charged", sum(list_micros)::text as "list"
    from report_usage_destinations
    where ${ofTenant('tenant_id', scope)} and ${inMonths('month', scope)} and ${ofCurrency('currency', scope)}
    group by destination, currency
    having sum(events) <> 0 or sum(charged_micros) <> 0
    order by currency, sum(charged_micros) desc, destination`,
};

export const taxesReport: ReportDefinition = {
  name: 'taxes',
  title: 'Taxes per jurisdiction',
  description:
    "Tax on finalised invoices less credit notes, per tax code and rate, with the net base it was charged on. The jurisdiction is the tax code's first part ('DE' of 'DE-VAT').",
  parameters: ['from', 'to', 'currency'],
  columns: [
    { key: 'jurisdiction', label: 'Jurisdiction', type: 'text' },
    { key: 'code', label: 'Tax code', type: 'text' },
    { key: 'name', label: 'Tax', type: 'text' },
    { key: 'rate', label: 'Rate', type: 'percent' },
    { key: 'currency', label: 'Currency', type: 'text' },
    { key: 'base', label: 'Taxable base', type: 'money' },
    { key: 'tax', label: 'Tax', type: 'money' },
  ],
  chart: { kind: 'bar', x: 'code', series: ['tax'] },
  query: (scope) => sql<ReportQueryRow>`
    select split_part(code, '-', 1) as "jurisdiction", code as "code", name as "name", rate_percent as "rate",
      trim(currency) as "currency", sum(base_micros)::text as "base", sum(tax_micros)::text as "tax"
    from report_tax_daily
    where ${ofTenant('tenant_id', scope)} and ${inDays('day', scope)} and ${ofCurrency('currency', scope)}
    group by code, name, rate_percent, currency
    having sum(lines) <> 0 or sum(tax_micros) <> 0
    order by 1, code, currency, rate_percent`,
};

/**
 * Subscriptions per period: new (started), churned (ended), active at the period's end, MRR
 * (the recurring fees of the active lines' plans normalised to a month: a week's fee x 52/12, a
 * quarter's / 3, a year's / 12) and ARPU (net billed in the period / lines active at its end).
 * A line's fee is its current plan's latest version in the account's currency.
 */
export const subscriptionsReport: ReportDefinition = {
  name: 'subscriptions',
  title: 'Subscriptions, MRR and ARPU',
  description:
    "Per period: lines started (new), lines ended (churned), lines active at the period's end, monthly recurring revenue of the active lines (recurring fees of their current plan normalised to a month) and average revenue per active line (net billed in the period divided by the lines active at its end).",
  parameters: ['from', 'to', 'interval', 'currency'],
  columns: [
    { key: 'period', label: 'Period', type: 'date' },
    { key: 'currency', label: 'Currency', type: 'text' },
    { key: 'new', label: 'New', type: 'integer' },
    { key: 'churned', label: 'Churned', type: 'integer' },
    { key: 'active', label: 'Active at end', type: 'integer' },
    { key: 'mrr', label: 'MRR', type: 'money' },
    { key: 'arpu', label: 'ARPU', type: 'money' },
  ],
  chart: { kind: 'line', x: 'period', series: ['active', 'new', 'churned'] },
  query: (scope) => {
    const interval = scope.interval ?? 'month';
    const step = sql.lit(`1 ${interval}`);
    return sql<ReportQueryRow>`
    with zone as (
      select time_zone from tenants where id = ${scope.tenantId}::uuid
    ), fees as (
      -- A plan's latest version: a handful of rows, joined to the lines by hash.
      select distinct on (v.plan_id) v.plan_id, v.currency, v.recurring_fee_micros, v.prices,
        case v.fee_period when 'week' then 52.0 / 12 when 'quarter' then 1.0 / 3 when 'year' then 1.0 / 12 else 1 end
          as per_month
      from plan_versions v where v.tenant_id = ${scope.tenantId}::uuid
      order by v.plan_id, v.version desc
    ), lines as (
      select trim(a.currency) as currency,
        (s.starts_at at time zone z.time_zone)::date as start_day,
        (s.ends_at at time zone z.time_zone)::date as end_day,
        coalesce(case when f.currency = a.currency then f.recurring_fee_micros
          else (f.prices->trim(a.currency)->>'recurringFeeMicros')::int8 end, 0)::numeric * coalesce(f.per_month, 0)
          as monthly
      from subscriptions s
      cross join zone z
      join accounts a on a.tenant_id = s.tenant_id and a.id = s.account_id
      left join fees f on f.plan_id = s.plan_id
      where s.tenant_id = ${scope.tenantId}::uuid and ${ofCurrency('a.currency', scope)}
    ), changes as (
      select currency, start_day as day, 1 as started, 0 as ended, monthly from lines
      where start_day <= ${scope.to}::date
      union all
      select currency, end_day, 0, 1, -monthly from lines
      where end_day is not null and end_day <= ${scope.to}::date
    ), bucketed as (
      select currency,
        case when day < ${scope.from}::date then null else ${periodOf('day', scope)}::date end as period,
        sum(started) as started, sum(ended) as ended, sum(monthly) as monthly
      from changes group by 1, 2
    ), periods as (
      select p::date as period
      from generate_series(date_trunc(${interval}, ${scope.from}::timestamp), ${scope.to}::timestamp, ${step}::interval) p
    ), filled as (
      select c.currency, p.period, coalesce(b.started, 0) as started, coalesce(b.ended, 0) as ended,
        coalesce(b.monthly, 0) as monthly
      from (select distinct currency from bucketed) c cross join periods p
      left join bucketed b on b.currency = c.currency and b.period = p.period
      union all
      select currency, null, started, ended, monthly from bucketed where period is null
    ), running as (
      select currency, period, started, ended,
        sum(started - ended) over w as active, sum(monthly) over w as mrr
      from filled
      window w as (partition by currency order by period nulls first rows unbounded preceding)
    ), billed as (
      select trim(currency) as currency, ${periodOf('day', scope)}::date as period, sum(net_micros) as net
      from report_invoice_daily
      where tenant_id = ${scope.tenantId}::uuid and ${inDays('day', scope)} and ${ofCurrency('currency', scope)}
      group by 1, 2
    )
    select r.period::text as "period", r.currency as "currency", r.started::text as "new", r.ended::text as "churned",
      r.active::text as "active", round(r.mrr)::int8::text as "mrr",
      case when r.active > 0 then round(coalesce(b.net, 0)::numeric / r.active)::int8::text end as "arpu"
    from running r left join billed b on b.currency = r.currency and b.period = r.period
    where r.period is not null
    order by r.period, r.currency`;
  },
};
