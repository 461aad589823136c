import type { NumberingContext } from '@tollgate/core';
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { SourceProfile } from './formats/source-profile.js';
import type { UsageSourceTable } from './mediation-tables.js';

/** A usage source with its settings read. */
export interface UsageSource {
  readonly id: string;
  readonly name: string;
  readonly profile: SourceProfile;
  /** Null: numbers read in the tenant's numbering context. */
  readonly numbering: NumberingContext | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The source the API's usage events belong to when a request names none. */
export const API_SOURCE_NAME = 'api';

export function usageSourceOf(row: Selectable<UsageSourceTable>): UsageSource {
  return {
    id: row.id,
    name: row.name,
    profile: parsed(row.profile) as SourceProfile,
    numbering: row.numbering === null ? null : (parsed(row.numbering) as NumberingContext),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** jsonb comes back parsed from PGlite and pg; as text from some setups. */
function parsed(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

export async function findUsageSource(
  db: Kysely<Database>,
  tenantId: string,
  name: string,
): Promise<UsageSource | undefined> {
  const row = await db
    .selectFrom('usage_sources')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row === undefined ? undefined : usageSourceOf(row);
}

export async function findUsageSourceById(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
): Promise<UsageSource | undefined> {
  const row = await db
    .selectFrom('usage_sources')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : usageSourceOf(row);
}

export async function listUsageSources(db: Kysely<Database>, tenantId: string): Promise<UsageSource[]> {
  const rows = await db
    .selectFrom('usage_sources')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('name')
    .execute();
  return rows.map(usageSourceOf);
}
