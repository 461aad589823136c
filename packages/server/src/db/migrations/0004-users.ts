import { type Kysely, sql } from 'kysely';

/**
 * Portal users (staff and customers), their sessions and password reset tokens. Secrets are kept
 * only as one-way values: passwords as argon2id, session and reset tokens as SHA-256 (the tokens
 * are 256 random bits, so a fast hash suffices: there is nothing to guess from the digest).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id'))
    .addColumn('email', 'text', (c) => c.notNull().check(sql`email = lower(email)`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('staff', 'customer')`))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'uuid', (c) => c.references('customers.id'))
    .addColumn('failed_logins', 'int4', (c) => c.notNull().defaultTo(0).check(sql`failed_logins >= 0`))
    .addColumn('locked_until', 'timestamptz(3)')
    .addColumn('created_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('users_tenant_email', ['tenant_id', 'email'])
    // A staff user has a staff role and no customer; a customer user has the customer role and a customer.
    .addCheckConstraint(
      'users_kind_role',
      sql`(kind = 'staff' and role in ('admin', 'operator', 'support', 'read-only') and customer_id is null)
        or (kind = 'customer' and role = 'customer' and customer_id is not null)`,
    )
    .execute();
  await db.schema
    .createIndex('users_tenant_created')
    .on('users')
    .columns(['tenant_id', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('users_customer').on('users').column('customer_id').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'char(64)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz(3)', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz(3)')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id', 'expires_at']).execute();

  await db.schema
    .createTable('password_reset_tokens')
    .addColumn('token_hash', 'char(64)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz(3)', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz(3)')
    .execute();
  await db.schema
    .createIndex('password_reset_tokens_user')
    .on('password_reset_tokens')
    .column('user_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['password_reset_tokens', 'sessions', 'users']) {
    await db.schema.dropTable(table).execute();
  }
}
