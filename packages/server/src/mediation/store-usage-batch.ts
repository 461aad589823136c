import type { BucketState } from '@tollgate/core';
import { type Kysely, sql, type Transaction } from 'kysely';
import { bucketStateOf, LOCKED_BUCKET_COLUMNS, type LockedBucketRow } from '../balances/locked-bucket-row.js';
import { bareArrayLiteral, textArrayLiteral } from '../db/array-literal.js';
import type { Database } from '../db/database-schema.js';
import type { RatedBatch, RatedDraft, SuspenseDraft } from './rate-source-records.js';
import { type ReconcilableSession, type SettledBatch, settleRatedBatch } from './settle-rated-batch.js';

/** Where a batch's records came from. */
export interface BatchOrigin {
  readonly tenantId: string;
  readonly sourceId: string;
  /** The file run; null for records sent through the API. */
  readonly fileId: string | null;
  /** The ledger reference of the batch's charges. */
  readonly reference: string;
}

export interface StoredBatch {
  /** Records stored as rated usage, with their row ids, by record key. */
  readonly loaded: ReadonlyMap<string, bigint>;
  /** Record keys already stored (as rated usage, or as suspended records). */
  readonly duplicates: ReadonlySet<string>;
  /**
   * How many records of the batch were duplicates, counted per record: a key repeated three
   * times in one batch is two duplicates, which the set of keys above cannot say.
   */
  readonly duplicateCount: number;
  /** Suspended records newly stored, with their ids, by record key. */
  readonly suspended: ReadonlyMap<string, string>;
  /** Why each record of the batch that could not be rated was suspended, by record key. */
  readonly failures: ReadonlyMap<string, SuspenseDraft>;
  /** Money charged by the records loaded, per currency. */
  readonly chargedMicros: ReadonlyMap<string, bigint>;
  /** The accounts and lines of the records loaded (for bill-shock thresholds, after commit). */
  readonly touched: readonly UsageTouch[];
}

/** An account that recorded usage in a batch, with its lines. */
export interface UsageTouch {
  readonly tenantId: string;
  readonly accountId: string;
  readonly subscriptionIds: readonly string[];
}

/** Told the accounts of a batch once it has committed; awaited before the next batch. */
export type AfterUsageCommit = (touched: readonly UsageTouch[]) => Promise<void>;

/**
 * What else to write in the batch's transaction: the file run's progress, so the batch and the
 * line a run resumes after commit together, or nothing does.
 */
export type AlsoWrite = (trx: Transaction<Database>, stored: StoredBatch) => Promise<void>;

/** Attempts of one batch when another writer inserted the same records meanwhile. */
const MAX_INSERT_ATTEMPTS = 4;

/**
 * Stores a rated batch in ONE database transaction: settles it against the buckets of its
 * accounts (locked in id order), inserts the rated usage (one multi-row statement, the natural
 * key deciding duplicates), the suspended records, the ledger transactions of the money and
 * allowances taken and the new bucket balances, then `alsoWrite`. The first insert is optimistic:
 * when the unique key finds records already stored, the batch rolls back to a savepoint and
 * settles again without them, so a duplicate never takes money or allowance.
 */
export async function storeUsageBatch(
  db: Kysely<Database>,
  origin: BatchOrigin,
  batch: RatedBatch,
  alsoWrite?: AlsoWrite,
): Promise<StoredBatch> {
  const { unique, repeated } = firstOfEachKey(batch.rated);
  return db.transaction().execute(async (trx) => {
    const duplicates = new Set<string>(repeated);
    const state = await lockBatchState(trx, origin.tenantId, unique);
    let drafts = unique;
    for (let attempt = 1; ; attempt++) {
      await sql`savepoint usage_batch`.execute(trx);
      const settled = settleRatedBatch(drafts, {
        bucketsByAccount: copyBuckets(state.buckets),
        sessions: new Map(state.sessions),
      });
      const inserted = await insertRatedUsage(trx, origin, settled);
      if (inserted.size === settled.settled.length) {
        await writeLedger(trx, origin, settled);
        const failures = [...batch.suspended, ...settled.failed];
        const suspended = await insertSuspended(trx, origin, failures);
        for (const draft of failures) if (!suspended.has(draft.recordKey)) duplicates.add(draft.recordKey);
        // Every record of the batch is loaded, suspended or a duplicate: repeats of a key within
        // the batch, records dropped as stored before, and failures not newly suspended.
        const duplicateCount =
          repeated.length + (unique.length - drafts.length) + (failures.length - suspended.size);
        const stored: StoredBatch = {
          loaded: inserted,
          duplicates,
          duplicateCount,
          suspended,
          failures: new Map(failures.map((f) => [f.recordKey, f])),
          chargedMicros: chargedByCurrency(settled),
          touched: touchedAccounts(origin.tenantId, settled),
        };
        if (alsoWrite !== undefined) await alsoWrite(trx, stored);
        return stored;
      }
      if (attempt >= MAX_INSERT_ATTEMPTS)
        throw new Error(`usage batch ${origin.reference}: records kept being inserted by another writer`);
      await sql`rollback to savepoint usage_batch`.execute(trx);
      for (const usage of settled.settled)
        if (!inserted.has(usage.draft.recordKey)) duplicates.add(usage.draft.recordKey);
      drafts = drafts.filter((d) => !duplicates.has(d.recordKey));
    }
  });
}

