import { randomUUID } from 'node:crypto';
import {
  type BucketState,
  type EntryDraft,
  rollCapPeriod,
  type SpendingCapState,
  unbalancedUnits,
  ZoneClock,
} from '@tollgate/core';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { LedgerTransactionKind } from '../balances/balance-tables.js';
import { bucketFloor } from '../balances/bucket-floor.js';
import type { Database } from '../db/database-schema.js';
import {
  loadServiceStates,
  loadSessionRating,
  type ServiceState,
  type SessionRating,
  storeServiceStates,
} from './session-state.js';

/** A bucket of the batch, with the account it belongs to. */
export interface WorkspaceBucket extends BucketState {
  readonly tenantId: string;
  readonly accountId: string;
  readonly isMain: boolean;
}

export interface WorkspaceSession {
  readonly id: string;
  readonly tenantId: string;
  readonly accountId: string;
  readonly subscriptionId: string;
  readonly sessionKey: string;
  readonly kind: 'session' | 'event';
  status: 'open' | 'terminated' | 'expired';
  readonly rating: SessionRating;
  readonly services: Map<number, ServiceState>;
  lastRequestNumber: number;
  chargedMicros: bigint;
  unpaidMicros: bigint;
  readonly startedAt: Date;
  endedAt: Date | null;
  /** Not yet in the database: inserted when the batch commits. */
  isNew: boolean;
  /** A new session that must not be stored (nothing was granted). */
  discarded: boolean;
}

export interface WorkspaceReservation {
  readonly id: string;
  readonly tenantId: string;
  readonly accountId: string;
  readonly bucketId: string;
  readonly sessionId: string;
  readonly ratingGroup: number;
  readonly amount: bigint;
  readonly expiresAt: Date;
  readonly createdAt: Date;
  status: 'pending' | 'committed' | 'released' | 'expired';
  committedAmount: bigint | null;
  readonly isNew: boolean;
}

export interface WorkspaceTransaction {
  readonly id: string;
  readonly tenantId: string;
  readonly accountId: string;
  readonly kind: LedgerTransactionKind;
  readonly reference: string;
  readonly description: string;
  readonly entries: readonly EntryDraft[];
}

export interface WorkspaceAnswer {
  readonly tenantId: string;
  readonly sessionKey: string;
  readonly requestNumber: number;
  readonly answerJson: string;
}

export interface WorkspaceKeys {
  /** (tenant, session key) of every session a request of the batch names. */
  readonly sessions: readonly { tenantId: string; sessionKey: string }[];
  /** Accounts whose buckets the batch may move (besides those of the sessions). */
  readonly accountIds: readonly string[];
  readonly subscriptionIds: readonly string[];
  readonly answers: readonly { tenantId: string; sessionKey: string; requestNumber: number }[];
}

const MAX_BATCH_ROWS = 10_000;

/**
 * The rows one batch of charging requests reads and writes, loaded under row locks in one
 * transaction, changed in memory by the requests in order, and written back with one statement
 * per table. Locks are taken in one global order (sessions, then buckets, then caps, each by id),
 * so concurrent batches in any number of processes wait for each other but never deadlock on
 * these rows; the database stays the judge of every balance (DESIGN.md section 5).
 */
export class ChargingWorkspace {
  readonly buckets = new Map<string, WorkspaceBucket>();
  readonly bucketsByAccount = new Map<string, WorkspaceBucket[]>();
  readonly caps = new Map<
    string,
    SpendingCapState & { dirty: boolean; accountId: string; tenantId: string }
  >();
  readonly sessions = new Map<string, WorkspaceSession>();
  readonly reservations = new Map<string, WorkspaceReservation>();
  readonly storedAnswers = new Map<string, unknown>();
  readonly transactions: WorkspaceTransaction[] = [];
  readonly answers: WorkspaceAnswer[] = [];
  readonly timeZones = new Map<string, string>();
  readonly #dirtyBuckets = new Set<string>();
  readonly #dirtySessions = new Set<string>();
  readonly #resolved = new Set<string>();
  readonly #loadedAccounts = new Set<string>();
  /** Every lookup names the tenant too: the indexes lead with it (tables are distributed by it). */
  readonly #tenantIds = new Set<string>();

  /**
   * @param lock false for a dry run (authorisation) that reads without locking and never writes.
   */
  constructor(
    private readonly trx: Kysely<Database>,
    readonly now: Date,
    private readonly lock = true,
  ) {}

  static sessionKey(tenantId: string, sessionKey: string): string {
    return `${tenantId}\u0000${sessionKey}`;
  }

