import { type Kysely, sql } from 'kysely';

/**
 * Summary tables the reports read, kept by triggers as usage is rated and invoices and payments
 * are recorded (docs/decisions/0019-report-summaries.md).
 *
 * Every summary table is a log of deltas: a trigger only appends rows (folded = false), so the
 * writers of rated usage (mediation, POST /v1/usage, rerating, online charging from several
 * processes at once) never wait on one another's row locks and never deadlock. Reports sum the
 * rows of a key whatever their state; reports/fold-report-summaries.ts folds the pending deltas
 * of a key into one folded row, one folder at a time (an advisory lock).
 *
 * Days, hours and weekdays are local to the tenant's time zone (tenants.time_zone). A key
 * without a plan carries the nil uuid, a usage record without a destination group an empty
 * text, so every key column is non-null and compares with `=`.
 *
 * - report_usage_daily: rated usage per local day, service, source, plan, currency and unit.
 * - report_usage_hourly: per month, ISO weekday (1 = Monday) and hour of the day (peak times).
 * - report_usage_destinations: per month, service and destination group (the tariff's
 *   destination id of the rating explanation).
 * - report_invoice_daily: finalised invoices and credit notes per issue day (credit notes are
 *   negative; a voided invoice is taken back on its issue day).
 * - report_revenue_daily: their lines per line kind, service and plan.
 * - report_tax_daily: their taxes per tax code and rate, with the taxed base.
 * - report_payments_daily: payments succeeded, refunds and chargebacks completed, per local day.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table report_usage_daily (
      tenant_id uuid not null,
      day date not null,
      service text not null,
      source_id uuid not null,
      plan_id uuid not null,
      currency char(3) not null,
      unit text not null,
      events int8 not null,
      units int8 not null,
      charged_micros int8 not null,
      list_micros int8 not null,
      folded boolean not null default false
    )`.execute(db);
  await sql`create index report_usage_daily_key on report_usage_daily (tenant_id, day, service, source_id, plan_id, currency, unit)`.execute(
    db,
  );

  await sql`
    create table report_usage_hourly (
      tenant_id uuid not null,
      month date not null,
      weekday int2 not null check (weekday between 1 and 7),
      hour int2 not null check (hour between 0 and 23),
      service text not null,
      currency char(3) not null,
      unit text not null,
      events int8 not null,
      units int8 not null,
      charged_micros int8 not null,
      folded boolean not null default false
    )`.execute(db);
  await sql`create index report_usage_hourly_key on report_usage_hourly (tenant_id, month, weekday, hour, service, currency, unit)`.execute(
    db,
  );

  await sql`
    create table report_usage_destinations (
      tenant_id uuid not null,
      month date not null,
      service text not null,
      destination text not null,
      currency char(3) not null,
      unit text not null,
      events int8 not null,
      units int8 not null,
      charged_micros int8 not null,
      list_micros int8 not null,
      folded boolean not null default false
    )`.execute(db);
  await sql`create index report_usage_destinations_key on report_usage_destinations (tenant_id, month, service, destination, currency, unit)`.execute(
    db,
  );

  await sql`
    create table report_invoice_daily (
      tenant_id uuid not null,
      day date not null,
      currency char(3) not null,
      kind text not null,
      documents int8 not null,
      net_micros int8 not null,
      tax_micros int8 not null,
      total_micros int8 not null,
      folded boolean not null default false
    )`.execute(db);
  await sql`create index report_invoice_daily_key on report_invoice_daily (tenant_id, day, currency, kind)`.execute(
    db,
  );

  await sql`
    create table report_revenue_daily (
      tenant_id uuid not null,
      day date not null,
      currency char(3) not null,
      kind text not null,
      line_kind text not null,
      service text not null,
      plan_id uuid not null,
      lines int8 not null,
      amount_micros int8 not null,
      tax_micros int8 not null,
      folded boolean not null default false
    )`.execute(db);
  await sql`create index report_revenue_daily_key on report_revenue_daily (tenant_id, day, currency, kind, line_kind, service, plan_id)`.execute(
    db,
  );

  await sql`
    create table report_tax_daily (
      tenant_id uuid not null,
      day date not null,
      currency char(3) not null,
      code text not null,
      name text not null,
      rate_percent text not null,
      lines int8 not null,
      base_micros int8 not null,
      tax_micros int8 not null,
      folded boolean not null default false
    )`.execute(db);
  await sql`create index report_tax_daily_key on report_tax_daily (tenant_id, day, currency, code, name, rate_percent)`.execute(
    db,
  );

  await sql`
    create table report_payments_daily (
      tenant_id uuid not null,
      day date not null,
      currency char(3) not null,
      source text not null,
      payments int8 not null,
      received_micros int8 not null,
      refunded_micros int8 not null,
      charged_back_micros int8 not null,
      folded boolean not null default false
    )`.execute(db);
  await sql`create index report_payments_daily_key on report_payments_daily (tenant_id, day, currency, source)`.execute(
    db,
  );

  await createUsageTrigger(db);
  await createInvoiceTrigger(db);
  await createPaymentTriggers(db);
  await backfill(db);
}

/**
 * One statement per inserted batch: the transition table is read once, joined to the tenant
 * (its zone) and the line (its plan), and each summary gets one row per key of the batch.
 * Reversals are stored negated (units and money), so they are summed as they are and count -1
 * event: a rerated record counts once.
 */
