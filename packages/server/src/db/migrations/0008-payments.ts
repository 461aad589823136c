import { type Kysely, sql } from 'kysely';

/**
 * Payments, collections, dunning and webhooks.
 *
 * - customers gain a group (dunning policies are chosen by it); accounts an autopay switch;
 *   invoices the amount paid so far (kept with the allocations, in the same transaction).
 * - payment_methods: gateway tokens with display details only (brand, last four, expiry); never
 *   a card number or security code.
 * - payments: money received (gateway charges, bank transfers, cash, cheques), one per
 *   idempotency key; payment_reversals: refunds and chargebacks; payment_allocations: the
 *   append-only record of which payment paid which invoice (a negative row takes an amount
 *   back). What a payment has not allocated is the account's credit balance.
 * - bank_statement_imports / bank_statement_lines: statements read once per file, each line
 *   matched to an invoice by reference or kept for review.
 * - dunning_policies (per customer group), dunning_cases (one open case per account) and
 *   dunning_steps (each step done once: the unique key makes a second run a no-op).
 * - webhook_endpoints, webhook_events (the outbox, written in the transaction of the change),
 *   webhook_deliveries and their attempts; gateway_events: incoming gateway webhooks, once per id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table customers
      add column customer_group text not null default 'default' check (customer_group ~ '^[a-z][a-z0-9_-]{0,39}$')`.execute(
    db,
  );
  await sql`alter table accounts add column autopay boolean not null default true`.execute(db);
  // An invoice dunning gave up on is 'uncollectible': written off, out of the receivables.
  await sql`
    alter table invoices
      add column paid_micros int8 not null default 0 check (paid_micros >= 0),
      add column written_off_at timestamptz(3),
      drop constraint invoices_status_check,
      add constraint invoices_status_check check (status in ('draft', 'finalized', 'paid', 'void', 'uncollectible'))`.execute(
    db,
  );
  // Unpaid invoices by due date: the dunning sweep and the aging report read them.
  await sql`create index invoices_open_due on invoices (tenant_id, due_on, account_id) where status = 'finalized' and kind = 'invoice'`.execute(
    db,
  );

  await sql`
    create table payment_methods (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      account_id uuid not null,
      gateway text not null check (gateway ~ '^[a-z][a-z0-9_]{0,29}$'),
      gateway_customer text check (length(gateway_customer) <= 255),
      token text not null check (length(token) between 1 and 255),
      kind text not null check (kind in ('card', 'sepa_debit', 'bank_account', 'wallet')),
      brand text check (length(brand) <= 40),
      last4 text check (last4 ~ '^[0-9]{4}$'),
      exp_month int2 check (exp_month between 1 and 12),
      exp_year int2 check (exp_year between 2000 and 2200),
      is_default boolean not null default false,
      status text not null default 'active' check (status in ('active', 'removed')),
      created_at timestamptz(3) not null default now(),
      removed_at timestamptz(3),
      constraint payment_methods_account foreign key (tenant_id, account_id) references accounts (tenant_id, id),
      constraint payment_methods_token unique (tenant_id, gateway, token)
    )`.execute(db);
  await sql`create unique index payment_methods_default on payment_methods (tenant_id, account_id) where is_default and status = 'active'`.execute(
    db,
  );

  await sql`
    create table payments (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      account_id uuid not null,
      source text not null check (source in ('gateway', 'bank_transfer', 'cash', 'cheque', 'other')),
      purpose text not null check (purpose in ('payment', 'autopay', 'dunning_retry', 'auto_recharge')),
      gateway text,
      payment_method_id uuid references payment_methods(id),
      invoice_id uuid references invoices(id),
      amount_micros int8 not null check (amount_micros > 0),
      currency char(3) not null,
      status text not null check (status in ('pending', 'requires_action', 'succeeded', 'failed')),
      failure_code text,
      failure_message text check (length(failure_message) <= 1000),
      gateway_reference text check (length(gateway_reference) <= 255),
      reference text check (length(reference) <= 255),
      note text check (length(note) <= 1000),
      idempotency_key text not null check (length(idempotency_key) between 1 and 255),
      request_hash text not null,
      refunded_micros int8 not null default 0 check (refunded_micros >= 0),
      charged_back_micros int8 not null default 0 check (charged_back_micros >= 0),
      received_at timestamptz(3),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      constraint payments_account foreign key (tenant_id, account_id) references accounts (tenant_id, id),
      constraint payments_idempotency unique (tenant_id, idempotency_key),
      constraint payments_reversed check (refunded_micros + charged_back_micros <= amount_micros),
      constraint payments_gateway check ((source = 'gateway') = (gateway is not null))
    )`.execute(db);
  await sql`create unique index payments_gateway_reference on payments (tenant_id, gateway, gateway_reference) where gateway_reference is not null`.execute(
    db,
  );
  await sql`create index payments_account_created on payments (tenant_id, account_id, created_at, id)`.execute(
    db,
  );
  await sql`create index payments_tenant_created on payments (tenant_id, created_at, id)`.execute(db);

  await sql`
    create table payment_reversals (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      account_id uuid not null,
      payment_id uuid not null references payments(id),
      kind text not null check (kind in ('refund', 'chargeback')),
      amount_micros int8 not null check (amount_micros > 0),
      status text not null check (status in ('pending', 'succeeded', 'failed')),
      gateway_reference text check (length(gateway_reference) <= 255),
      reason text check (length(reason) <= 1000),
      idempotency_key text not null check (length(idempotency_key) between 1 and 255),
      failure_message text check (length(failure_message) <= 1000),
      created_at timestamptz(3) not null default now(),
      completed_at timestamptz(3),
      constraint payment_reversals_idempotency unique (tenant_id, idempotency_key)
    )`.execute(db);
  await sql`create index payment_reversals_payment on payment_reversals (payment_id)`.execute(db);

  await sql`
    create table payment_allocations (
      id int8 generated by default as identity primary key,
      tenant_id uuid not null,
      account_id uuid not null,
      payment_id uuid not null references payments(id),
      invoice_id uuid not null references invoices(id),
      amount_micros int8 not null check (amount_micros <> 0),
      reason text not null check (reason in ('applied', 'refund', 'chargeback', 'credit_note')),
      created_at timestamptz(3) not null default now()
    )`.execute(db);
  await sql`create index payment_allocations_payment on payment_allocations (payment_id)`.execute(db);
  await sql`create index payment_allocations_invoice on payment_allocations (invoice_id)`.execute(db);
  await sql`
    create function payment_allocations_append_only() returns trigger language plpgsql as $$
    begin raise exception 'payment_allocations is append-only: take an amount back with a negative row'; end $$`.execute(
    db,
  );
  await sql`
    create trigger payment_allocations_no_change before update or delete on payment_allocations
    for each row execute function payment_allocations_append_only()`.execute(db);

  await sql`
    create table bank_statement_imports (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      file_name text not null check (length(file_name) between 1 and 255),
      sha256 text not null,
      line_count int4 not null,
      matched_count int4 not null,
      unmatched_count int4 not null,
      imported_at timestamptz(3) not null default now(),
      constraint bank_statement_imports_file unique (tenant_id, sha256)
    )`.execute(db);
  await sql`
    create table bank_statement_lines (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      import_id uuid not null references bank_statement_imports(id),
      line_number int4 not null,
      booked_on text not null check (booked_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      amount_micros int8 not null,
      currency char(3) not null,
      reference text not null default '',
      counterparty text not null default '',
      status text not null check (status in ('matched', 'unmatched', 'ignored')),
      reason text,
      invoice_id uuid references invoices(id),
      payment_id uuid references payments(id),
      created_at timestamptz(3) not null default now(),
      resolved_at timestamptz(3),
      constraint bank_statement_lines_line unique (import_id, line_number)
    )`.execute(db);
  await sql`create index bank_statement_lines_unmatched on bank_statement_lines (tenant_id, created_at) where status = 'unmatched'`.execute(
    db,
  );

  await sql`
    create table dunning_policies (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      customer_group text not null check (customer_group ~ '^[a-z][a-z0-9_-]{0,39}$'),
      name text not null check (length(name) between 1 and 200),
      steps jsonb not null,
      -- Days after the due date before service may be suspended, whatever the steps say.
      grace_days int2 not null default 0 check (grace_days between 0 and 365),
      minimum_overdue_micros int8 not null default 0 check (minimum_overdue_micros >= 0),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      constraint dunning_policies_group unique (tenant_id, customer_group)
    )`.execute(db);
  await sql`
    create table dunning_cases (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      account_id uuid not null,
      policy_id uuid not null references dunning_policies(id),
      -- The due date the policy's days count from: the oldest unpaid invoice when the case opened.
      anchor_due_on text not null check (anchor_due_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      status text not null check (status in ('open', 'resolved', 'written_off')),
      service text not null default 'active' check (service in ('active', 'suspended', 'terminated')),
      steps_done int4 not null default 0,
      opened_at timestamptz(3) not null,
      suspended_at timestamptz(3),
      restored_at timestamptz(3),
      closed_at timestamptz(3),
      constraint dunning_cases_account foreign key (tenant_id, account_id) references accounts (tenant_id, id)
    )`.execute(db);
  await sql`create unique index dunning_cases_open on dunning_cases (tenant_id, account_id) where status = 'open'`.execute(
    db,
  );
  await sql`
    create table dunning_steps (
      id int8 generated by default as identity primary key,
      tenant_id uuid not null,
      account_id uuid not null,
      case_id uuid not null references dunning_cases(id),
      step_index int4 not null,
      action text not null,
      scheduled_on text not null,
      executed_at timestamptz(3) not null,
      outcome jsonb not null default '{}'::jsonb,
      constraint dunning_steps_once unique (case_id, step_index)
    )`.execute(db);

  await sql`
    create table webhook_endpoints (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      url text not null check (url ~ '^https?://' and length(url) <= 2000),
      description text check (length(description) <= 500),
      -- HMAC key for the signatures; kept to sign, shown once when the endpoint is created.
      secret text not null,
      event_types jsonb not null,
      status text not null default 'active' check (status in ('active', 'disabled')),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now()
    )`.execute(db);
  await sql`
    create table webhook_events (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      type text not null check (type ~ '^[a-z_]+[.][a-z_.]+$'),
      data jsonb not null,
      occurred_at timestamptz(3) not null,
      created_at timestamptz(3) not null default now()
    )`.execute(db);
  await sql`create index webhook_events_tenant_created on webhook_events (tenant_id, created_at, id)`.execute(
    db,
  );
  await sql`
    create table webhook_deliveries (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      event_id uuid not null references webhook_events(id),
      endpoint_id uuid not null references webhook_endpoints(id),
      status text not null check (status in ('pending', 'delivered', 'dead')),
      attempts int4 not null default 0,
      next_attempt_at timestamptz(3),
      last_attempt_at timestamptz(3),
      last_status_code int4,
      last_error text,
      delivered_at timestamptz(3),
      created_at timestamptz(3) not null default now(),
      constraint webhook_deliveries_once unique (event_id, endpoint_id)
    )`.execute(db);
  await sql`create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending'`.execute(
    db,
  );
  await sql`create index webhook_deliveries_endpoint on webhook_deliveries (tenant_id, endpoint_id, created_at)`.execute(
    db,
  );
  await sql`
    create table webhook_delivery_attempts (
      id int8 generated by default as identity primary key,
      tenant_id uuid not null,
      delivery_id uuid not null references webhook_deliveries(id),
      attempt int4 not null,
      attempted_at timestamptz(3) not null,
      status_code int4,
      error text,
      duration_ms int4 not null
    )`.execute(db);
  await sql`create index webhook_delivery_attempts_delivery on webhook_delivery_attempts (delivery_id, attempt)`.execute(
    db,
  );

  await sql`
    create table gateway_events (
      gateway text not null,
      event_id text not null check (length(event_id) between 1 and 255),
      tenant_id uuid references tenants(id),
      type text not null,
      payload jsonb not null,
      received_at timestamptz(3) not null,
      outcome text not null,
      primary key (gateway, event_id)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'gateway_events',
    'webhook_delivery_attempts',
    'webhook_deliveries',
    'webhook_events',
    'webhook_endpoints',
    'dunning_steps',
    'dunning_cases',
    'dunning_policies',
    'bank_statement_lines',
    'bank_statement_imports',
    'payment_allocations',
    'payment_reversals',
    'payments',
    'payment_methods',
  ]) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
  await sql`drop function if exists payment_allocations_append_only()`.execute(db);
  await sql`drop index invoices_open_due`.execute(db);
  await sql`
    alter table invoices
      drop constraint invoices_status_check,
      add constraint invoices_status_check check (status in ('draft', 'finalized', 'paid', 'void')),
      drop column paid_micros,
      drop column written_off_at`.execute(db);
  await sql`alter table accounts drop column autopay`.execute(db);
  await sql`alter table customers drop column customer_group`.execute(db);
}
