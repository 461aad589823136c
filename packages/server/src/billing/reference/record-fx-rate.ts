import { dayOfIsoDate, isCurrencyCode, parseDecimal } from '@tollgate/core';
import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../../audit/record-audit-entry.js';
import type { Database } from '../../db/database-schema.js';
import { type BillingReferenceFailure, conflict, invalid } from './billing-reference-failure.js';
import type { FxRate, RecordFxRateBody } from './fx-rate-schemas.js';
import { findFxRateOfDay, toFxRate } from './fx-rate-store.js';
import { shortestDecimal } from './shortest-decimal.js';

/** `created` is false when the same rate was recorded before: a retried import is not an error. */
export type RecordFxRateResult =
  | { readonly ok: true; readonly created: boolean; readonly rate: FxRate }
  | BillingReferenceFailure;

/**
 * Records a pair's exchange rate for one day. A day's rate never changes once recorded: invoices
 * converted with it must stay reproducible. Recording the same rate and source again answers
 * with the stored one, so feeding the same file twice is harmless; a different one is refused.
 */
export async function recordFxRate(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  input: RecordFxRateBody,
  now: Date,
): Promise<RecordFxRateResult> {
  const refused = checkFxRate(input);
  if (refused !== null) return refused;
  const rate = shortestDecimal(input.rate);
  return db.transaction().execute(async (trx): Promise<RecordFxRateResult> => {
    const row = await trx
      .insertInto('fx_rates')
      .values({
        tenant_id: tenantId,
        from_currency: input.from,
        to_currency: input.to,
        rate_date: input.date,
        rate,
        source: input.source,
        created_at: now,
      })
      .onConflict((c) => c.columns(['tenant_id', 'from_currency', 'to_currency', 'rate_date']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row === undefined) return sameOrConflict(trx, tenantId, input, rate);
    const recorded = toFxRate(row);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'fx_rate.recorded',
      objectType: 'fx_rate',
      objectId: recorded.id,
      before: null,
      after: recorded,
      occurredAt: now,
    });
    return { ok: true, created: true, rate: recorded };
  });
}

/** The day's rate is stored already: the same one (both in shortest form) is a replay, another a conflict. */
async function sameOrConflict(
  db: Kysely<Database>,
  tenantId: string,
  input: RecordFxRateBody,
  rate: string,
): Promise<RecordFxRateResult> {
  const stored = await findFxRateOfDay(db, tenantId, input.from, input.to, input.date);
  if (stored === undefined)
    throw new Error('fx rate: the insert conflicted, yet no rate of the day is stored');
  const existing = toFxRate(stored);
  if (existing.rate === rate && existing.source === input.source)
    return { ok: true, created: false, rate: existing };
  const message = `the ${input.from}/${input.to} rate of ${input.date} is recorded already (${existing.rate}, ${existing.source}); a recorded rate does not change`;
  return conflict(message, existing.rate === rate ? '/source' : '/rate');
}

/** The checks that need no database: known currencies, two of them, a real day and a rate above zero. */
function checkFxRate(input: RecordFxRateBody): BillingReferenceFailure | null {
  if (!isCurrencyCode(input.from))
    return invalid('/from', `"${input.from}" is not an ISO 4217 currency code`);
  if (!isCurrencyCode(input.to)) return invalid('/to', `"${input.to}" is not an ISO 4217 currency code`);
  if (input.from === input.to) return invalid('/to', 'a rate converts between two different currencies');
  try {
    dayOfIsoDate(input.date);
  } catch {
    return invalid('/date', `"${input.date}" is not a calendar date`);
  }
  const parsed = parseDecimal(input.rate);
  if (!parsed.ok || parsed.value.coefficient <= 0n) return invalid('/rate', 'a rate must be more than 0');
  return null;
}
