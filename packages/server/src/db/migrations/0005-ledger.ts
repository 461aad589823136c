import { type Kysely, sql } from 'kysely';

/**
 * Balances, the ledger and online charging.
 *
 * - balance_buckets: an account's money and allowances. `balance` is the cached sum of the
 *   bucket's ledger entries; `reserved` the sum of its pending reservations.
 * - ledger_transactions / ledger_entries: every balance movement, append-only; each transaction's
 *   entries sum to zero per unit. Entries without a bucket are the tenant's books (revenue,
 *   top-ups, expiry, ...), which keep no cached balance, so no charge waits on a shared row.
 * - reservations: pending holds on buckets (two-phase transfers); each resolves once.
 * - charging_sessions / charging_requests: credit-control sessions and the first answer to each
 *   request number, which a retry gets back.
 * - line_spending_caps, vouchers, auto_recharge_rules: limits and ways to top up.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table balance_buckets (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      account_id uuid not null,
      subscription_id uuid,
      kind text not null check (kind in ('money', 'allowance')),
      unit text not null check (unit ~ '^[A-Z]{3}$' or unit in ('seconds', 'bytes', 'messages', 'units')),
      service text check (length(service) between 1 and 64),
      is_main boolean not null default false,
      priority int4 not null default 100,
      label text check (length(label) <= 200),
      valid_from timestamptz(3) not null,
      valid_to timestamptz(3),
      balance int8 not null default 0,
      reserved int8 not null default 0 check (reserved >= 0),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      constraint balance_buckets_account foreign key (tenant_id, account_id) references accounts (tenant_id, id),
      constraint balance_buckets_line foreign key (tenant_id, account_id, subscription_id)
        references subscriptions (tenant_id, account_id, id),
      constraint balance_buckets_period check (valid_to is null or valid_to > valid_from),
      constraint balance_buckets_main_is_money check (not is_main or (kind = 'money' and subscription_id is null)),
      constraint balance_buckets_tenant_id unique (tenant_id, id)
    )`.execute(db);
  await sql`create unique index balance_buckets_one_main on balance_buckets (tenant_id, account_id) where is_main`.execute(
    db,
  );
  await sql`create index balance_buckets_account on balance_buckets (tenant_id, account_id)`.execute(db);
  await sql`create index balance_buckets_lapsing on balance_buckets (valid_to) where valid_to is not null and balance <> 0`.execute(
    db,
  );
  // Every existing account gets its main money bucket; create-account adds it for new ones.
  await sql`
    insert into balance_buckets (tenant_id, account_id, kind, unit, is_main, priority, label, valid_from)
    select tenant_id, id, 'money', currency, true, 1000, 'Main balance', created_at from accounts`.execute(
    db,
  );

  await sql`
    create table ledger_transactions (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      account_id uuid not null,
      kind text not null check (kind in ('topup', 'voucher', 'adjustment', 'grant', 'charge', 'refund', 'expiry', 'reversal', 'auto_recharge')),
      reverses_id uuid unique references ledger_transactions(id),
      reference text check (length(reference) <= 256),
      description text check (length(description) <= 500),
      created_at timestamptz(3) not null default now(),
      constraint ledger_transactions_account foreign key (tenant_id, account_id) references accounts (tenant_id, id)
    )`.execute(db);
  await sql`create index ledger_transactions_account on ledger_transactions (tenant_id, account_id, created_at, id)`.execute(
    db,
  );

  await sql`
    create table ledger_entries (
      id bigserial primary key,
      tenant_id uuid not null references tenants(id),
      account_id uuid not null,
      transaction_id uuid not null references ledger_transactions(id),
      bucket_id uuid references balance_buckets(id),
      book text not null check (book in ('account', 'usage', 'topup', 'voucher', 'adjustment', 'refund', 'expiry', 'allowance')),
      unit text not null,
      amount int8 not null check (amount <> 0),
      created_at timestamptz(3) not null default now(),
      constraint ledger_entries_book_bucket check ((book = 'account') = (bucket_id is not null))
    )`.execute(db);
  await sql`create index ledger_entries_transaction on ledger_entries (transaction_id)`.execute(db);
  await sql`create index ledger_entries_bucket on ledger_entries (bucket_id, id) where bucket_id is not null`.execute(
    db,
  );
  await sql`create index ledger_entries_account on ledger_entries (tenant_id, account_id, id)`.execute(db);

  // Append-only, as the audit log: corrections are reversals, never edits.
  await sql`
    create function ledger_append_only() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only', tg_table_name;
    end $$`.execute(db);
  for (const table of ['ledger_transactions', 'ledger_entries']) {
    await sql`
      create trigger ${sql.raw(`${table}_no_update`)} before update or delete on ${sql.table(table)}
      for each row execute function ledger_append_only()`.execute(db);
  }

  await sql`
    create table charging_sessions (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      account_id uuid not null,
      subscription_id uuid not null,
      session_key text not null check (length(session_key) between 1 and 256),
      kind text not null check (kind in ('session', 'event')),
      status text not null check (status in ('open', 'terminated', 'expired')),
      rating jsonb not null,
      services jsonb not null,
      last_request_number int4 not null,
      charged_micros int8 not null default 0,
      unpaid_micros int8 not null default 0,
      started_at timestamptz(3) not null,
      updated_at timestamptz(3) not null,
      ended_at timestamptz(3),
      constraint charging_sessions_key unique (tenant_id, session_key),
      constraint charging_sessions_line foreign key (tenant_id, account_id, subscription_id)
        references subscriptions (tenant_id, account_id, id)
    )`.execute(db);
  await sql`create index charging_sessions_account on charging_sessions (tenant_id, account_id, started_at)`.execute(
    db,
  );

  await sql`
    create table charging_requests (
      tenant_id uuid not null references tenants(id),
      session_key text not null,
      request_number int4 not null check (request_number >= 0),
      answer jsonb not null,
      created_at timestamptz(3) not null default now(),
      primary key (tenant_id, session_key, request_number)
    )`.execute(db);

  await sql`
    create table reservations (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      account_id uuid not null,
      bucket_id uuid not null references balance_buckets(id),
      session_id uuid not null references charging_sessions(id),
      rating_group int8 not null,
      amount int8 not null check (amount > 0),
      status text not null check (status in ('pending', 'committed', 'released', 'expired')),
      committed_amount int8 check (committed_amount >= 0 and committed_amount <= amount),
      expires_at timestamptz(3) not null,
      created_at timestamptz(3) not null,
      resolved_at timestamptz(3),
      constraint reservations_resolved check ((status = 'pending') = (resolved_at is null))
    )`.execute(db);
  await sql`create index reservations_pending_session on reservations (session_id) where status = 'pending'`.execute(
    db,
  );
  await sql`create index reservations_pending_expiry on reservations (expires_at) where status = 'pending'`.execute(
    db,
  );
  await sql`create index reservations_pending_bucket on reservations (bucket_id) where status = 'pending'`.execute(
    db,
  );

  await sql`
    create table line_spending_caps (
      tenant_id uuid not null references tenants(id),
      account_id uuid not null,
      subscription_id uuid not null,
      limit_micros int8 not null check (limit_micros >= 0),
      period text not null check (period in ('day', 'month')),
      period_start timestamptz(3) not null,
      spent_micros int8 not null default 0 check (spent_micros >= 0),
      reserved_micros int8 not null default 0 check (reserved_micros >= 0),
      updated_at timestamptz(3) not null default now(),
      primary key (tenant_id, subscription_id),
      constraint line_spending_caps_line foreign key (tenant_id, account_id, subscription_id)
        references subscriptions (tenant_id, account_id, id)
    )`.execute(db);

  await sql`
    create table voucher_batches (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      name text not null check (length(name) between 1 and 200),
      currency char(3) not null,
      amount_micros int8 not null check (amount_micros > 0),
      voucher_count int4 not null check (voucher_count between 1 and 100000),
      expires_at timestamptz(3) not null,
      created_at timestamptz(3) not null default now()
    )`.execute(db);
  await sql`
    create table vouchers (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      batch_id uuid not null references voucher_batches(id),
      serial int4 not null,
      code_hash char(64) not null,
      status text not null check (status in ('active', 'redeemed', 'void')),
      redeemed_at timestamptz(3),
      account_id uuid,
      transaction_id uuid references ledger_transactions(id),
      constraint vouchers_code unique (tenant_id, code_hash),
      constraint vouchers_serial unique (batch_id, serial)
    )`.execute(db);

  await sql`
    create table auto_recharge_rules (
      tenant_id uuid not null references tenants(id),
      account_id uuid not null,
      threshold_micros int8 not null check (threshold_micros >= 0),
      amount_micros int8 not null check (amount_micros > 0),
      enabled boolean not null default true,
      updated_at timestamptz(3) not null default now(),
      primary key (tenant_id, account_id),
      constraint auto_recharge_rules_account foreign key (tenant_id, account_id) references accounts (tenant_id, id)
    )`.execute(db);
  await sql`
    create table auto_recharge_attempts (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      account_id uuid not null,
      amount_micros int8 not null,
      status text not null check (status in ('succeeded', 'declined', 'failed')),
      payment_reference text,
      message text,
      transaction_id uuid references ledger_transactions(id),
      created_at timestamptz(3) not null default now()
    )`.execute(db);
  await sql`create index auto_recharge_attempts_account on auto_recharge_attempts (tenant_id, account_id, created_at)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'auto_recharge_attempts',
    'auto_recharge_rules',
    'vouchers',
    'voucher_batches',
    'line_spending_caps',
    'reservations',
    'charging_requests',
    'charging_sessions',
    'ledger_entries',
    'ledger_transactions',
    'balance_buckets',
  ]) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
  await sql`drop function if exists ledger_append_only()`.execute(db);
}
