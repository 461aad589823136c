import type { NumberingContext } from '@tollgate/core';
import { type Kysely, sql } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { resolveSourceProfile } from './formats/source-profile.js';
import { API_SOURCE_NAME, type UsageSource, usageSourceOf } from './usage-source-store.js';

export interface SaveUsageSourceInput {
  readonly name: string;
  readonly profile: unknown;
  readonly numbering?: NumberingContext | null | undefined;
}

export type SaveUsageSourceResult =
  | { readonly ok: true; readonly source: UsageSource; readonly created: boolean }
  | { readonly ok: false; readonly code: 'invalid_source'; readonly message: string };

const NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/**
 * Creates a usage source, or replaces the settings of the one of that name (files already loaded
 * keep the records they produced; new files read with the new settings). Audited.
 */
export async function saveUsageSource(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  input: SaveUsageSourceInput,
): Promise<SaveUsageSourceResult> {
  if (!NAME_PATTERN.test(input.name))
    return {
      ok: false,
      code: 'invalid_source',
      message: `name "${input.name}": lower-case letters, digits, - and _, at most 63, starting with a letter or digit`,
    };
  const checked = resolveSourceProfile(input.profile);
  if (!checked.ok) return { ok: false, code: 'invalid_source', message: `profile: ${checked.message}` };
  const profileJson = JSON.stringify(checked.profile);
  const numberingJson = input.numbering == null ? null : JSON.stringify(input.numbering);
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('usage_sources')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('name', '=', input.name)
      .forUpdate()
      .executeTakeFirst();
    const row = await trx
      .insertInto('usage_sources')
      .values({ tenant_id: tenantId, name: input.name, profile: profileJson, numbering: numberingJson })
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'name']).doUpdateSet({
          profile: profileJson,
          numbering: numberingJson,
          updated_at: sql<Date>`now()`,
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    const source = usageSourceOf(row);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: before === undefined ? 'usage_source.created' : 'usage_source.updated',
      objectType: 'usage_source',
      objectId: row.id,
      before:
        before === undefined ? null : { profile: usageSourceOf(before).profile, numbering: before.numbering },
      after: { name: source.name, profile: source.profile, numbering: source.numbering },
      occurredAt: row.updated_at,
    });
    return { ok: true, source, created: before === undefined };
  });
}

export type ApiSourceResult =
  | { readonly ok: true; readonly source: UsageSource }
  | { readonly ok: false; readonly code: 'unknown_source'; readonly message: string };

/**
 * The source of the API's usage events: one the tenant defined, or the default `api` source,
 * created on first use as a JSON source in the tenant's numbering context, so a deployment that
 * only posts events needs no setup. Other sources are defined by an admin first.
 */
export async function apiUsageSource(
  db: Kysely<Database>,
  tenantId: string,
  name: string,
  actor: Actor,
): Promise<ApiSourceResult> {
  const row = await db
    .selectFrom('usage_sources')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name)
    .executeTakeFirst();
  if (row !== undefined) return { ok: true, source: usageSourceOf(row) };
  if (name !== API_SOURCE_NAME)
    return {
      ok: false,
      code: 'unknown_source',
      message: `no usage source ${name} (an admin defines it first)`,
    };
  const created = await saveUsageSource(db, tenantId, actor, { name, profile: { format: 'jsonl' } });
  if (!created.ok) throw new Error(`the default usage source was refused: ${created.message}`);
  return created;
}
