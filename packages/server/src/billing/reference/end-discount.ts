import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../../audit/record-audit-entry.js';
import type { Database } from '../../db/database-schema.js';
import { type BillingReferenceFailure, notFound } from './billing-reference-failure.js';
import type { Discount } from './discount-schemas.js';
import { findDiscount, toDiscount } from './discount-store.js';

export type EndDiscountResult = { readonly ok: true; readonly discount: Discount } | BillingReferenceFailure;

/**
 * Ends a discount now: invoices already issued keep what it took off (they refer to it, so the
 * row stays), later ones no longer apply it. A discount that has not started yet ends at its
 * start, so it never applies; one already ended is left as it is.
 */
export async function endDiscount(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  accountId: string,
  discountId: string,
  now: Date,
): Promise<EndDiscountResult> {
  return db.transaction().execute(async (trx): Promise<EndDiscountResult> => {
    const current = await findDiscount(trx, tenantId, accountId, discountId, true);
    if (current === undefined) return notFound(`account ${accountId} has no discount ${discountId}`);
    if (current.ends_at !== null && current.ends_at.getTime() <= now.getTime())
      return { ok: true, discount: toDiscount(current) };
    const endsAt = current.starts_at.getTime() > now.getTime() ? current.starts_at : now;
    const row = await trx
      .updateTable('discounts')
      .set({ ends_at: endsAt })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', discountId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const discount = toDiscount(row);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'discount.ended',
      objectType: 'discount',
      objectId: discountId,
      before: toDiscount(current),
      after: discount,
      occurredAt: now,
    });
    return { ok: true, discount };
  });
}
