import { type Kysely, sql } from 'kysely';

/**
 * Customer notes and the indexes the portal and operator console read by.
 *
 * - customer_notes: a support case log per customer, append-only like the audit log (a wrong
 *   note is corrected by a later one, never edited away), with the author as an actor.
 * - audit_log_object: a customer's audit trail reads the entries about the customer, its accounts
 *   and lines by object, newest first; without it each read scans the tenant's whole chain.
 * - customers_tenant_email and invoices_tenant_number: staff search finds a customer by e-mail
 *   and an invoice by its number without scanning the tenant's rows. Names are matched by
 *   substring, which no btree serves (pg_trgm is not loaded on every driver); a tenant's
 *   customers are scanned for those.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table customer_notes (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      -- The use case checks that the customer is the same tenant's before inserting.
      customer_id uuid not null references customers(id),
      body text not null check (length(body) between 1 and 10000),
      author_type text not null,
      author_id text not null,
      created_at timestamptz(3) not null default now()
    )`.execute(db);
  await sql`create index customer_notes_customer on customer_notes (tenant_id, customer_id, created_at, id)`.execute(
    db,
  );
  await sql`
    create function customer_notes_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'customer_notes is append-only: correct a note with a later one';
    end $$`.execute(db);
  await sql`
    create trigger customer_notes_no_change before update or delete on customer_notes
    for each row execute function customer_notes_append_only()`.execute(db);

  await sql`create index audit_log_object on audit_log (tenant_id, object_type, object_id, sequence)`.execute(
    db,
  );
  await sql`create index customers_tenant_email on customers (tenant_id, lower(email)) where email is not null`.execute(
    db,
  );
  await sql`create index invoices_tenant_number on invoices (tenant_id, number) where number is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists invoices_tenant_number`.execute(db);
  await sql`drop index if exists customers_tenant_email`.execute(db);
  await sql`drop index if exists audit_log_object`.execute(db);
  await sql`drop table customer_notes`.execute(db);
  await sql`drop function if exists customer_notes_append_only()`.execute(db);
}