/** A key twice in one batch is one record and a duplicate. */
function firstOfEachKey(drafts: readonly RatedDraft[]): { unique: RatedDraft[]; repeated: string[] } {
  const seen = new Set<string>();
  const unique: RatedDraft[] = [];
  const repeated: string[] = [];
  for (const draft of drafts) {
    if (seen.has(draft.recordKey)) repeated.push(draft.recordKey);
    else {
      seen.add(draft.recordKey);
      unique.push(draft);
    }
  }
  return { unique, repeated };
}

interface BatchState {
  readonly buckets: ReadonlyMap<string, readonly BucketState[]>;
  readonly sessions: ReadonlyMap<string, ReconcilableSession>;
}

/**
 * Locks the buckets the batch may spend (every bucket of a prepaid or hybrid account, the
 * allowances of a postpaid one) and reads the charging sessions its records name that no record
 * has reconciled yet. A postpaid account without allowances locks nothing: its usage accrues.
 */
async function lockBatchState(
  trx: Transaction<Database>,
  tenantId: string,
  drafts: readonly RatedDraft[],
): Promise<BatchState> {
  // Prepaid and hybrid accounts spend every bucket; postpaid ones only their allowances.
  const spending = new Set<string>();
  const invoiced = new Set<string>();
  for (const draft of drafts)
    (draft.line.accountKind === 'postpaid' ? invoiced : spending).add(draft.line.accountId);
  const buckets = new Map<string, BucketState[]>();
  if (drafts.length > 0) {
    const { rows } = await sql<LockedBucketRow>`
      select ${sql.raw(LOCKED_BUCKET_COLUMNS)}
      from balance_buckets b join accounts a on a.tenant_id = b.tenant_id and a.id = b.account_id
      where b.tenant_id = ${tenantId}
        and (b.account_id = any(${[...spending]}::uuid[])
          or (b.kind = 'allowance' and b.account_id = any(${[...invoiced]}::uuid[])))
      order by b.id
      for update of b`.execute(trx);
    for (const row of rows) {
      const list = buckets.get(row.account_id) ?? [];
      list.push(bucketStateOf(row));
      buckets.set(row.account_id, list);
    }
  }
  const sessionKeys = [
    ...new Set(drafts.map((d) => d.record.chargingSessionKey).filter((k): k is string => k !== null)),
  ];
  const sessions = new Map<string, ReconcilableSession>();
  if (sessionKeys.length > 0) {
    const { rows } = await sql<{
      id: string;
      session_key: string;
      subscription_id: string;
      charged_micros: bigint;
      unpaid_micros: bigint;
    }>`
      select s.id, s.session_key, s.subscription_id, s.charged_micros, s.unpaid_micros
      from charging_sessions s
      where s.tenant_id = ${tenantId} and s.session_key = any(${sessionKeys}::text[])
        and not exists (select 1 from rated_usage r where r.charging_session_id = s.id)`.execute(trx);
    for (const row of rows) {
      sessions.set(row.session_key, {
        id: row.id,
        subscriptionId: row.subscription_id,
        chargedMicros: BigInt(row.charged_micros),
        unpaidMicros: BigInt(row.unpaid_micros),
      });
    }
  }
  return { buckets, sessions };
}