  static answerKey(tenantId: string, sessionKey: string, requestNumber: number): string {
    return `${tenantId}\u0000${sessionKey}\u0000${requestNumber}`;
  }

  async load(keys: WorkspaceKeys): Promise<void> {
    for (const session of keys.sessions) this.#tenantIds.add(session.tenantId);
    await this.#loadSessions(keys.sessions);
    const accounts = new Set(keys.accountIds);
    for (const session of this.sessions.values()) accounts.add(session.accountId);
    await this.loadAccounts([...accounts]);
    await this.#loadCaps(keys.subscriptionIds);
    await this.#loadPendingReservations([...this.sessions.values()].map((s) => s.id));
    // Answers are read last, under the locks: a duplicate of a request another batch is running
    // (here or in another process) always shares a lock with it (its session's row or its
    // account's buckets), so once the lock is held, that batch's answer is committed and seen.
    await this.#loadAnswers(keys.answers);
  }

  /** Locks and loads the buckets of accounts not loaded yet (a batch may learn of more). */
  async loadAccounts(accountIds: readonly string[]): Promise<void> {
    const wanted = accountIds.filter((id) => !this.#loadedAccounts.has(id)).sort();
    if (wanted.length === 0) return;
    const rows = await this.trx
      .selectFrom('balance_buckets as b')
      .innerJoin('accounts as a', 'a.id', 'b.account_id')
      .selectAll('b')
      .select(['a.kind as account_kind', 'a.credit_limit_micros', 'a.time_zone'])
      .where('b.tenant_id', 'in', [...this.#tenantIds])
      .where('b.account_id', 'in', wanted)
      .orderBy('b.id')
      .$if(this.lock, (q) => q.forUpdate('b'))
      .execute();
    for (const id of wanted) {
      this.#loadedAccounts.add(id);
      this.bucketsByAccount.set(id, []);
    }
    for (const row of rows) {
      const bucket: WorkspaceBucket = {
        id: row.id,
        tenantId: row.tenant_id,
        accountId: row.account_id,
        kind: row.kind,
        unit: row.unit,
        service: row.service,
        subscriptionId: row.subscription_id,
        priority: row.priority,
        validFromMs: row.valid_from.getTime(),
        validToMs: row.valid_to?.getTime() ?? null,
        floor:
          bucketFloor(row, { kind: row.account_kind, credit_limit_micros: row.credit_limit_micros }) ??
          NO_FLOOR,
        balance: row.balance,
        reserved: row.reserved,
        isMain: row.is_main,
      };
      this.buckets.set(bucket.id, bucket);
      this.bucketsByAccount.get(bucket.accountId)?.push(bucket);
      this.timeZones.set(row.account_id, row.time_zone);
    }
  }

  async #loadAnswers(keys: WorkspaceKeys['answers']): Promise<void> {
    if (keys.length === 0) return;
    // Column by column (`= any`), which the primary key's index serves; a list of row values
    // would be read by scanning the table. Other request numbers of the same sessions are skipped.
    const wanted = new Set(
      keys.map((k) => ChargingWorkspace.answerKey(k.tenantId, k.sessionKey, k.requestNumber)),
    );
    const rows = await this.trx
      .selectFrom('charging_requests')
      .select(['tenant_id', 'session_key', 'request_number', 'answer'])
      .where('tenant_id', 'in', [...new Set(keys.map((k) => k.tenantId))])
      .where('session_key', 'in', [...new Set(keys.map((k) => k.sessionKey))])
      .execute();
    for (const row of rows)
      if (wanted.has(ChargingWorkspace.answerKey(row.tenant_id, row.session_key, row.request_number)))
        this.storedAnswers.set(
          ChargingWorkspace.answerKey(row.tenant_id, row.session_key, row.request_number),
          row.answer,
        );
  }

  async #loadSessions(keys: WorkspaceKeys['sessions']): Promise<void> {
    if (keys.length === 0) return;
    const tenantIds = [...new Set(keys.map((k) => k.tenantId))];
    const sessionKeys = [...new Set(keys.map((k) => k.sessionKey))];
    const wanted = new Set(keys.map((k) => ChargingWorkspace.sessionKey(k.tenantId, k.sessionKey)));
    const { rows } = await sql<{
      id: string;
      tenant_id: string;
      account_id: string;
      subscription_id: string;
      session_key: string;
      kind: 'session' | 'event';
      status: 'open' | 'terminated' | 'expired';
      rating: unknown;
      services: unknown;
      last_request_number: number;
      charged_micros: bigint;
      unpaid_micros: bigint;
      started_at: Date;
      ended_at: Date | null;
    }>`
      select * from charging_sessions
      where tenant_id = any(${tenantIds}::uuid[]) and session_key = any(${sessionKeys}::text[])
      order by id ${this.lock ? sql`for update` : sql``}`.execute(this.trx);
    for (const row of rows) {
      // With several tenants in a batch, a key of one may exist in another: locked, not used.
      if (!wanted.has(ChargingWorkspace.sessionKey(row.tenant_id, row.session_key))) continue;
      this.sessions.set(ChargingWorkspace.sessionKey(row.tenant_id, row.session_key), {
        id: row.id,
        tenantId: row.tenant_id,
        accountId: row.account_id,
        subscriptionId: row.subscription_id,
        sessionKey: row.session_key,
        kind: row.kind,
        status: row.status,
        rating: loadSessionRating(row.rating),
        services: loadServiceStates(row.services),
        lastRequestNumber: row.last_request_number,
        chargedMicros: BigInt(row.charged_micros),
        unpaidMicros: BigInt(row.unpaid_micros),
        startedAt: new Date(row.started_at),
        endedAt: row.ended_at === null ? null : new Date(row.ended_at),
        isNew: false,
        discarded: false,
      });
    }
  }

  async #loadCaps(subscriptionIds: readonly string[]): Promise<void> {
    const ids = [
      ...new Set([...subscriptionIds, ...[...this.sessions.values()].map((s) => s.subscriptionId)]),
    ].sort();
    if (ids.length === 0) return;
    const rows = await this.trx
      .selectFrom('line_spending_caps')
      .selectAll()
      .where('tenant_id', 'in', [...this.#tenantIds])
      .where('subscription_id', 'in', ids)
      .orderBy('subscription_id')
      .$if(this.lock, (q) => q.forUpdate())
      .execute();
    for (const row of rows) {
      const cap = {
        subscriptionId: row.subscription_id,
        accountId: row.account_id,
        tenantId: row.tenant_id,
        limitMicros: row.limit_micros,
        period: row.period,
        periodStartMs: row.period_start.getTime(),
        spentMicros: row.spent_micros,
        reservedMicros: row.reserved_micros,
        dirty: false,
      };
      const zone = this.timeZones.get(row.account_id);
      if (zone !== undefined) {
        const before = cap.periodStartMs;
        rollCapPeriod(cap, new ZoneClock(zone), this.now.getTime());
        cap.dirty = cap.periodStartMs !== before;
      }
      this.caps.set(row.subscription_id, cap);
    }
  }

  async #loadPendingReservations(sessionIds: readonly string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    const rows = await this.trx
      .selectFrom('reservations')
      .selectAll()
      .where('session_id', 'in', sessionIds)
      .where('status', '=', 'pending')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    for (const row of rows) {
      this.reservations.set(row.id, {
        id: row.id,
        tenantId: row.tenant_id,
        accountId: row.account_id,
        bucketId: row.bucket_id,
        sessionId: row.session_id,
        ratingGroup: Number(row.rating_group),
        amount: row.amount,
        expiresAt: row.expires_at,
        createdAt: row.created_at,
        status: 'pending',
        committedAmount: null,
        isNew: false,
      });
    }
  }

  bucketsOf(accountId: string): readonly WorkspaceBucket[] {
    return this.bucketsByAccount.get(accountId) ?? [];
  }

  touchBucket(bucketId: string): void {
    this.#dirtyBuckets.add(bucketId);
  }

  touchSession(session: WorkspaceSession): void {
    this.#dirtySessions.add(ChargingWorkspace.sessionKey(session.tenantId, session.sessionKey));
  }

  addSession(session: WorkspaceSession): void {
    this.sessions.set(ChargingWorkspace.sessionKey(session.tenantId, session.sessionKey), session);
    this.touchSession(session);
  }

  /** Pending reservations of a session (one rating group, or all), oldest first. */
  pendingOf(sessionId: string, ratingGroup?: number): WorkspaceReservation[] {
    const found: WorkspaceReservation[] = [];
    for (const r of this.reservations.values()) {
      if (
        r.sessionId === sessionId &&
        r.status === 'pending' &&
        (ratingGroup === undefined || r.ratingGroup === ratingGroup)
      )
        found.push(r);
    }
    return found;
  }

  /** Holds `amount` of a bucket for a session's rating group until `expiresAt`. */
  reserve(
    session: WorkspaceSession,
    ratingGroup: number,
    bucketId: string,
    amount: bigint,
    expiresAt: Date,
  ): void {
    const bucket = this.#bucket(bucketId);
    bucket.reserved += amount;
    this.touchBucket(bucketId);
    const id = randomUUID();
    this.reservations.set(id, {
      id,
      tenantId: session.tenantId,
      accountId: session.accountId,
      bucketId,
      sessionId: session.id,
      ratingGroup,
      amount,
      expiresAt,
      createdAt: this.now,
      status: 'pending',
      committedAmount: null,
      isNew: true,
    });
  }

  /** Ends a pending reservation: its hold returns to the bucket. Each resolves once. */
  resolve(reservation: WorkspaceReservation, status: 'committed' | 'released' | 'expired'): void {
    if (reservation.status !== 'pending') throw new Error(`reservation ${reservation.id} resolved twice`);
    const bucket = this.#bucket(reservation.bucketId);
    bucket.reserved -= reservation.amount;
    if (bucket.reserved < 0n) throw new Error(`bucket ${bucket.id} reserved below zero`);
    reservation.status = status;
    this.touchBucket(bucket.id);
    this.#resolved.add(reservation.id);
  }

  /** Moves a bucket's balance; callers have checked the floor. */
  move(bucketId: string, delta: bigint): void {
    const bucket = this.#bucket(bucketId);
    bucket.balance += delta;
    if (delta < 0n && bucket.balance - bucket.reserved < bucket.floor)
      throw new Error(`bucket ${bucketId} taken below its floor`);
    this.touchBucket(bucketId);
  }

  /** Records a ledger transaction; its entries must balance and are applied to the buckets. */
  post(tx: Omit<WorkspaceTransaction, 'id'>): string {
    if (tx.entries.length === 0) return '';
    const unbalanced = unbalancedUnits(tx.entries);
    if (unbalanced.length > 0) throw new Error(`unbalanced ledger transaction in ${unbalanced.join(', ')}`);
    for (const entry of tx.entries) if (entry.bucketId !== null) this.move(entry.bucketId, entry.amount);
    const id = randomUUID();
    this.transactions.push({ ...tx, id });
    return id;
  }

  answer(answer: WorkspaceAnswer): void {
    this.answers.push(answer);
  }

  #bucket(bucketId: string): WorkspaceBucket {
    const bucket = this.buckets.get(bucketId);
    if (bucket === undefined) throw new Error(`bucket ${bucketId} is not in the batch`);
    return bucket;
  }

