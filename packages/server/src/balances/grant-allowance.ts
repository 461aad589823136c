import { ALLOWANCE_UNITS, creditEntries } from '@tollgate/core';
import type { Kysely } from 'kysely';
import { findSubscription } from '../accounts/subscription-store.js';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { accountForPosting, isFailure } from './account-for-posting.js';
import { type BalanceFailure, invalid, notFound } from './balance-failure.js';
import type { AllowanceBody, BucketView, LedgerTransactionView } from './balance-schemas.js';
import { toBucketView } from './balance-store.js';
import { parseBucketAmount } from './bucket-amount.js';
import { readLedgerTransaction } from './ledger-store.js';
import { postLedgerTransaction } from './post-ledger-transaction.js';

export type GrantAllowanceResult =
  | { readonly ok: true; readonly bucket: BucketView; readonly transaction: LedgerTransactionView }
  | BalanceFailure;

/**
 * Grants an allowance by hand (a bundle, a goodwill gesture): a new bucket of units or of money
 * in the account currency, optionally for one service or line and a period, filled by a grant
 * transaction from the tenant's allowance book. The bucket starts empty; only the ledger fills it.
 */
export async function grantAllowance(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  accountId: string,
  input: AllowanceBody,
  now: Date,
): Promise<GrantAllowanceResult> {
  return db.transaction().execute(async (trx): Promise<GrantAllowanceResult> => {
    const account = await accountForPosting(trx, tenantId, accountId);
    if (isFailure(account)) return account;
    const refused = checkFields(input, account.currency, now);
    if (refused !== null) return refused;
    const amount = parseBucketAmount(input.amount, input.unit);
    if (!amount.ok) return invalid('/amount', amount.message);
    if (amount.amount === 0n) return invalid('/amount', 'an allowance must be more than zero');
    if (input.subscriptionId !== undefined) {
      const line = await findSubscription(trx, tenantId, input.subscriptionId);
      if (line === undefined || line.account_id !== accountId)
        return notFound(`account ${account.account_number} has no subscription ${input.subscriptionId}`);
    }
    const bucket = await trx
      .insertInto('balance_buckets')
      .values({
        tenant_id: tenantId,
        account_id: accountId,
        subscription_id: input.subscriptionId ?? null,
        kind: 'allowance',
        unit: input.unit,
        service: input.service ?? null,
        ...(input.priority === undefined ? {} : { priority: input.priority }),
        label: input.label ?? null,
        valid_from: input.validFrom === undefined ? now : new Date(input.validFrom),
        valid_to: input.validTo === undefined ? null : new Date(input.validTo),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const posted = await postLedgerTransaction(trx, {
      tenantId,
      accountId,
      kind: 'grant',
      description: input.label ?? null,
      entries: creditEntries(bucket.id, input.unit, amount.amount, 'allowance'),
      now,
    });
    if (!posted.ok) throw new Error('a credit cannot be refused');
    const transaction = (await readLedgerTransaction(trx, tenantId, posted.transactionId))!;
    const view = toBucketView({ ...bucket, balance: amount.amount }, account);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'ledger.allowance_granted',
      objectType: 'balance_bucket',
      objectId: bucket.id,
      before: null,
      after: { bucket: view, transaction },
      occurredAt: now,
    });
    return { ok: true, bucket: view, transaction };
  });
}

function checkFields(input: AllowanceBody, currency: string, now: Date): BalanceFailure | null {
  const units: readonly string[] = ALLOWANCE_UNITS;
  if (!units.includes(input.unit) && input.unit !== currency)
    return invalid('/unit', `an allowance holds ${units.join(', ')} or the account currency ${currency}`);
  const validFrom = input.validFrom === undefined ? now : new Date(input.validFrom);
  if (input.validTo !== undefined && new Date(input.validTo) <= validFrom)
    return invalid('/validTo', 'validTo must be after validFrom');
  return null;
}