function copyBuckets(buckets: ReadonlyMap<string, readonly BucketState[]>): Map<string, BucketState[]> {
  const copy = new Map<string, BucketState[]>();
  for (const [accountId, list] of buckets)
    copy.set(
      accountId,
      list.map((b) => ({ ...b })),
    );
  return copy;
}

/**
 * Inserts the settled records with one statement over arrays (a handful of parameters whatever
 * the batch size); records whose natural key is already stored are left out by the unique index
 * and missing from the result.
 */
async function insertRatedUsage(
  trx: Transaction<Database>,
  origin: BatchOrigin,
  settled: SettledBatch,
): Promise<Map<string, bigint>> {
  const rows = settled.settled;
  if (rows.length === 0) return new Map();
  const bare = (pick: (usage: (typeof rows)[number]) => string | bigint | number | null) =>
    bareArrayLiteral(rows.map(pick));
  const text = (pick: (usage: (typeof rows)[number]) => string | null) => textArrayLiteral(rows.map(pick));
  // ROWS FROM zips the columns in order; the explanations travel as one JSON array.
  const { rows: inserted } = await sql<{ record_key: string; id: string | bigint }>`
    insert into rated_usage (tenant_id, account_id, subscription_id, source_id, record_key, entry, file_id,
      line_number, started_at, service, direction, subscriber, destination, unit, units, currency, list_micros,
      allowance_units, charged_micros, debited_micros, settlement, ledger_transaction_id, charging_session_id,
      tariff_version_id, explanation)
    select ${origin.tenantId}::uuid, u.account_id, u.subscription_id, ${origin.sourceId}::uuid, u.record_key, 'charge',
      ${origin.fileId}::uuid, u.line_number, to_timestamp(u.started_ms / 1000.0), u.service, u.direction, u.subscriber,
      u.destination, u.unit, u.units, u.currency, u.list_micros, u.allowance_units, u.charged_micros, u.debited_micros,
      u.settlement, u.ledger_transaction_id, u.charging_session_id, u.tariff_version_id, u.explanation
    from rows from (
      unnest(${bare((u) => u.draft.line.accountId)}::uuid[]),
      unnest(${bare((u) => u.draft.line.subscriptionId)}::uuid[]),
      unnest(${text((u) => storable(u.draft.recordKey))}::text[]),
      unnest(${bare((u) => u.draft.lineNumber)}::int8[]),
      unnest(${bare((u) => u.draft.record.startedAtMs)}::int8[]),
      unnest(${text((u) => storable(u.draft.record.service))}::text[]),
      unnest(${text((u) => u.draft.record.direction)}::text[]),
      unnest(${text((u) => storable(u.draft.record.subscriber.value))}::text[]),
      unnest(${text((u) => storable(u.draft.record.destination))}::text[]),
      unnest(${text((u) => u.draft.record.unit)}::text[]),
      unnest(${bare((u) => u.draft.record.units)}::int8[]),
      unnest(${text((u) => u.draft.line.currency)}::text[]),
      unnest(${bare((u) => u.listMicros)}::int8[]),
      unnest(${bare((u) => u.allowanceUnits)}::int8[]),
      unnest(${bare((u) => u.chargedMicros)}::int8[]),
      unnest(${bare((u) => u.debitedMicros)}::int8[]),
      unnest(${text((u) => u.settlement)}::text[]),
      unnest(${bare((u) => u.ledgerTransactionId)}::uuid[]),
      unnest(${bare((u) => u.chargingSessionId)}::uuid[]),
      unnest(${bare((u) => u.draft.line.tariffVersionId)}::uuid[]),
      jsonb_array_elements(${storable(JSON.stringify(rows.map((u) => u.explanation)))}::jsonb)
    ) as u(account_id, subscription_id, record_key, line_number, started_ms, service, direction, subscriber,
      destination, unit, units, currency, list_micros, allowance_units, charged_micros, debited_micros, settlement,
      ledger_transaction_id, charging_session_id, tariff_version_id, explanation)
    on conflict (tenant_id, source_id, record_key) where entry = 'charge' and rerate_id is null do nothing
    returning record_key, id`.execute(trx);
  return new Map(inserted.map((row) => [row.record_key, BigInt(row.id)]));
}