  /** Writes every change, one statement per table. Returns false when an answer already existed. */
  async write(): Promise<boolean> {
    if (!this.lock) throw new Error('a dry-run workspace never writes');
    await this.#writeSessions();
    await this.#writeReservations();
    await this.#writeBuckets();
    await this.#writeCaps();
    await this.#writeLedger();
    return this.#writeAnswers();
  }

  async #writeSessions(): Promise<void> {
    const dirty = [...this.#dirtySessions]
      .map((k) => this.sessions.get(k))
      .filter((s) => s !== undefined && !s.discarded);
    const fresh = dirty.filter((s) => s!.isNew) as WorkspaceSession[];
    const changed = dirty.filter((s) => !s!.isNew) as WorkspaceSession[];
    if (fresh.length > 0) {
      await this.trx
        .insertInto('charging_sessions')
        .values(
          fresh.map((s) => ({
            id: s.id,
            tenant_id: s.tenantId,
            account_id: s.accountId,
            subscription_id: s.subscriptionId,
            session_key: s.sessionKey,
            kind: s.kind,
            status: s.status,
            rating: JSON.stringify(s.rating),
            services: storeServiceStates(s.services.values()),
            last_request_number: s.lastRequestNumber,
            charged_micros: s.chargedMicros,
            unpaid_micros: s.unpaidMicros,
            started_at: s.startedAt,
            updated_at: this.now,
            ended_at: s.endedAt,
          })),
        )
        .execute();
    }
    if (changed.length === 0) return;
    const rows = changed.map(
      (s) =>
        sql`(${s.id}::uuid, ${s.status}, ${storeServiceStates(s.services.values())}::jsonb, ${s.lastRequestNumber}::int4, ${s.chargedMicros}::int8, ${s.unpaidMicros}::int8, ${s.endedAt}::timestamptz)`,
    );
    await sql`
      update charging_sessions s set status = v.status, services = v.services,
        last_request_number = v.last_request_number, charged_micros = v.charged_micros,
        unpaid_micros = v.unpaid_micros, ended_at = v.ended_at, updated_at = ${this.now}
      from (values ${sql.join(rows)}) as v(id, status, services, last_request_number, charged_micros, unpaid_micros, ended_at)
      where s.id = v.id`.execute(this.trx);
  }

