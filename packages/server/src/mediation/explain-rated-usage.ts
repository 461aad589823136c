import { explainRating, type RatingExplanation, rateUsage } from '@tollgate/core';
import type { Kysely, Selectable } from 'kysely';
import { type CompiledTariffCache, compiledTariffCache } from '../catalog/compiled-tariff-cache.js';
import { readTariffDocument } from '../catalog/tariff-store.js';
import type { Database } from '../db/database-schema.js';
import type { RatedUsageTable } from './mediation-tables.js';
import { quantityOf, type StoredExplanation } from './price-recorded-usage.js';

export interface RatedUsageExplained {
  readonly row: Selectable<RatedUsageTable>;
  /** The rating rerun from the stored request and tariff version; null when it no longer rates. */
  readonly explanation: RatingExplanation | null;
  /** The rerun gives the stored list price: the record is explained by its rate. */
  readonly reproduced: boolean;
}

/**
 * One rated record with its full explanation. Records keep only what finds their rate (prefix,
 * destination, bands, rates, allowances): the rating is a pure function of the request and the
 * immutable tariff version, so the full explanation is computed again on demand, and checked
 * against the stored price.
 */
export async function explainRatedUsage(
  db: Kysely<Database>,
  tenantId: string,
  id: bigint,
  tariffs: CompiledTariffCache = compiledTariffCache,
): Promise<RatedUsageExplained | undefined> {
  const row = await db
    .selectFrom('rated_usage')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const stored = (
    typeof row.explanation === 'string' ? JSON.parse(row.explanation) : row.explanation
  ) as StoredExplanation;
  const tariff = await tariffs.get(row.tariff_version_id, () =>
    readTariffDocument(db, row.tariff_version_id),
  );
  const units = BigInt(row.units);
  const rated = rateUsage(tariff, {
    tenant: stored.ratingTenant,
    category: row.service,
    subject: stored.subject,
    destination: row.destination,
    answerTimeMs: row.started_at.getTime(),
    usage: quantityOf(row.unit, Number(units < 0n ? -units : units)),
  });
  if (!rated.ok) return { row, explanation: null, reproduced: false };
  const listMicros = BigInt(row.list_micros);
  const reproduced = rated.value.cost.amountMicros === (listMicros < 0n ? -listMicros : listMicros);
  return { row, explanation: explainRating(rated.value), reproduced };
}