/** The ledger transactions of the money and allowances the batch took, and the buckets' new balances. */
async function writeLedger(
  trx: Transaction<Database>,
  origin: BatchOrigin,
  settled: SettledBatch,
): Promise<void> {
  const { transactions, buckets } = settled;
  if (transactions.length === 0) return;
  const now = new Date().toISOString();
  await sql`
    insert into ledger_transactions (id, tenant_id, account_id, kind, reference, description, created_at)
    select t.id, ${origin.tenantId}::uuid, t.account_id, 'charge', ${origin.reference}, 'Recorded usage', ${now}::timestamptz
    from unnest(${transactions.map((t) => t.id)}::uuid[], ${transactions.map((t) => t.accountId)}::uuid[])
      as t(id, account_id)`.execute(trx);
  const entries = transactions.flatMap((t) => t.entries.map((e) => ({ t, e })));
  await sql`
    insert into ledger_entries (tenant_id, account_id, transaction_id, bucket_id, book, unit, amount, created_at)
    select ${origin.tenantId}::uuid, e.account_id, e.transaction_id, e.bucket_id, e.book, e.unit, e.amount, ${now}::timestamptz
    from unnest(
      ${entries.map(({ t }) => t.accountId)}::uuid[],
      ${entries.map(({ t }) => t.id)}::uuid[],
      ${entries.map(({ e }) => e.bucketId)}::uuid[],
      ${entries.map(({ e }) => e.book)}::text[],
      ${entries.map(({ e }) => e.unit)}::text[],
      ${entries.map(({ e }) => e.amount.toString())}::int8[]
    ) as e(account_id, transaction_id, bucket_id, book, unit, amount)`.execute(trx);
  await sql`
    update balance_buckets b set balance = v.balance, updated_at = ${now}::timestamptz
    from unnest(${buckets.map((b) => b.id)}::uuid[], ${buckets.map((b) => b.balance.toString())}::int8[])
      as v(id, balance)
    where b.id = v.id`.execute(trx);
}

async function insertSuspended(
  trx: Transaction<Database>,
  origin: BatchOrigin,
  drafts: readonly SuspenseDraft[],
): Promise<Map<string, string>> {
  if (drafts.length === 0) return new Map();
  const { rows } = await sql<{ record_key: string; id: string }>`
    insert into suspended_records (tenant_id, source_id, record_key, file_id, line_number, raw, original_raw, reason,
      field, message, status)
    select ${origin.tenantId}::uuid, ${origin.sourceId}::uuid, s.record_key, ${origin.fileId}::uuid, s.line_number,
      s.raw, s.raw, s.reason, s.field, s.message, 'open'
    from unnest(
      ${textArrayLiteral(drafts.map((d) => storable(d.recordKey)))}::text[],
      ${bareArrayLiteral(drafts.map((d) => d.lineNumber))}::int8[],
      ${textArrayLiteral(drafts.map((d) => storable(d.raw)))}::text[],
      ${textArrayLiteral(drafts.map((d) => d.reason))}::text[],
      ${textArrayLiteral(drafts.map((d) => d.field))}::text[],
      ${textArrayLiteral(drafts.map((d) => storable(d.message)))}::text[]
    ) as s(record_key, line_number, raw, reason, field, message)
    -- A record stored as rated usage before (when its tariff still priced it) is a duplicate too.
    where not exists (
      select 1 from rated_usage r
      where r.tenant_id = ${origin.tenantId}::uuid and r.source_id = ${origin.sourceId}::uuid
        and r.record_key = s.record_key and r.entry = 'charge' and r.rerate_id is null)
    on conflict (tenant_id, source_id, record_key) do nothing
    returning record_key, id`.execute(trx);
  return new Map(rows.map((row) => [row.record_key, row.id]));
}

/**
 * Text as PostgreSQL can store it: its text type cannot hold U+0000, which a broken file may
 * carry; it becomes U+FFFD, as undecodable bytes do.
 */
function storable(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

function touchedAccounts(tenantId: string, settled: SettledBatch): UsageTouch[] {
  const lines = new Map<string, Set<string>>();
  for (const usage of settled.settled) {
    const { accountId, subscriptionId } = usage.draft.line;
    const set = lines.get(accountId) ?? new Set<string>();
    set.add(subscriptionId);
    lines.set(accountId, set);
  }
  return [...lines].map(([accountId, set]) => ({ tenantId, accountId, subscriptionIds: [...set] }));
}

function chargedByCurrency(settled: SettledBatch): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const usage of settled.settled) {
    const currency = usage.draft.line.currency;
    totals.set(currency, (totals.get(currency) ?? 0n) + usage.chargedMicros);
  }
  return totals;
}