  async #writeReservations(): Promise<void> {
    const discardedSessions = new Set(
      [...this.sessions.values()].filter((s) => s.discarded).map((s) => s.id),
    );
    const fresh = [...this.reservations.values()].filter(
      (r) => r.isNew && !discardedSessions.has(r.sessionId),
    );
    if (fresh.length > 0) {
      await this.trx
        .insertInto('reservations')
        .values(
          fresh.map((r) => ({
            id: r.id,
            tenant_id: r.tenantId,
            account_id: r.accountId,
            bucket_id: r.bucketId,
            session_id: r.sessionId,
            rating_group: BigInt(r.ratingGroup),
            amount: r.amount,
            status: r.status,
            committed_amount: r.committedAmount,
            expires_at: r.expiresAt,
            created_at: r.createdAt,
            resolved_at: r.status === 'pending' ? null : this.now,
          })),
        )
        .execute();
    }
    const resolved = [...this.#resolved].map((id) => this.reservations.get(id)!).filter((r) => !r.isNew);
    if (resolved.length === 0) return;
    const rows = resolved.map((r) => sql`(${r.id}::uuid, ${r.status}, ${r.committedAmount}::int8)`);
    const result = await sql`
      update reservations r set status = v.status, committed_amount = v.committed_amount, resolved_at = ${this.now}
      from (values ${sql.join(rows)}) as v(id, status, committed_amount)
      where r.id = v.id and r.status = 'pending'`.execute(this.trx);
    // Each reservation resolves at most once: the session lock makes a second resolution impossible.
    if (Number(result.numAffectedRows ?? 0n) !== resolved.length)
      throw new Error('a reservation was resolved by someone else while this batch held its session');
  }

