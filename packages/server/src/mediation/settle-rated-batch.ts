import { randomUUID } from 'node:crypto';
import {
  type BucketHold,
  type BucketState,
  debitEntries,
  type EntryDraft,
  type RecordedSettlement,
  settleRecordedUsage,
  sumHolds,
} from '@tollgate/core';
import type { Settlement } from './mediation-tables.js';
import { type StoredExplanation, storedExplanation } from './price-recorded-usage.js';
import type { RatedDraft, SuspenseDraft } from './rate-source-records.js';

/** A charging session a record may be reconciled with. */
export interface ReconcilableSession {
  readonly id: string;
  readonly subscriptionId: string;
  readonly chargedMicros: bigint;
  readonly unpaidMicros: bigint;
}

export interface SettledUsage {
  readonly draft: RatedDraft;
  readonly listMicros: bigint;
  readonly allowanceUnits: bigint;
  /** What the usage costs after allowances. */
  readonly chargedMicros: bigint;
  /** The part of it taken from balances. */
  readonly debitedMicros: bigint;
  readonly settlement: Settlement;
  readonly ledgerTransactionId: string | null;
  readonly chargingSessionId: string | null;
  readonly explanation: StoredExplanation;
}

export interface LedgerDraft {
  readonly id: string;
  readonly accountId: string;
  readonly entries: EntryDraft[];
}

export interface SettledBatch {
  readonly settled: SettledUsage[];
  /** Records whose price failed once settled: no rate for the destination, another currency. */
  readonly failed: SuspenseDraft[];
  readonly transactions: LedgerDraft[];
  /** The buckets whose balance moved, with their new balance. */
  readonly buckets: { readonly id: string; readonly balance: bigint }[];
}

export interface SettleContext {
  /** Working copies of the buckets of the batch's accounts, by account; lowered as records settle. */
  readonly bucketsByAccount: ReadonlyMap<string, BucketState[]>;
  /** Charging sessions by key, for records that name one; taken as records reconcile with them. */
  readonly sessions: Map<string, ReconcilableSession>;
}

/**
 * Settles a batch of rated drafts in record order: a record an online session already charged is
 * reconciled with it (and the session taken, so a second record of the session charges normally);
 * the rest spend allowances first, then money from a prepaid or hybrid balance (down to its
 * floor, the rest kept as unpaid) or accrue for a postpaid invoice. Every account whose buckets
 * moved gets one ledger transaction for the batch. Pure apart from the bucket copies it lowers.
 */
export function settleRatedBatch(drafts: readonly RatedDraft[], context: SettleContext): SettledBatch {
  const settled: SettledUsage[] = [];
  const failed: SuspenseDraft[] = [];
  const taken = new Map<
    string,
    { currency: string; allowance: Map<string, BucketHold[]>; money: BucketHold[] }
  >();
  for (const draft of drafts) {
    const { record, line } = draft;
    const session =
      record.chargingSessionKey === null ? undefined : context.sessions.get(record.chargingSessionKey);
    if (session !== undefined && session.subscriptionId === line.subscriptionId) {
      context.sessions.delete(record.chargingSessionKey!);
      const list = draft.pricing.price(record.units);
      if (!list.ok) {
        failed.push(priceFailure(draft, list.message));
        continue;
      }
      settled.push({
        draft,
        listMicros: list.micros,
        allowanceUnits: 0n,
        chargedMicros: session.chargedMicros + session.unpaidMicros,
        debitedMicros: session.chargedMicros,
        settlement: 'online',
        ledgerTransactionId: null,
        chargingSessionId: session.id,
        explanation: storedExplanation(draft.pricing.ratedWhole(), []),
      });
      continue;
    }
    const buckets = context.bucketsByAccount.get(line.accountId) ?? [];
    const payment = line.accountKind === 'postpaid' ? 'invoice' : 'balance';
    const outcome = settleRecordedUsage(buckets, {
      scope: {
        subscriptionId: line.subscriptionId,
        service: record.service,
        unit: record.unit,
        currency: line.currency,
        nowMs: record.startedAtMs,
      },
      units: record.units,
      price: draft.pricing.price,
      payment,
    });
    if (!outcome.ok) {
      failed.push(priceFailure(draft, outcome.message));
      continue;
    }
    const { settlement } = outcome;
    const moved = settlement.allowanceTaken.length > 0 || settlement.moneyTaken.length > 0;
    let account = taken.get(line.accountId);
    if (moved && account === undefined) {
      account = { currency: line.currency, allowance: new Map(), money: [] };
      taken.set(line.accountId, account);
    }
    if (moved) {
      for (const hold of settlement.allowanceTaken) {
        const unit = buckets.find((b) => b.id === hold.bucketId)!.unit;
        const list = account!.allowance.get(unit) ?? [];
        list.push(hold);
        account!.allowance.set(unit, list);
      }
      account!.money.push(...settlement.moneyTaken);
    }
    settled.push({
      draft,
      listMicros: settlement.listMicros,
      allowanceUnits: settlement.allowanceUnits,
      chargedMicros: settlement.chargedMicros,
      debitedMicros: settlement.chargedMicros - settlement.unpaidMicros - accruedMicros(payment, settlement),
      settlement: payment === 'balance' ? 'debited' : 'accrued',
      ledgerTransactionId: null,
      chargingSessionId: null,
      explanation: storedExplanation(draft.pricing.ratedWhole(), settlement.allowanceTaken),
    });
  }
  const transactions: LedgerDraft[] = [];
  const transactionOf = new Map<string, string>();
  for (const [accountId, holds] of taken) {
    const entries = [...holds.allowance].flatMap(([unit, list]) => debitEntries(list, unit, 'usage'));
    entries.push(...debitEntries(holds.money, holds.currency, 'usage'));
    if (entries.length === 0) continue;
    const id = randomUUID();
    transactions.push({ id, accountId, entries });
    transactionOf.set(accountId, id);
  }
  const withTransactions = settled.map((usage) =>
    usage.settlement === 'online' || (usage.allowanceUnits === 0n && usage.debitedMicros === 0n)
      ? usage
      : { ...usage, ledgerTransactionId: transactionOf.get(usage.draft.line.accountId) ?? null },
  );
  const buckets: { id: string; balance: bigint }[] = [];
  const movedIds = new Set(transactions.flatMap((t) => t.entries.map((e) => e.bucketId)));
  for (const list of context.bucketsByAccount.values()) {
    for (const bucket of list)
      if (movedIds.has(bucket.id)) buckets.push({ id: bucket.id, balance: bucket.balance });
  }
  return { settled: withTransactions, failed, transactions, buckets };
}

/** For an invoiced account: the money no money allowance paid, left for the invoice. */
function accruedMicros(payment: 'balance' | 'invoice', settlement: RecordedSettlement): bigint {
  if (payment === 'balance') return 0n;
  return settlement.chargedMicros - sumHolds(settlement.moneyTaken);
}

function priceFailure(draft: RatedDraft, message: string): SuspenseDraft {
  return {
    lineNumber: draft.lineNumber,
    raw: draft.raw,
    recordKey: draft.recordKey,
    reason: message.startsWith('currency:') ? 'currency_mismatch' : 'no_rate',
    field: message.startsWith('currency:') ? null : 'destination',
    message: message.slice(0, 2000),
  };
}