async function createUsageTrigger(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function report_usage_summarise() returns trigger language plpgsql as $$
    begin
      with n as materialized (
        select r.tenant_id, r.started_at at time zone t.time_zone as local_at, r.service, r.source_id,
          coalesce(s.plan_id, '00000000-0000-0000-0000-000000000000'::uuid) as plan_id,
          r.currency, r.unit, coalesce(r.explanation->>'destinationId', '') as destination,
          case when r.entry = 'reversal' then -1 else 1 end as events,
          r.units, r.charged_micros, r.list_micros
        from inserted r
        join tenants t on t.id = r.tenant_id
        left join subscriptions s on s.id = r.subscription_id
      ), daily as (
        insert into report_usage_daily (tenant_id, day, service, source_id, plan_id, currency, unit, events, units,
          charged_micros, list_micros)
        select tenant_id, local_at::date, service, source_id, plan_id, currency, unit, sum(events), sum(units),
          sum(charged_micros), sum(list_micros)
        from n group by 1, 2, 3, 4, 5, 6, 7
      ), hourly as (
        insert into report_usage_hourly (tenant_id, month, weekday, hour, service, currency, unit, events, units,
          charged_micros)
        select tenant_id, date_trunc('month', local_at)::date, extract(isodow from local_at)::int2,
          extract(hour from local_at)::int2, service, currency, unit, sum(events), sum(units), sum(charged_micros)
        from n group by 1, 2, 3, 4, 5, 6, 7
      )
      insert into report_usage_destinations (tenant_id, month, service, destination, currency, unit, events, units,
        charged_micros, list_micros)
      select tenant_id, date_trunc('month', local_at)::date, service, destination, currency, unit, sum(events),
        sum(units), sum(charged_micros), sum(list_micros)
      from n group by 1, 2, 3, 4, 5, 6;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger rated_usage_report_summaries after insert on rated_usage
    referencing new table as inserted
    for each statement execute function report_usage_summarise()`.execute(db);
}

/**
 * Deferred to commit: a bill run writes an invoice's lines before the invoice, a credit note its
 * lines after it; at commit both are there. An invoice counts when it leaves draft (or is
 * inserted finalised, as credit notes and bill runs do) and is taken back when voided.
 */
async function createInvoiceTrigger(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function report_invoice_summarise() returns trigger language plpgsql as $$
    declare
      sign int8;
      issued date;
    begin
      if tg_op = 'INSERT' then
        if new.status not in ('finalized', 'paid', 'uncollectible') then return null; end if;
        sign := 1;
      elsif old.status = 'draft' and new.status in ('finalized', 'paid', 'uncollectible') then
        sign := 1;
      elsif old.status in ('finalized', 'paid', 'uncollectible') and new.status = 'void' then
        sign := -1;
      else
        return null;
      end if;
      select coalesce(new.issued_on::date, (coalesce(new.finalized_at, now()) at time zone t.time_zone)::date)
        into issued from tenants t where t.id = new.tenant_id;
      insert into report_invoice_daily (tenant_id, day, currency, kind, documents, net_micros, tax_micros, total_micros)
      values (new.tenant_id, issued, new.currency, new.kind, sign, sign * new.net_micros, sign * new.tax_micros,
        sign * new.total_micros);
      insert into report_revenue_daily (tenant_id, day, currency, kind, line_kind, service, plan_id, lines,
        amount_micros, tax_micros)
      select new.tenant_id, issued, new.currency, new.kind, l.kind, coalesce(l.service, ''),
        coalesce(l.plan_id, '00000000-0000-0000-0000-000000000000'::uuid), sign * count(*),
        sign * sum(l.amount_micros), sign * sum(l.tax_micros)
      from invoice_lines l where l.invoice_id = new.id
      group by l.kind, coalesce(l.service, ''), coalesce(l.plan_id, '00000000-0000-0000-0000-000000000000'::uuid);
      insert into report_tax_daily (tenant_id, day, currency, code, name, rate_percent, lines, base_micros, tax_micros)
      select new.tenant_id, issued, new.currency, x->>'code', x->>'name', x->>'ratePercent', sign * count(*),
        sign * sum(l.amount_micros), sign * sum((x->>'amountMicros')::int8)
      from invoice_lines l cross join lateral jsonb_array_elements(l.taxes) x
      where l.invoice_id = new.id
      group by x->>'code', x->>'name', x->>'ratePercent';
      return null;
    end $$`.execute(db);
  await sql`
    create constraint trigger invoices_report_summaries after insert or update of status on invoices
    deferrable initially deferred
    for each row execute function report_invoice_summarise()`.execute(db);
}