  async #writeBuckets(): Promise<void> {
    if (this.#dirtyBuckets.size === 0) return;
    const rows = [...this.#dirtyBuckets].map((id) => {
      const b = this.buckets.get(id)!;
      return sql`(${b.id}::uuid, ${b.balance}::int8, ${b.reserved}::int8)`;
    });
    await sql`
      update balance_buckets b set balance = v.balance, reserved = v.reserved, updated_at = ${this.now}
      from (values ${sql.join(rows)}) as v(id, balance, reserved) where b.id = v.id`.execute(this.trx);
  }

  async #writeCaps(): Promise<void> {
    const dirty = [...this.caps.values()].filter((c) => c.dirty);
    if (dirty.length === 0) return;
    const rows = dirty.map(
      (c) =>
        sql`(${c.tenantId}::uuid, ${c.subscriptionId}::uuid, ${new Date(c.periodStartMs)}::timestamptz, ${c.spentMicros}::int8, ${c.reservedMicros}::int8)`,
    );
    await sql`
      update line_spending_caps c set period_start = v.period_start, spent_micros = v.spent_micros,
        reserved_micros = v.reserved_micros, updated_at = ${this.now}
      from (values ${sql.join(rows)}) as v(tenant_id, subscription_id, period_start, spent_micros, reserved_micros)
      where c.tenant_id = v.tenant_id and c.subscription_id = v.subscription_id`.execute(this.trx);
  }

  async #writeLedger(): Promise<void> {
    if (this.transactions.length === 0) return;
    for (const chunk of chunks(this.transactions, MAX_BATCH_ROWS / 8)) {
      await this.trx
        .insertInto('ledger_transactions')
        .values(
          chunk.map((t) => ({
            id: t.id,
            tenant_id: t.tenantId,
            account_id: t.accountId,
            kind: t.kind,
            reverses_id: null,
            reference: t.reference,
            description: t.description,
            created_at: this.now,
          })),
        )
        .execute();
    }
    const entries = this.transactions.flatMap((t) =>
      t.entries.map((e) => ({
        tenant_id: t.tenantId,
        account_id: t.accountId,
        transaction_id: t.id,
        bucket_id: e.bucketId,
        book: e.book,
        unit: e.unit,
        amount: e.amount,
        created_at: this.now,
      })),
    );
    for (const chunk of chunks(entries, MAX_BATCH_ROWS / 8))
      await this.trx.insertInto('ledger_entries').values(chunk).execute();
  }

  async #writeAnswers(): Promise<boolean> {
    if (this.answers.length === 0) return true;
    const inserted = await this.trx
      .insertInto('charging_requests')
      .values(
        this.answers.map((a) => ({
          tenant_id: a.tenantId,
          session_key: a.sessionKey,
          request_number: a.requestNumber,
          answer: a.answerJson,
          created_at: this.now,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .returning('request_number')
      .execute();
    return inserted.length === this.answers.length;
  }
}

/** A postpaid account without a credit limit: invoiced for whatever it spends. */
const NO_FLOOR = -(2n ** 62n);

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export type { RawBuilder };
