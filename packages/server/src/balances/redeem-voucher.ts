import { creditEntries } from '@tollgate/core';
import { type Kysely, sql, type Transaction } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { accountForPosting, isFailure } from './account-for-posting.js';
import type { BalanceFailure } from './balance-failure.js';
import { findMainBucket } from './balance-store.js';
import { readLedgerTransaction } from './ledger-store.js';
import { postLedgerTransaction } from './post-ledger-transaction.js';
import type { LedgerResult } from './top-up-account.js';
import { hashVoucherCode, normaliseVoucherCode } from './voucher-code.js';

/**
 * Redeems a voucher into an account's main bucket, from the tenant's voucher book. The voucher
 * is claimed by one conditional update (active, batch not expired, same currency as the account),
 * so two redemptions of one code can never both succeed; the credit is posted in the same
 * transaction. A code that cannot be redeemed gets one answer with the reason; since codes are
 * hashed with the tenant, another tenant's code is simply unknown here.
 */
export async function redeemVoucher(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  accountId: string,
  code: string,
  now: Date,
): Promise<LedgerResult> {
  return db.transaction().execute(async (trx): Promise<LedgerResult> => {
    const account = await accountForPosting(trx, tenantId, accountId);
    if (isFailure(account)) return account;
    if (normaliseVoucherCode(code) === null) return notRedeemable('it is not a voucher code (16 digits)');
    const codeHash = hashVoucherCode(tenantId, code);
    const claimed = await trx
      .updateTable('vouchers')
      .set({ status: 'redeemed', redeemed_at: now, account_id: accountId })
      .where('tenant_id', '=', tenantId)
      .where('code_hash', '=', codeHash)
      .where('status', '=', 'active')
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('voucher_batches as b')
            .select(sql`1`.as('one'))
            .whereRef('b.id', '=', 'vouchers.batch_id')
            .where('b.expires_at', '>', now)
            .where('b.currency', '=', account.currency),
        ),
      )
      .returning(['id', 'batch_id'])
      .executeTakeFirst();
    if (claimed === undefined) return whyNotRedeemable(trx, tenantId, codeHash, account.currency, now);
    const batch = await trx
      .selectFrom('voucher_batches')
      .select(['amount_micros', 'name'])
      .where('id', '=', claimed.batch_id)
      .executeTakeFirstOrThrow();
    const main = await findMainBucket(trx, tenantId, accountId);
    const posted = await postLedgerTransaction(trx, {
      tenantId,
      accountId,
      kind: 'voucher',
      reference: claimed.id,
      description: `voucher of batch ${batch.name}`,
      entries: creditEntries(main.id, account.currency, batch.amount_micros, 'voucher'),
      now,
    });
    if (!posted.ok) throw new Error('a credit cannot be refused');
    await trx
      .updateTable('vouchers')
      .set({ transaction_id: posted.transactionId })
      .where('id', '=', claimed.id)
      .execute();
    const transaction = (await readLedgerTransaction(trx, tenantId, posted.transactionId))!;
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'voucher.redeemed',
      objectType: 'voucher',
      objectId: claimed.id,
      before: null,
      after: transaction,
      occurredAt: now,
    });
    return { ok: true, transaction };
  });
}

/** Why the claim matched nothing: read after the fact, only to word the answer. */
async function whyNotRedeemable(
  trx: Transaction<Database>,
  tenantId: string,
  codeHash: string,
  currency: string,
  now: Date,
): Promise<BalanceFailure> {
  const voucher = await trx
    .selectFrom('vouchers as v')
    .innerJoin('voucher_batches as b', 'b.id', 'v.batch_id')
    .select(['v.status', 'b.expires_at', 'b.currency'])
    .where('v.tenant_id', '=', tenantId)
    .where('v.code_hash', '=', codeHash)
    .executeTakeFirst();
  if (voucher === undefined) return notRedeemable('no voucher has this code');
  if (voucher.status === 'redeemed') return notRedeemable('the voucher has already been redeemed');
  if (voucher.status === 'void') return notRedeemable('the voucher has been voided');
  if (voucher.expires_at <= now)
    return notRedeemable(`the voucher expired at ${voucher.expires_at.toISOString()}`);
  if (voucher.currency !== currency)
    return notRedeemable(`the voucher is in ${voucher.currency}; the account is in ${currency}`);
  return notRedeemable('the voucher cannot be redeemed');
}

function notRedeemable(reason: string): BalanceFailure {
  return { ok: false, code: 'voucher_not_redeemable', message: `the code cannot be redeemed: ${reason}` };
}
