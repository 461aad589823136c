import { type Kysely, sql } from 'kysely';

/**
 * Tariffs and plans, each with immutable versions. Versions reference their parent by
 * (id, tenant_id), so the database itself keeps a version, and a plan's tariff, within one tenant.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tariffs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('currency', 'char(3)', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('tariffs_tenant_code', ['tenant_id', 'code'])
    .addUniqueConstraint('tariffs_id_tenant', ['id', 'tenant_id'])
    .execute();
  await db.schema
    .createIndex('tariffs_tenant_created')
    .on('tariffs')
    .columns(['tenant_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('tariff_versions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull())
    .addColumn('tariff_id', 'uuid', (c) => c.notNull())
    .addColumn('version', 'int4', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('document', 'jsonb', (c) => c.notNull())
    .addColumn('document_sha256', 'char(64)', (c) => c.notNull())
    .addColumn('summary', 'jsonb', (c) => c.notNull())
    .addColumn('source_format', 'text', (c) => c.notNull().check(sql`source_format in ('native', 'cgrates')`))
    .addColumn('activates_at', 'timestamptz(3)', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('tariff_versions_tariff_version', ['tariff_id', 'version'])
    .addForeignKeyConstraint('tariff_versions_tariff', ['tariff_id', 'tenant_id'], 'tariffs', [
      'id',
      'tenant_id',
    ])
    .execute();

  await db.schema
    .createTable('plans')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('base', 'addon')`))
    .addColumn('created_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('plans_tenant_code', ['tenant_id', 'code'])
    .addUniqueConstraint('plans_id_tenant', ['id', 'tenant_id'])
    .execute();
  await db.schema
    .createIndex('plans_tenant_created')
    .on('plans')
    .columns(['tenant_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('plan_versions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull())
    .addColumn('plan_id', 'uuid', (c) => c.notNull())
    .addColumn('version', 'int4', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('effective_from', 'timestamptz(3)', (c) => c.notNull())
    .addColumn('recurring_fee_micros', 'int8', (c) => c.notNull().check(sql`recurring_fee_micros >= 0`))
    .addColumn('currency', 'char(3)', (c) => c.notNull())
    .addColumn('fee_period', 'text', (c) =>
      c.notNull().check(sql`fee_period in ('week', 'month', 'quarter', 'year')`),
    )
    .addColumn('one_time_fees', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('allowances', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('tariff_id', 'uuid')
    .addColumn('rating_subject', 'text', (c) => c.notNull().defaultTo('*any'))
    .addColumn('created_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('plan_versions_plan_version', ['plan_id', 'version'])
    .addForeignKeyConstraint('plan_versions_plan', ['plan_id', 'tenant_id'], 'plans', ['id', 'tenant_id'])
    .addForeignKeyConstraint('plan_versions_tariff', ['tariff_id', 'tenant_id'], 'tariffs', [
      'id',
      'tenant_id',
    ])
    .execute();

  // Versions are history: once stored, the database refuses to change or delete them.
  await sql`
    create function catalog_version_immutable() returns trigger language plpgsql as $$
    begin
      raise exception '% rows are immutable', tg_table_name;
    end $$`.execute(db);
  for (const table of ['tariff_versions', 'plan_versions']) {
    await sql`
      create trigger ${sql.raw(`${table}_immutable`)} before update or delete on ${sql.table(table)}
      for each row execute function catalog_version_immutable()`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['plan_versions', 'plans', 'tariff_versions', 'tariffs']) {
    await db.schema.dropTable(table).execute();
  }
  await sql`drop function if exists catalog_version_immutable()`.execute(db);
}
