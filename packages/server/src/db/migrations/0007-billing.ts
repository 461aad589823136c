import { type Kysely, sql } from 'kysely';

/**
 * Billing: cycles, invoices, credit notes, taxes, exchange rates, discounts and bill runs.
 *
 * - accounts gain the unit of their bill cycle (week, month, quarter, year) and the month a
 *   quarterly or yearly cycle is anchored on; customers an address and a tax id for invoices.
 * - plan_versions gain prices in other currencies, a minimum commitment and a tax category.
 * - billing_profiles: per tenant, the seller's legal details, logo, invoice template, tax settings
 *   (inclusive or exclusive prices, rounding per line or per invoice) and document series.
 * - tax_rules: effective-dated versions of the taxes per jurisdiction and service category.
 * - fx_rates: dated exchange rates with their source.
 * - account_charges: one-time charges waiting for the next invoice (equipment, installation).
 * - discounts: percentage or fixed, on the invoice, a plan, a service or a line, for a bounded
 *   number of invoices.
 * - billing_states: per account, the first day not yet invoiced and when its cycle is due.
 * - invoices / invoice_lines: invoices and credit notes; finalised ones never change (triggers),
 *   numbers are gapless per tenant and series (document_counters, incremented in the finalising
 *   transaction).
 * - invoiced_usage: which invoice took each rated record; a record is invoiced once (primary key).
 * - allowance_grants: the plan allowances granted to each line per cycle, with rolled-over units.
 * - receipts: one numbered receipt per top-up of a prepaid balance.
 * - bill_runs / bill_run_accounts: runs over the accounts due, with each account's outcome.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table accounts
      add column bill_cycle_unit text not null default 'month'
        check (bill_cycle_unit in ('week', 'month', 'quarter', 'year')),
      add column bill_cycle_month int2 not null default 1 check (bill_cycle_month between 1 and 12),
      add column itemised_invoices boolean not null default false,
      add constraint accounts_week_anchor check (bill_cycle_unit <> 'week' or bill_cycle_day between 1 and 7)`.execute(
    db,
  );
  await sql`
    alter table customers
      add column address jsonb not null default '[]'::jsonb,
      add column tax_id text check (length(tax_id) <= 50)`.execute(db);
  await sql`
    alter table plan_versions
      add column prices jsonb not null default '{}'::jsonb,
      add column minimum_commitment_micros int8 check (minimum_commitment_micros >= 0),
      add column tax_category text not null default 'recurring'`.execute(db);

  await sql`
    create table billing_profiles (
      tenant_id uuid primary key references tenants(id),
      legal_name text,
      address jsonb not null default '[]'::jsonb,
      tax_id text,
      registration text,
      email text,
      website text,
      bank_details text,
      logo_media_type text check (logo_media_type in ('image/png', 'image/jpeg')),
      logo_base64 text check (length(logo_base64) <= 700000),
      template jsonb not null default '{}'::jsonb,
      notes jsonb not null default '[]'::jsonb,
      prices_include_tax boolean not null default false,
      tax_rounding text not null default 'line' check (tax_rounding in ('line', 'invoice')),
      invoice_series text not null default 'INV' check (invoice_series ~ '^[A-Z0-9-]{1,16}$'),
      credit_note_series text not null default 'CN' check (credit_note_series ~ '^[A-Z0-9-]{1,16}$'),
      updated_at timestamptz(3) not null default now()
    )`.execute(db);

  // One row per tenant and series, incremented inside the finalising transaction: a rollback
  // gives the number back, so numbers have neither gaps nor duplicates.
  await sql`
    create table document_counters (
      tenant_id uuid not null references tenants(id),
      series text not null,
      last_value int8 not null check (last_value > 0),
      primary key (tenant_id, series)
    )`.execute(db);

  await sql`
    create table tax_rules (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      jurisdiction text not null check (jurisdiction ~ '^[A-Z0-9]{2,10}(-[A-Z0-9]{1,20}){0,3}$'),
      category text not null check (category ~ '^([*]|[a-z][a-z0-9_-]{0,39})$'),
      version int4 not null check (version >= 1),
      effective_from timestamptz(3) not null,
      effective_to timestamptz(3),
      components jsonb not null,
      created_at timestamptz(3) not null default now(),
      constraint tax_rules_version unique (tenant_id, jurisdiction, category, version),
      constraint tax_rules_period check (effective_to is null or effective_to > effective_from)
    )`.execute(db);
  await sql`
    create trigger tax_rules_immutable before update or delete on tax_rules
    for each row execute function catalog_version_immutable()`.execute(db);

  await sql`
    create table fx_rates (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      from_currency char(3) not null,
      to_currency char(3) not null,
      -- ISO dates as text (YYYY-MM-DD): both drivers would turn a date into a Date at local midnight.
      rate_date text not null check (rate_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      rate numeric(24, 12) not null check (rate > 0),
      source text not null check (length(source) between 1 and 200),
      created_at timestamptz(3) not null default now(),
      constraint fx_rates_day unique (tenant_id, from_currency, to_currency, rate_date),
      constraint fx_rates_pair check (from_currency <> to_currency)
    )`.execute(db);

  await sql`
    create table account_charges (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null,
      account_id uuid not null,
      subscription_id uuid,
      code text not null check (length(code) between 1 and 100),
      description text not null check (length(description) between 1 and 500),
      amount_micros int8 not null,
      currency char(3) not null,
      tax_category text not null,
      charged_at timestamptz(3) not null,
      invoice_id uuid,
      created_at timestamptz(3) not null default now(),
      constraint account_charges_account foreign key (tenant_id, account_id) references accounts (tenant_id, id)
    )`.execute(db);
  await sql`create index account_charges_open on account_charges (tenant_id, account_id) where invoice_id is null`.execute(
    db,
  );

  await sql`
    create table discounts (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null,
      account_id uuid not null,
      name text not null check (length(name) between 1 and 200),
      kind text not null check (kind in ('percent', 'fixed')),
      percent numeric(9, 6) check (percent > 0 and percent <= 100),
      amount_micros int8 check (amount_micros > 0),
      currency char(3),
      target text not null check (target in ('invoice', 'plan', 'service', 'subscription')),
      target_id text,
      cycles int4 check (cycles > 0),
      starts_at timestamptz(3) not null,
      ends_at timestamptz(3),
      created_at timestamptz(3) not null default now(),
      constraint discounts_account foreign key (tenant_id, account_id) references accounts (tenant_id, id),
      constraint discounts_value check ((kind = 'percent') = (percent is not null) and (kind = 'fixed') = (amount_micros is not null and currency is not null)),
      constraint discounts_target check ((target = 'invoice') = (target_id is null))
    )`.execute(db);
  await sql`create index discounts_account on discounts (tenant_id, account_id)`.execute(db);

  await sql`
    create table billing_states (
      tenant_id uuid not null,
      account_id uuid not null,
      -- The first local day (days since 1970-01-01 in the account's zone) not yet invoiced.
      next_from_day int4 not null,
      -- When the cycle holding next_from_day ends: the account is due from then.
      due_at timestamptz(3) not null,
      updated_at timestamptz(3) not null default now(),
      primary key (tenant_id, account_id),
      constraint billing_states_account foreign key (tenant_id, account_id) references accounts (tenant_id, id)
    )`.execute(db);
  await sql`create index billing_states_due on billing_states (tenant_id, due_at)`.execute(db);

  await sql`
    create table invoices (
      id uuid primary key,
      tenant_id uuid not null references tenants(id),
      account_id uuid not null,
      kind text not null check (kind in ('invoice', 'credit_note')),
      status text not null check (status in ('draft', 'finalized', 'paid', 'void')),
      series text not null,
      sequence int8 check (sequence > 0),
      number text,
      currency char(3) not null,
      language text not null,
      period_from_day int4,
      period_to_day int4,
      advance_to_day int4,
      net_micros int8 not null,
      tax_micros int8 not null,
      total_micros int8 not null,
      credited_micros int8 not null default 0 check (credited_micros >= 0),
      credits_invoice_id uuid references invoices(id),
      reason text check (length(reason) <= 1000),
      bill_run_id uuid,
      document jsonb not null,
      issued_on text check (issued_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      due_on text check (due_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      created_at timestamptz(3) not null default now(),
      finalized_at timestamptz(3),
      paid_at timestamptz(3),
      voided_at timestamptz(3),
      void_reason text check (length(void_reason) <= 1000),
      constraint invoices_account foreign key (tenant_id, account_id) references accounts (tenant_id, id),
      constraint invoices_number unique (tenant_id, series, sequence),
      constraint invoices_numbered check ((status = 'draft') = (sequence is null) and (sequence is null) = (number is null)),
      constraint invoices_credit_note check ((kind = 'credit_note') = (credits_invoice_id is not null)),
      constraint invoices_period check (kind = 'credit_note' or period_from_day < period_to_day)
    )`.execute(db);
  // One invoice per account and period, whatever runs at once: a second bill run, a retried job.
  await sql`create unique index invoices_account_period on invoices (tenant_id, account_id, period_from_day) where kind = 'invoice' and status <> 'void'`.execute(
    db,
  );
  await sql`create index invoices_tenant_created on invoices (tenant_id, created_at, id)`.execute(db);
  await sql`create index invoices_account_created on invoices (tenant_id, account_id, created_at)`.execute(
    db,
  );
  await sql`create index invoices_credits on invoices (credits_invoice_id) where credits_invoice_id is not null`.execute(
    db,
  );
  // A finalised invoice is a legal document: only its payment and voiding may be recorded, and
  // the amount its credit notes have taken back.
  await sql`
    create function invoices_immutable() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        if old.status <> 'draft' then raise exception 'invoice % is finalized: it cannot be deleted', old.id; end if;
        return old;
      end if;
      if old.status <> 'draft' and (
        new.document is distinct from old.document or new.total_micros <> old.total_micros
        or new.net_micros <> old.net_micros or new.tax_micros <> old.tax_micros
        or new.sequence is distinct from old.sequence or new.number is distinct from old.number
        or new.account_id <> old.account_id or new.currency <> old.currency
        or new.issued_on is distinct from old.issued_on or new.due_on is distinct from old.due_on
        or (old.status = 'void' and new.status <> 'void')
        or (new.status = 'draft')
      ) then
        raise exception 'invoice % is finalized: it cannot change', old.id;
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger invoices_no_change before update or delete on invoices
    for each row execute function invoices_immutable()`.execute(db);

  await sql`
    create table invoice_lines (
      id int8 generated by default as identity primary key,
      tenant_id uuid not null,
      account_id uuid not null,
      -- Checked at commit: a bill run writes the lines first and the invoice last, so the series'
      -- counter is locked for as short a time as possible.
      invoice_id uuid not null references invoices(id) on delete cascade deferrable initially deferred,
      position int4 not null,
      kind text not null check (kind in ('recurring', 'recurring_credit', 'one_time', 'usage', 'late_usage', 'discount', 'minimum_commitment', 'adjustment')),
      label text not null,
      service text,
      tax_category text not null,
      subscription_id uuid,
      plan_id uuid,
      plan_version_id uuid,
      discount_id uuid,
      charge_id uuid,
      -- Recurring lines: the fee window and the days charged (local days, half-open).
      window_from_day int4,
      window_to_day int4,
      from_day int4,
      to_day int4,
      fee_micros int8,
      quantity int8,
      unit text,
      allowance_units int8,
      -- What the line is, for the next bill to find: a usage line's key, which its records carry in
      -- invoiced_usage; a plan's one-time fee as fee:<subscription>:<code>.
      line_key text,
      amount_micros int8 not null,
      tax_micros int8 not null,
      taxes jsonb not null,
      constraint invoice_lines_position unique (invoice_id, position)
    )`.execute(db);
  // What the next bill of an account reads: its recurring fees and one-time fees billed so far.
  await sql`create index invoice_lines_account on invoice_lines (tenant_id, account_id, kind)`.execute(db);
  await sql`create index invoice_lines_discount on invoice_lines (discount_id) where discount_id is not null`.execute(
    db,
  );
  await sql`
    create function invoice_lines_immutable() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' then raise exception 'invoice lines never change'; end if;
      if exists (select 1 from invoices i where i.id = old.invoice_id and i.status <> 'draft') then
        raise exception 'invoice % is finalized: its lines cannot be deleted', old.invoice_id;
      end if;
      return old;
    end $$`.execute(db);
  await sql`
    create trigger invoice_lines_no_change before update or delete on invoice_lines
    for each row execute function invoice_lines_immutable()`.execute(db);

  await sql`
    create table invoiced_usage (
      rated_usage_id int8 primary key,
      tenant_id uuid not null,
      account_id uuid not null,
      -- No foreign key: a bill run claims thousands of records per transaction, in the transaction
      -- that writes their invoice, and voiding or deleting an invoice releases its claims itself;
      -- a key would check every claim once more at commit.
      invoice_id uuid not null,
      usage_key text not null
    )`.execute(db);
  await sql`create index invoiced_usage_invoice on invoiced_usage (invoice_id, usage_key)`.execute(db);

  // The allowances of a line's plans, granted once per bill cycle: the primary key makes a grant
  // happen once whoever asks (a bill run, the hourly renewal, a retry). `carried` holds the units
  // rolled over from earlier cycles, by age, so they lapse after the plan's rollover cycles.
  await sql`
    create table allowance_grants (
      tenant_id uuid not null,
      account_id uuid not null,
      subscription_id uuid not null,
      plan_id uuid not null,
      allowance_key text not null,
      cycle_from_day int4 not null,
      cycle_to_day int4 not null,
      bucket_id uuid not null,
      unit text not null,
      fresh_units int8 not null check (fresh_units >= 0),
      carried jsonb not null default '[]'::jsonb,
      created_at timestamptz(3) not null default now(),
      primary key (tenant_id, subscription_id, plan_id, allowance_key, cycle_from_day)
    )`.execute(db);

  // Receipts for top-ups of prepaid balances: one per ledger transaction, numbered gaplessly.
  await sql`
    create table receipts (
      ledger_transaction_id uuid primary key,
      tenant_id uuid not null references tenants(id),
      account_id uuid not null,
      series text not null,
      sequence int8 not null check (sequence > 0),
      number text not null,
      document jsonb not null,
      created_at timestamptz(3) not null default now(),
      constraint receipts_number unique (tenant_id, series, sequence)
    )`.execute(db);

  await sql`
    create table bill_runs (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      as_of timestamptz(3) not null,
      dry_run boolean not null,
      finalize boolean not null,
      status text not null check (status in ('running', 'done')),
      accounts_total int4 not null default 0,
      actor_type text not null,
      actor_id text not null,
      created_at timestamptz(3) not null default now(),
      finished_at timestamptz(3)
    )`.execute(db);
  await sql`create index bill_runs_tenant_created on bill_runs (tenant_id, created_at, id)`.execute(db);
  await sql`
    create table bill_run_accounts (
      bill_run_id uuid not null references bill_runs(id),
      account_id uuid not null,
      tenant_id uuid not null,
      status text not null check (status in ('pending', 'invoiced', 'skipped', 'parked')),
      reason text check (length(reason) <= 2000),
      invoice_id uuid,
      preview jsonb,
      attempts int4 not null default 0,
      updated_at timestamptz(3) not null default now(),
      primary key (bill_run_id, account_id)
    )`.execute(db);
  await sql`create index bill_run_accounts_status on bill_run_accounts (bill_run_id, status)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'bill_run_accounts',
    'bill_runs',
    'receipts',
    'allowance_grants',
    'invoiced_usage',
    'invoice_lines',
    'invoices',
    'billing_states',
    'discounts',
    'account_charges',
    'fx_rates',
    'tax_rules',
    'document_counters',
    'billing_profiles',
  ]) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
  await sql`drop function if exists invoices_immutable()`.execute(db);
  await sql`drop function if exists invoice_lines_immutable()`.execute(db);
  await sql`alter table plan_versions drop column prices, drop column minimum_commitment_micros, drop column tax_category`.execute(
    db,
  );
  await sql`alter table customers drop column address, drop column tax_id`.execute(db);
  await sql`alter table accounts drop constraint accounts_week_anchor, drop column bill_cycle_unit, drop column bill_cycle_month, drop column itemised_invoices`.execute(
    db,
  );
}
