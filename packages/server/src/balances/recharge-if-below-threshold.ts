import { randomUUID } from 'node:crypto';
import { creditEntries } from '@tollgate/core';
import type { Kysely, Transaction } from 'kysely';
import { recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { findMainBucket } from './balance-store.js';
import { availableAbove, bucketFloor } from './bucket-floor.js';
import type { PaymentCollector, PaymentOutcome } from './payment-collector.js';
import { postLedgerTransaction } from './post-ledger-transaction.js';

export type RechargeOutcome =
  | { readonly status: 'recharged'; readonly transactionId: string; readonly amountMicros: bigint }
  /** No enabled rule, a closed account, or the balance is not below the threshold. */
  | { readonly status: 'not_needed' }
  /** A recharge succeeded, or one failed, a moment ago: this dip is already being handled. */
  | { readonly status: 'skipped'; readonly reason: 'recent_success' | 'recent_failure' }
  | { readonly status: 'failed'; readonly code: string; readonly message: string };

/** A second call for the same dip, just after a recharge, must not collect again. */
export const RECENT_SUCCESS_MS = 10_000;
/** A declined or failed collection is not retried on every charge: at most once a minute. */
export const RETRY_AFTER_FAILURE_MS = 60_000;

const SYSTEM = { type: 'system', id: 'auto-recharge' } as const;

/**
 * Tops the account up from its payment method when its main bucket's available balance is below
 * the rule's threshold. The charging engine calls it after a commit that lowered a balance, and
 * may call it many times at once: the rule's row lock serialises the callers, and each re-reads
 * the balance and the last attempt after taking it, so one dip is recharged once. The payment is
 * collected while the lock is held, on purpose: a second collection must wait for the first to
 * be known. Every collection tried is recorded as an attempt, with the topup on success.
 */
export async function rechargeIfBelowThreshold(
  db: Kysely<Database>,
  collector: PaymentCollector,
  request: { readonly tenantId: string; readonly accountId: string; readonly now: Date },
): Promise<RechargeOutcome> {
  const { tenantId, accountId, now } = request;
  return db.transaction().execute(async (trx): Promise<RechargeOutcome> => {
    const rule = await trx
      .selectFrom('auto_recharge_rules')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('account_id', '=', accountId)
      .forUpdate()
      .executeTakeFirst();
    if (rule === undefined || !rule.enabled) return { status: 'not_needed' };
    const account = await trx
      .selectFrom('accounts')
      .select(['kind', 'credit_limit_micros', 'currency', 'status'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow();
    if (account.status === 'closed') return { status: 'not_needed' };
    const main = await findMainBucket(trx, tenantId, accountId);
    const available = availableAbove(main.balance, main.reserved, bucketFloor(main, account));
    if (available === null || available >= rule.threshold_micros) return { status: 'not_needed' };
    const recent = await recentAttempt(trx, tenantId, accountId, now);
    if (recent !== null) return { status: 'skipped', reason: recent };

    const attemptId = randomUUID();
    const payment = await collect(collector, {
      tenantId,
      accountId,
      amountMicros: rule.amount_micros,
      currency: account.currency,
      idempotencyKey: attemptId,
    });
    if (!payment.ok) {
      await trx
        .insertInto('auto_recharge_attempts')
        .values({
          id: attemptId,
          tenant_id: tenantId,
          account_id: accountId,
          amount_micros: rule.amount_micros,
          status: payment.code === 'declined' ? 'declined' : 'failed',
          payment_reference: null,
          message: `${payment.code}: ${payment.message}`,
          transaction_id: null,
          created_at: now,
        })
        .execute();
      return { status: 'failed', code: payment.code, message: payment.message };
    }
    const posted = await postLedgerTransaction(trx, {
      tenantId,
      accountId,
      kind: 'auto_recharge',
      reference: payment.reference,
      description: 'auto-recharge',
      entries: creditEntries(main.id, account.currency, rule.amount_micros, 'topup'),
      now,
    });
    if (!posted.ok) throw new Error('a credit cannot be refused');
    await trx
      .insertInto('auto_recharge_attempts')
      .values({
        id: attemptId,
        tenant_id: tenantId,
        account_id: accountId,
        amount_micros: rule.amount_micros,
        status: 'succeeded',
        payment_reference: payment.reference,
        message: null,
        transaction_id: posted.transactionId,
        created_at: now,
      })
      .execute();
    await recordAuditEntry(trx, {
      tenantId,
      actor: SYSTEM,
      action: 'ledger.auto_recharge',
      objectType: 'ledger_transaction',
      objectId: posted.transactionId,
      before: null,
      after: { accountId, amountMicros: rule.amount_micros, paymentReference: payment.reference, attemptId },
      occurredAt: now,
    });
    return { status: 'recharged', transactionId: posted.transactionId, amountMicros: rule.amount_micros };
  });
}

async function recentAttempt(
  trx: Transaction<Database>,
  tenantId: string,
  accountId: string,
  now: Date,
): Promise<'recent_success' | 'recent_failure' | null> {
  const last = await trx
    .selectFrom('auto_recharge_attempts')
    .select(['status', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (last === undefined) return null;
  const ageMs = now.getTime() - last.created_at.getTime();
  if (last.status === 'succeeded') return ageMs < RECENT_SUCCESS_MS ? 'recent_success' : null;
  return ageMs < RETRY_AFTER_FAILURE_MS ? 'recent_failure' : null;
}

/** A gateway that throws is an unavailable one: the attempt is recorded, the caller carries on. */
async function collect(
  collector: PaymentCollector,
  request: Parameters<PaymentCollector['collect']>[0],
): Promise<PaymentOutcome> {
  try {
    return await collector.collect(request);
  } catch (error) {
    return {
      ok: false,
      code: 'unavailable',
      message: error instanceof Error ? error.message : String(error),
    };
  }
}
