import { type Kysely, sql } from 'kysely';

/**
 * Fraud and anomaly alerts (docs/fraud.md).
 *
 * - fraud_rules: a tenant's settings of each rule kind (enabled, action, notify, parameters); a
 *   kind without a row runs with its documented defaults.
 * - fraud_cases: what a rule found on a line, for staff to review. At most one open case per line
 *   and kind (a unique partial index), so a burst of usage adds occurrences to the open case
 *   instead of opening a case per record. A case with `barred` set bars the line from chargeable
 *   usage while it is open or confirmed; dismissing it lifts the bar.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const kinds = sql.raw(
    "('premium_destination', 'short_call_burst', 'simultaneous_sessions', 'spend_spike', 'unexpected_country')",
  );
  await sql`
    create table fraud_rules (
      tenant_id uuid not null references tenants(id),
      kind text not null check (kind in ${kinds}),
      enabled boolean not null,
      action text not null check (action in ('alert', 'bar')),
      notify boolean not null,
      params jsonb not null,
      updated_at timestamptz(3) not null default now(),
      primary key (tenant_id, kind)
    )`.execute(db);

  await sql`
    create table fraud_cases (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      kind text not null check (kind in ${kinds}),
      status text not null default 'open' check (status in ('open', 'confirmed', 'dismissed')),
      customer_id uuid not null,
      account_id uuid not null,
      subscription_id uuid not null,
      summary text not null check (length(summary) <= 1000),
      evidence jsonb not null,
      occurrences int4 not null default 1 check (occurrences >= 1),
      barred boolean not null default false,
      opened_at timestamptz(3) not null,
      last_seen_at timestamptz(3) not null,
      decided_at timestamptz(3),
      -- The actor who decided, as <type>:<id> (user:..., api_key:..., system:cli).
      decided_by text,
      reason text check (length(reason) <= 2000),
      created_at timestamptz(3) not null default now(),
      constraint fraud_cases_decision check ((status = 'open') = (decided_at is null))
    )`.execute(db);
  // One open case per line and kind: the evaluation adds occurrences to it (ON CONFLICT).
  await sql`create unique index fraud_cases_one_open on fraud_cases (tenant_id, subscription_id, kind) where status = 'open'`.execute(
    db,
  );
  // The latest decision of a line and kind: usage already judged is not judged again.
  await sql`create index fraud_cases_line on fraud_cases (tenant_id, subscription_id, kind, decided_at)`.execute(
    db,
  );
  await sql`create index fraud_cases_list on fraud_cases (tenant_id, created_at, id)`.execute(db);
  await sql`create index fraud_cases_status on fraud_cases (tenant_id, status, created_at, id)`.execute(db);
  // Bars in force, read with the line by online charging and mediation.
  await sql`create index fraud_cases_bars on fraud_cases (tenant_id, subscription_id) where barred and status <> 'dismissed'`.execute(
    db,
  );
  // The open sessions of a line (simultaneous_sessions); sessions are indexed by account only.
  await sql`create index charging_sessions_open_line on charging_sessions (tenant_id, subscription_id) where status = 'open'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists charging_sessions_open_line`.execute(db);
  await sql`drop table if exists fraud_cases`.execute(db);
  await sql`drop table if exists fraud_rules`.execute(db);
}
