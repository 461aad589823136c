import type { Kysely } from 'kysely';
import type { Actor } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { addTariffVersion } from './add-tariff-version.js';
import { createTariff, type TariffVersionInput } from './create-tariff.js';
import type { CatalogIssue } from './prepare-tariff-document.js';
import type { TariffVersion } from './tariff-schemas.js';
import { findTariffByCode } from './tariff-store.js';

export interface PushTariffInput extends TariffVersionInput {
  readonly code: string;
  /** The name of a tariff created by the push; absent: the code. */
  readonly name?: string | undefined;
}

export type PushTariffResult =
  | {
      ok: true;
      tariffId: string;
      created: boolean;
      version: TariffVersion;
      warnings: readonly CatalogIssue[];
    }
  | { ok: false; code: 'invalid_tariff'; issues: readonly CatalogIssue[] };

/**
 * Stores a tariff version under a code: the next version of the tariff with that code, or the
 * first of a new tariff. What `tollgate tariff push` does.
 */
export async function pushTariff(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  input: PushTariffInput,
  now: Date,
): Promise<PushTariffResult> {
  // Two attempts: a tariff created by someone else between the look-up and the insert is found
  // by the second look-up.
  for (let attempt = 0; attempt < 2; attempt++) {
    const existing = await findTariffByCode(db, tenantId, input.code);
    if (existing !== undefined) {
      const added = await addTariffVersion(db, tenantId, actor, existing.id, input, now);
      if (added.ok) return { ...added, tariffId: existing.id, created: false };
      if (added.code === 'invalid_tariff') return added;
      continue;
    }
    const created = await createTariff(
      db,
      tenantId,
      actor,
      { ...input, name: input.name ?? input.code },
      now,
    );
    if (created.ok) {
      const version = created.tariff.versions[0];
      if (version === undefined) throw new Error('a created tariff has its first version');
      return { ok: true, tariffId: created.tariff.id, created: true, version, warnings: created.warnings };
    }
    if (created.code === 'invalid_tariff') return created;
  }
  throw new Error(`tariff ${input.code} was neither found nor created`);
}
