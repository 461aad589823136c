import { creditEntries } from '@tollgate/core';
import type { Kysely } from 'kysely';
import { findAccount } from '../accounts/account-store.js';
import { parseMoneyAmount } from '../accounts/money-amount.js';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { LedgerTransactionView } from '../balances/balance-schemas.js';
import { findMainBucket } from '../balances/balance-store.js';
import { readLedgerTransaction } from '../balances/ledger-store.js';
import { postLedgerTransaction } from '../balances/post-ledger-transaction.js';
import type { Database } from '../db/database-schema.js';
import {
  conflict,
  invalid,
  notFound,
  type UseCaseFailure,
  unprocessable,
} from '../outcomes/use-case-failure.js';
import { collectPayment } from './collect-payment.js';
import type { PaymentGateways } from './gateways/payment-gateway.js';
import { lockAccountForPayments } from './lock-account-for-payments.js';
import { findPayment, type PaymentRow } from './payment-store.js';

export interface CardTopUpInput {
  readonly accountId: string;
  /** Exact decimal text in the account's currency ("20.00"). */
  readonly amount: string;
  /** Default: the account's default method. */
  readonly paymentMethodId?: string;
  /** The caller's key: the same key charges and tops up once, however often it is sent. */
  readonly idempotencyKey: string;
}

export type CardTopUpResult =
  /** The card was charged and the balance topped up (`replayed`: by an earlier request with the key). */
  | {
      readonly ok: true;
      readonly status: 'topped_up';
      readonly payment: PaymentRow;
      readonly transaction: LedgerTransactionView;
      readonly replayed: boolean;
    }
  /**
   * The charge's outcome is not known yet (the gateway did not answer, or the card holder must
   * authenticate): nothing is topped up. Asking again with the same key learns the outcome.
   */
  | { readonly ok: true; readonly status: 'waiting'; readonly payment: PaymentRow }
  /** The gateway declined the card: nothing was taken, nothing topped up. */
  | { readonly ok: false; readonly code: 'declined'; readonly payment: PaymentRow; readonly message: string }
  | UseCaseFailure;

/** The payment keys of card top-ups, apart from those of auto-recharge (`auto-recharge:`). */
const KEY_PREFIX = 'card-top-up:';

/** What marks a ledger top-up as the one of a card payment: at most one per payment. */
export function cardTopUpReference(paymentId: string): string {
  return `card-top-up:${paymentId}`;
}

/**
 * Tops up a prepaid balance from a saved payment method: the card is charged through the payment
 * path (collectPayment: a payment row first, under the caller's key, then the gateway, which
 * charges once per payment), and only a succeeded charge credits the main bucket. The payment
 * has purpose 'auto_recharge', the purpose that keeps its money out of invoice credit, since it
 * becomes prepaid balance instead. The credit is posted under the account's payment lock after
 * checking that the payment has none yet, so a repeated or concurrent request tops up once.
 */
export async function cardTopUp(
  db: Kysely<Database>,
  gateways: PaymentGateways,
  tenantId: string,
  actor: Actor,
  input: CardTopUpInput,
  now: Date,
): Promise<CardTopUpResult> {
  const account = await findAccount(db, tenantId, input.accountId);
  if (account === undefined) return notFound(`no account ${input.accountId}`);
  if (account.kind === 'postpaid')
    return unprocessable(
      '/amount',
      `account ${account.account_number} is postpaid: it pays its invoices (payment-collections) rather than topping up`,
    );
  if (account.status === 'closed') return conflict(`account ${account.account_number} is closed`);
  const amount = parseMoneyAmount(input.amount, account.currency.trim());
  if (!amount.ok) return invalid('/amount', amount.message);
  if (amount.micros === 0n) return invalid('/amount', 'a top-up must be more than zero');

  const collected = await collectPayment(
    db,
    gateways,
    tenantId,
    actor,
    {
      accountId: account.id,
      purpose: 'auto_recharge',
      amountMicros: amount.micros,
      ...(input.paymentMethodId === undefined ? {} : { paymentMethodId: input.paymentMethodId }),
      idempotencyKey: `${KEY_PREFIX}${input.idempotencyKey}`,
      description: 'Card top-up',
    },
    now,
  );
  if (!collected.ok) return collected;
  const { payment } = collected;
  if (payment.status === 'failed')
    return {
      ok: false,
      code: 'declined',
      payment,
      message: payment.failure_message ?? payment.failure_code ?? 'the card was declined',
    };
  if (payment.status !== 'succeeded') return { ok: true, status: 'waiting', payment };
  return creditCardTopUp(db, tenantId, actor, payment.id, now);
}

/**
 * Credits the main bucket with a succeeded card top-up payment, once: under the account's
 * payment lock, a top-up already posted for the payment is returned instead of a second one.
 * The lookup walks the account's ledger from the payment's creation on (its index), which the
 * top-up, posted after the payment was written, always falls within.
 */
export async function creditCardTopUp(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  paymentId: string,
  now: Date,
): Promise<CardTopUpResult> {
  return db.transaction().execute(async (trx): Promise<CardTopUpResult> => {
    const unlocked = await findPayment(trx, tenantId, paymentId);
    if (unlocked === undefined) return notFound(`no payment ${paymentId}`);
    const account = await lockAccountForPayments(trx, tenantId, unlocked.account_id);
    if (account === undefined) return notFound(`no account ${unlocked.account_id}`);
    const payment = (await findPayment(trx, tenantId, paymentId)) as PaymentRow;
    if (payment.status !== 'succeeded' || !payment.idempotency_key.startsWith(KEY_PREFIX))
      return conflict(`payment ${paymentId} is not a succeeded card top-up`);
    const reference = cardTopUpReference(payment.id);
    const earlier = await trx
      .selectFrom('ledger_transactions')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('account_id', '=', payment.account_id)
      .where('created_at', '>=', payment.created_at)
      .where('kind', '=', 'topup')
      .where('reference', '=', reference)
      .executeTakeFirst();
    if (earlier !== undefined) {
      const transaction = await readLedgerTransaction(trx, tenantId, earlier.id);
      return { ok: true, status: 'topped_up', payment, transaction: transaction!, replayed: true };
    }
    const main = await findMainBucket(trx, tenantId, payment.account_id);
    const amountMicros = BigInt(payment.amount_micros);
    const posted = await postLedgerTransaction(trx, {
      tenantId,
      accountId: payment.account_id,
      kind: 'topup',
      reference,
      description: 'Card top-up',
      entries: creditEntries(main.id, account.currency, amountMicros, 'topup'),
      // Never before the payment, so the lookup above finds it whatever the clock did meanwhile.
      now: now < payment.created_at ? payment.created_at : now,
    });
    if (!posted.ok) throw new Error('a credit cannot be refused');
    const transaction = (await readLedgerTransaction(trx, tenantId, posted.transactionId))!;
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'ledger.topup',
      objectType: 'ledger_transaction',
      objectId: posted.transactionId,
      before: null,
      after: { ...transaction, method: 'card', paymentId: payment.id },
      occurredAt: now,
    });
    return { ok: true, status: 'topped_up', payment, transaction, replayed: false };
  });
}
