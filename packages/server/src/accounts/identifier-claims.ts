import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { IdentifierKind } from './account-tables.js';

export interface IdentifierClaim {
  readonly kind: IdentifierKind;
  /** Normalised (normalise-identifier.ts). */
  readonly value: string;
  readonly validFrom: Date;
  /** Null: open-ended. */
  readonly validTo: Date | null;
}

export interface IdentifierHolder {
  readonly subscriptionId: string;
  readonly validFrom: Date;
  readonly validTo: Date | null;
}

/**
 * Serialises every claim on these identifiers within the tenant until the transaction ends, on
 * every node: a transaction-scoped advisory lock per (tenant, kind, value). With the lock held,
 * "look for an overlapping holder, then insert" cannot interleave with another claim on the same
 * identifier. Locks are taken in one order (sorted), so two claims of several identifiers each
 * cannot deadlock. A hash collision between two identifiers only serialises them needlessly.
 */
export async function lockIdentifiers(
  trx: Transaction<Database>,
  tenantId: string,
  claims: readonly Pick<IdentifierClaim, 'kind' | 'value'>[],
): Promise<void> {
  const keys = [...new Set(claims.map((claim) => `${tenantId}\n${claim.kind}\n${claim.value}`))].sort();
  for (const key of keys) {
    await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
  }
}

/**
 * A subscription holding the identifier at some time in [validFrom, validTo), if any. Periods are
 * half-open ranges, so a holder that lets go at t and a claim from t do not overlap.
 */
export async function findHolder(
  trx: Transaction<Database>,
  tenantId: string,
  claim: IdentifierClaim,
): Promise<IdentifierHolder | undefined> {
  const row = await trx
    .selectFrom('subscription_identifiers')
    .select(['subscription_id', 'valid_from', 'valid_to'])
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', claim.kind)
    .where('value', '=', claim.value)
    .where(
      sql<boolean>`tstzrange(valid_from, valid_to) && tstzrange(${claim.validFrom}::timestamptz, ${claim.validTo}::timestamptz)`,
    )
    .orderBy('valid_from')
    .limit(1)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : { subscriptionId: row.subscription_id, validFrom: row.valid_from, validTo: row.valid_to };
}

/** How a refused claim reads: the identifier, its holder, and since when. */
export function describeHolder(
  claim: Pick<IdentifierClaim, 'kind' | 'value'>,
  holder: IdentifierHolder,
): string {
  const until = holder.validTo === null ? '' : ` until ${holder.validTo.toISOString()}`;
  return `${claim.kind} ${claim.value} is held by subscription ${holder.subscriptionId} from ${holder.validFrom.toISOString()}${until}`;
}

/**
 * Whether an error is the database refusing a second open-ended holder of an identifier
 * (subscription_identifiers_open_unique): the last line of defence behind the advisory lock.
 */
export function isIdentifierTaken(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint, message } = error as { code?: unknown; constraint?: unknown; message?: unknown };
  return (
    code === '23505' &&
    (constraint === 'subscription_identifiers_open_unique' ||
      (typeof message === 'string' && message.includes('subscription_identifiers_open_unique')))
  );
}
