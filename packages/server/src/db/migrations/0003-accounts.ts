import { type Kysely, sql } from 'kysely';

/**
 * Billing accounts, their subscriptions (lines), the identifiers of each line, and the dated
 * events of each subscription. Every table carries tenant_id and account_id, and the foreign keys
 * between them include both, so a row can never point into another tenant's or account's data
 * and the tables can later be distributed by account.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id'))
    // The use case checks that the customer is the same tenant's before inserting.
    .addColumn('customer_id', 'uuid', (c) => c.notNull().references('customers.id'))
    .addColumn('account_number', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('prepaid', 'postpaid', 'hybrid')`))
    .addColumn('currency', 'char(3)', (c) => c.notNull().check(sql`currency ~ '^[A-Z]{3}$'`))
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('credit_limit_micros', 'int8', (c) => c.check(sql`credit_limit_micros >= 0`))
    .addColumn('bill_cycle_day', 'int2', (c) => c.notNull().check(sql`bill_cycle_day between 1 and 28`))
    .addColumn('payment_terms_days', 'int2', (c) =>
      c.notNull().check(sql`payment_terms_days between 0 and 365`),
    )
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'suspended', 'closed')`))
    .addColumn('created_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('accounts_tenant_number', ['tenant_id', 'account_number'])
    // The target of the composite foreign keys below.
    .addUniqueConstraint('accounts_tenant_id', ['tenant_id', 'id'])
    // A prepaid account spends its balance; only postpaid and hybrid accounts get credit.
    .addCheckConstraint(
      'accounts_prepaid_without_credit',
      sql`kind <> 'prepaid' or credit_limit_micros is null`,
    )
    .execute();
  await db.schema
    .createIndex('accounts_tenant_created')
    .on('accounts')
    .columns(['tenant_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('accounts_tenant_customer')
    .on('accounts')
    .columns(['tenant_id', 'customer_id', 'created_at'])
    .execute();

  // One row per tenant, incremented by `insert ... on conflict do update ... returning` inside the
  // creating transaction: the row lock orders concurrent creations, and a rolled-back creation
  // rolls its number back, so numbers have no gaps and no duplicates.
  await db.schema
    .createTable('account_number_counters')
    .addColumn('tenant_id', 'uuid', (c) => c.primaryKey().references('tenants.id'))
    .addColumn('last_value', 'int8', (c) => c.notNull().check(sql`last_value > 0`))
    .execute();

  await db.schema
    .createTable('subscriptions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id'))
    .addColumn('account_id', 'uuid', (c) => c.notNull())
    // A plan of the catalog (0002-catalog). Deliberately no foreign key: the reference is checked
    // by the use case once the catalog lands, so this migration does not depend on its tables.
    .addColumn('plan_id', 'uuid')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('active', 'suspended', 'paused', 'terminated')`),
    )
    .addColumn('starts_at', 'timestamptz(3)', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz(3)')
    .addColumn('created_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .addForeignKeyConstraint('subscriptions_account', ['tenant_id', 'account_id'], 'accounts', [
      'tenant_id',
      'id',
    ])
    .addUniqueConstraint('subscriptions_tenant_account_id', ['tenant_id', 'account_id', 'id'])
    .addCheckConstraint('subscriptions_ends_after_start', sql`ends_at is null or ends_at >= starts_at`)
    .execute();
  await db.schema
    .createIndex('subscriptions_tenant_created')
    .on('subscriptions')
    .columns(['tenant_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('subscriptions_tenant_account')
    .on('subscriptions')
    .columns(['tenant_id', 'account_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('subscription_identifiers')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id'))
    .addColumn('account_id', 'uuid', (c) => c.notNull())
    .addColumn('subscription_id', 'uuid', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('msisdn', 'imsi', 'sip_uri', 'username', 'ip', 'radius_user')`),
    )
    .addColumn('value', 'text', (c) => c.notNull().check(sql`length(value) between 1 and 256`))
    .addColumn('valid_from', 'timestamptz(3)', (c) => c.notNull())
    .addColumn('valid_to', 'timestamptz(3)')
    .addColumn('created_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .addForeignKeyConstraint(
      'subscription_identifiers_subscription',
      ['tenant_id', 'account_id', 'subscription_id'],
      'subscriptions',
      ['tenant_id', 'account_id', 'id'],
    )
    // [t, t) is an empty period: an identifier that never took effect (added for a time after
    // its line was terminated).
    .addCheckConstraint('subscription_identifiers_period', sql`valid_to is null or valid_to >= valid_from`)
    .execute();
  // No two lines of a tenant may hold one identifier at overlapping times. The whole rule needs
  // an exclusion constraint over (tenant_id, kind, value, tstzrange) and so the btree_gist
  // extension, which embedded PGlite does not load; the use case enforces it under an advisory
  // lock instead. Two open-ended periods always overlap, so this index is a consequence of the
  // rule that the database itself guards on both drivers: one current holder per identifier.
  await db.schema
    .createIndex('subscription_identifiers_open_unique')
    .on('subscription_identifiers')
    .columns(['tenant_id', 'kind', 'value'])
    .unique()
    .where(sql.ref('valid_to'), 'is', null)
    .execute();
  await db.schema
    .createIndex('subscription_identifiers_lookup')
    .on('subscription_identifiers')
    .columns(['tenant_id', 'kind', 'value', 'valid_from'])
    .execute();
  await db.schema
    .createIndex('subscription_identifiers_subscription')
    .on('subscription_identifiers')
    .columns(['tenant_id', 'subscription_id', 'valid_from'])
    .execute();

  await db.schema
    .createTable('subscription_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id'))
    .addColumn('account_id', 'uuid', (c) => c.notNull())
    .addColumn('subscription_id', 'uuid', (c) => c.notNull())
    .addColumn('sequence', 'int4', (c) => c.notNull().check(sql`sequence > 0`))
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`kind in ('activated', 'plan_changed', 'addon_added', 'addon_removed', 'paused', 'resumed', 'suspended', 'restored', 'terminated')`,
        ),
    )
    .addColumn('effective_at', 'timestamptz(3)', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .addForeignKeyConstraint(
      'subscription_events_subscription',
      ['tenant_id', 'account_id', 'subscription_id'],
      'subscriptions',
      ['tenant_id', 'account_id', 'id'],
    )
    .addUniqueConstraint('subscription_events_sequence', ['tenant_id', 'subscription_id', 'sequence'])
    .execute();
  // Append-only, as the audit log: a correction is a new event, never an edit.
  await sql`
    create function subscription_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'subscription_events is append-only';
    end $$`.execute(db);
  await sql`
    create trigger subscription_events_no_update before update or delete on subscription_events
    for each row execute function subscription_events_append_only()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'subscription_events',
    'subscription_identifiers',
    'subscriptions',
    'account_number_counters',
    'accounts',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await sql`drop function if exists subscription_events_append_only()`.execute(db);
}