/** Money collected: a payment on the day it succeeded, a refund or chargeback on the day it completed. */
async function createPaymentTriggers(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function report_payment_summarise() returns trigger language plpgsql as $$
    declare sign int8;
    begin
      if new.status = 'succeeded' and (tg_op = 'INSERT' or old.status <> 'succeeded') then sign := 1;
      elsif tg_op = 'UPDATE' and old.status = 'succeeded' and new.status <> 'succeeded' then sign := -1;
      else return null;
      end if;
      insert into report_payments_daily (tenant_id, day, currency, source, payments, received_micros,
        refunded_micros, charged_back_micros)
      select new.tenant_id, (coalesce(new.received_at, new.updated_at) at time zone t.time_zone)::date, new.currency,
        new.source, sign, sign * new.amount_micros, 0, 0
      from tenants t where t.id = new.tenant_id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger payments_report_summaries after insert or update of status on payments
    for each row execute function report_payment_summarise()`.execute(db);
  await sql`
    create function report_payment_reversal_summarise() returns trigger language plpgsql as $$
    begin
      if not (new.status = 'succeeded' and (tg_op = 'INSERT' or old.status <> 'succeeded')) then return null; end if;
      insert into report_payments_daily (tenant_id, day, currency, source, payments, received_micros,
        refunded_micros, charged_back_micros)
      select new.tenant_id, (coalesce(new.completed_at, new.created_at) at time zone t.time_zone)::date, p.currency,
        p.source, 0, 0, case when new.kind = 'refund' then new.amount_micros else 0 end,
        case when new.kind = 'chargeback' then new.amount_micros else 0 end
      from payments p join tenants t on t.id = p.tenant_id where p.id = new.payment_id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger payment_reversals_report_summaries after insert or update of status on payment_reversals
    for each row execute function report_payment_reversal_summarise()`.execute(db);
}

/** An upgraded database reports its history: every summary is filled from the rows already there. */
async function backfill(db: Kysely<unknown>): Promise<void> {
  await sql`
    with n as materialized (
      select r.tenant_id, r.started_at at time zone t.time_zone as local_at, r.service, r.source_id,
        coalesce(s.plan_id, '00000000-0000-0000-0000-000000000000'::uuid) as plan_id,
        r.currency, r.unit, coalesce(r.explanation->>'destinationId', '') as destination,
        case when r.entry = 'reversal' then -1 else 1 end as events,
        r.units, r.charged_micros, r.list_micros
      from rated_usage r
      join tenants t on t.id = r.tenant_id
      left join subscriptions s on s.id = r.subscription_id
    ), daily as (
      insert into report_usage_daily (tenant_id, day, service, source_id, plan_id, currency, unit, events, units,
        charged_micros, list_micros, folded)
      select tenant_id, local_at::date, service, source_id, plan_id, currency, unit, sum(events), sum(units),
        sum(charged_micros), sum(list_micros), true
      from n group by 1, 2, 3, 4, 5, 6, 7
    ), hourly as (
      insert into report_usage_hourly (tenant_id, month, weekday, hour, service, currency, unit, events, units,
        charged_micros, folded)
      select tenant_id, date_trunc('month', local_at)::date, extract(isodow from local_at)::int2,
        extract(hour from local_at)::int2, service, currency, unit, sum(events), sum(units), sum(charged_micros), true
      from n group by 1, 2, 3, 4, 5, 6, 7
    )
    insert into report_usage_destinations (tenant_id, month, service, destination, currency, unit, events, units,
      charged_micros, list_micros, folded)
    select tenant_id, date_trunc('month', local_at)::date, service, destination, currency, unit, sum(events),
      sum(units), sum(charged_micros), sum(list_micros), true
    from n group by 1, 2, 3, 4, 5, 6`.execute(db);

  // Invoices voided after finalising were taken back: only those still standing count.
  await sql`
    with i as materialized (
      select i.*, coalesce(i.issued_on::date, (coalesce(i.finalized_at, i.created_at) at time zone t.time_zone)::date) as issued
      from invoices i join tenants t on t.id = i.tenant_id
      where i.status in ('finalized', 'paid', 'uncollectible')
    ), documents as (
      insert into report_invoice_daily (tenant_id, day, currency, kind, documents, net_micros, tax_micros, total_micros, folded)
      select tenant_id, issued, currency, kind, count(*), sum(net_micros), sum(tax_micros), sum(total_micros), true
      from i group by 1, 2, 3, 4
    ), lines as (
      insert into report_revenue_daily (tenant_id, day, currency, kind, line_kind, service, plan_id, lines,
        amount_micros, tax_micros, folded)
      select i.tenant_id, i.issued, i.currency, i.kind, l.kind, coalesce(l.service, ''),
        coalesce(l.plan_id, '00000000-0000-0000-0000-000000000000'::uuid), count(*), sum(l.amount_micros),
        sum(l.tax_micros), true
      from i join invoice_lines l on l.invoice_id = i.id
      group by 1, 2, 3, 4, 5, 6, 7
    )
    insert into report_tax_daily (tenant_id, day, currency, code, name, rate_percent, lines, base_micros, tax_micros, folded)
    select i.tenant_id, i.issued, i.currency, x->>'code', x->>'name', x->>'ratePercent', count(*), sum(l.amount_micros),
      sum((x->>'amountMicros')::int8), true
    from i join invoice_lines l on l.invoice_id = i.id cross join lateral jsonb_array_elements(l.taxes) x
    group by 1, 2, 3, 4, 5, 6`.execute(db);

  await sql`
    insert into report_payments_daily (tenant_id, day, currency, source, payments, received_micros, refunded_micros,
      charged_back_micros, folded)
    select tenant_id, day, currency, source, sum(payments), sum(received), sum(refunded), sum(charged_back), true
    from (
      select p.tenant_id, (coalesce(p.received_at, p.updated_at) at time zone t.time_zone)::date as day, p.currency,
        p.source, 1 as payments, p.amount_micros as received, 0 as refunded, 0 as charged_back
      from payments p join tenants t on t.id = p.tenant_id where p.status = 'succeeded'
      union all
      select r.tenant_id, (coalesce(r.completed_at, r.created_at) at time zone t.time_zone)::date, p.currency, p.source, 0, 0,
        case when r.kind = 'refund' then r.amount_micros else 0 end,
        case when r.kind = 'chargeback' then r.amount_micros else 0 end
      from payment_reversals r join payments p on p.id = r.payment_id join tenants t on t.id = r.tenant_id
      where r.status = 'succeeded'
    ) x
    group by 1, 2, 3, 4`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists rated_usage_report_summaries on rated_usage`.execute(db);
  await sql`drop trigger if exists invoices_report_summaries on invoices`.execute(db);
  await sql`drop trigger if exists payments_report_summaries on payments`.execute(db);
  await sql`drop trigger if exists payment_reversals_report_summaries on payment_reversals`.execute(db);
  for (const fn of [
    'report_usage_summarise',
    'report_invoice_summarise',
    'report_payment_summarise',
    'report_payment_reversal_summarise',
  ])
    await sql`drop function if exists ${sql.raw(fn)}()`.execute(db);
  for (const table of [
    'report_payments_daily',
    'report_tax_daily',
    'report_revenue_daily',
    'report_invoice_daily',
    'report_usage_destinations',
    'report_usage_hourly',
    'report_usage_daily',
  ])
    await sql`drop table ${sql.table(table)}`.execute(db);
}
