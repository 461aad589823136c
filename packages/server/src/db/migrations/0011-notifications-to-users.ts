import { type Kysely, sql } from 'kysely';

/**
 * Messages to portal users. A password reset goes to a user's own address, and a staff user has
 * no customer: the message log's customer becomes optional and the user it was addressed to is
 * kept beside it. Every message still has someone it was for: a customer, a user, or both (a
 * customer user).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table notifications
      alter column customer_id drop not null,
      add column user_id uuid references users(id),
      add constraint notifications_addressee check (customer_id is not null or user_id is not null)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Messages to staff users have no customer to keep them under.
  await sql`delete from notifications where customer_id is null`.execute(db);
  await sql`
    alter table notifications
      drop constraint notifications_addressee,
      drop column user_id,
      alter column customer_id set not null`.execute(db);
}
