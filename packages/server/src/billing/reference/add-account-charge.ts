import { parseMoney } from '@tollgate/core';
import type { Kysely } from 'kysely';
import { findAccount } from '../../accounts/account-store.js';
import { findSubscription } from '../../accounts/subscription-store.js';
import { type Actor, recordAuditEntry } from '../../audit/record-audit-entry.js';
import type { Database } from '../../db/database-schema.js';
import type { AccountCharge, AddAccountChargeBody } from './account-charge-schemas.js';
import { toAccountCharge } from './account-charge-store.js';
import {
  type BillingReferenceFailure,
  conflict,
  invalid,
  notFound,
  unprocessable,
} from './billing-reference-failure.js';

export type AddAccountChargeResult =
  | { readonly ok: true; readonly charge: AccountCharge }
  | BillingReferenceFailure;

/** The tax category of a charge that names none. */
export const DEFAULT_CHARGE_TAX_CATEGORY = 'one_time';

/**
 * Adds a one-time charge (equipment, installation) or credit (goodwill, negative) to an account,
 * in its currency, for its next invoice to take. Until an invoice takes it, it may be removed.
 */
export async function addAccountCharge(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  accountId: string,
  input: AddAccountChargeBody,
  now: Date,
): Promise<AddAccountChargeResult> {
  return db.transaction().execute(async (trx): Promise<AddAccountChargeResult> => {
    // A share lock: the account cannot close while the charge is being added.
    const account = await findAccount(trx, tenantId, accountId, 'share');
    if (account === undefined) return notFound(`no account ${accountId}`);
    if (account.status === 'closed')
      return conflict(`account ${account.account_number} is closed: it takes no new charges`);
    const amount = parseMoney(input.amount, account.currency);
    if (!amount.ok) return invalid('/amount', amount.error.message);
    if (amount.value.amountMicros === 0n)
      return invalid('/amount', 'a charge of zero changes nothing: it must be above or below 0');
    if (input.subscriptionId !== undefined) {
      const line = await findSubscription(trx, tenantId, input.subscriptionId);
      if (line === undefined || line.account_id !== accountId)
        return unprocessable(
          '/subscriptionId',
          `account ${accountId} has no subscription ${input.subscriptionId}`,
        );
    }
    const row = await trx
      .insertInto('account_charges')
      .values({
        tenant_id: tenantId,
        account_id: accountId,
        subscription_id: input.subscriptionId ?? null,
        code: input.code,
        description: input.description,
        amount_micros: amount.value.amountMicros,
        currency: account.currency,
        tax_category: input.taxCategory ?? DEFAULT_CHARGE_TAX_CATEGORY,
        charged_at: input.chargedAt === undefined ? now : new Date(input.chargedAt),
        invoice_id: null,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const charge = toAccountCharge(row);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'account_charge.added',
      objectType: 'account_charge',
      objectId: charge.id,
      before: null,
      after: charge,
      occurredAt: now,
    });
    return { ok: true, charge };
  });
}
