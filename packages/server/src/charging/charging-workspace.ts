import { randomUUID } from 'node:crypto';
import {
  type BucketState,
  type EntryDraft,
  rollCapPeriod,
  type SpendingCapState,
  unbalancedUnits,
  ZoneClock,
} from '@tollgate/core';
import { type Kysely, sql } from 'kysely';
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
import { type BatchChanges, writeChargingBatch } from './write-charging-batch.js';

/** A line's spending cap in the batch, with what happens once it is reached. */
export interface WorkspaceCap extends SpendingCapState {
  dirty: boolean;
  readonly accountId: string;
  readonly tenantId: string;
  readonly whenReached: 'refuse' | 'essential_only';
  /** Dialled destinations (digits) still served at the cap under 'essential_only'. */
  readonly allowedDestinations: ReadonlySet<string>;
}

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
  readonly caps = new Map<string, WorkspaceCap>();
  /** Lines whose spending cap refused a request or was used up in this batch (for the notice). */
  readonly capsReached = new Set<string>();
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
  /** The same reservations by session, oldest first: a batch asks for a session's holds often. */
  readonly #reservationsBySession = new Map<string, WorkspaceReservation[]>();
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
    // Answers are read last, under the locks: a duplicate of a request another batch is running
    // (here or in another process) always shares a lock with it (its session's row or its
    // account's buckets), so once the lock is held, that batch's answer is committed and seen.
    await this.#loadCapsAndAnswers(keys.subscriptionIds, keys.answers);
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
      pending: StoredReservation[] | string;
    }>`
      select s.*,
        (select coalesce(json_agg(json_build_object('id', r.id, 'tenant_id', r.tenant_id,
            'account_id', r.account_id, 'bucket_id', r.bucket_id, 'rating_group', r.rating_group::text,
            'amount', r.amount::text, 'expires_at', r.expires_at, 'created_at', r.created_at)
            order by r.created_at, r.id), '[]'::json)
          from reservations r where r.session_id = s.id and r.status = 'pending') as pending
      from charging_sessions s
      where s.tenant_id = any(${tenantIds}::uuid[]) and s.session_key = any(${sessionKeys}::text[])
      order by s.id ${this.lock ? sql`for update of s` : sql``}`.execute(this.trx);
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
      for (const r of parsedJson<StoredReservation[]>(row.pending)) {
        this.#addReservation({
          id: r.id,
          tenantId: r.tenant_id,
          accountId: r.account_id,
          bucketId: r.bucket_id,
          sessionId: row.id,
          ratingGroup: Number(r.rating_group),
          amount: BigInt(r.amount),
          expiresAt: new Date(r.expires_at),
          createdAt: new Date(r.created_at),
          status: 'pending',
          committedAmount: null,
          isNew: false,
        });
      }
    }
  }

  /** The lines' spending caps (locked) and the stored answers of the batch's requests, in one statement. */
  async #loadCapsAndAnswers(
    subscriptionIds: readonly string[],
    answers: WorkspaceKeys['answers'],
  ): Promise<void> {
    const lineIds = [
      ...new Set([...subscriptionIds, ...[...this.sessions.values()].map((s) => s.subscriptionId)]),
    ];
    const tenantIds = [...this.#tenantIds];
    const sessionKeys = [...new Set(answers.map((a) => a.sessionKey))];
    // Answers column by column (`= any`), which the primary key's index serves; a list of row
    // values would be read by scanning the table. Other request numbers are skipped below.
    const { rows } = await sql<{ caps: StoredCap[] | string; answers: StoredAnswer[] | string }>`
      select
        (select coalesce(json_agg(c order by c.subscription_id), '[]'::json) from (
          select tenant_id, account_id, subscription_id, limit_micros::text as limit_micros, period,
            period_start, spent_micros::text as spent_micros, reserved_micros::text as reserved_micros,
            when_reached, allowed_destinations
          from line_spending_caps
          where tenant_id = any(${tenantIds}::uuid[]) and subscription_id = any(${lineIds}::uuid[])
          order by subscription_id ${this.lock ? sql`for update` : sql``}) c) as caps,
        (select coalesce(json_agg(a), '[]'::json) from (
          select tenant_id, session_key, request_number, answer from charging_requests
          where tenant_id = any(${tenantIds}::uuid[]) and session_key = any(${sessionKeys}::text[])) a) as answers`.execute(
      this.trx,
    );
    const row = rows[0]!;
    for (const stored of parsedJson<StoredCap[]>(row.caps)) this.#addCap(stored);
    const wanted = new Set(
      answers.map((a) => ChargingWorkspace.answerKey(a.tenantId, a.sessionKey, a.requestNumber)),
    );
    for (const stored of parsedJson<StoredAnswer[]>(row.answers)) {
      const key = ChargingWorkspace.answerKey(stored.tenant_id, stored.session_key, stored.request_number);
      if (wanted.has(key)) this.storedAnswers.set(key, stored.answer);
    }
  }

  #addCap(stored: StoredCap): void {
    const cap: WorkspaceCap = {
      subscriptionId: stored.subscription_id,
      accountId: stored.account_id,
      tenantId: stored.tenant_id,
      limitMicros: BigInt(stored.limit_micros),
      period: stored.period,
      periodStartMs: Date.parse(stored.period_start),
      spentMicros: BigInt(stored.spent_micros),
      reservedMicros: BigInt(stored.reserved_micros),
      dirty: false,
      whenReached: stored.when_reached ?? 'refuse',
      allowedDestinations: new Set(
        parsedJson<string[]>(stored.allowed_destinations ?? []).map((d) => d.replace(/[^0-9]/g, '')),
      ),
    };
    const zone = this.timeZones.get(stored.account_id);
    if (zone !== undefined) {
      const before = cap.periodStartMs;
      rollCapPeriod(cap, new ZoneClock(zone), this.now.getTime());
      cap.dirty = cap.periodStartMs !== before;
    }
    this.caps.set(stored.subscription_id, cap);
  }

  #addReservation(reservation: WorkspaceReservation): void {
    this.reservations.set(reservation.id, reservation);
    const ofSession = this.#reservationsBySession.get(reservation.sessionId);
    if (ofSession === undefined) this.#reservationsBySession.set(reservation.sessionId, [reservation]);
    else ofSession.push(reservation);
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
    for (const r of this.#reservationsBySession.get(sessionId) ?? []) {
      if (r.status === 'pending' && (ratingGroup === undefined || r.ratingGroup === ratingGroup))
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
    this.#addReservation({
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
    const changes = this.#changes();
    const written = await writeChargingBatch(this.trx, changes);
    // Each reservation resolves at most once: the session lock makes a second resolution impossible.
    if (written.resolvedReservations !== changes.resolvedReservations.length)
      throw new Error('a reservation was resolved by someone else while this batch held its session');
    return written.storedAnswers === changes.answers.length;
  }

  #changes(): BatchChanges {
    const sessions = [...this.#dirtySessions]
      .map((k) => this.sessions.get(k))
      .filter((s): s is WorkspaceSession => s !== undefined && !s.discarded);
    const discarded = new Set([...this.sessions.values()].filter((s) => s.discarded).map((s) => s.id));
    const reservations = [...this.reservations.values()];
    return {
      now: this.now,
      newSessions: sessions
        .filter((s) => s.isNew)
        .map((s) => ({
          ...s,
          ratingJson: JSON.stringify(s.rating),
          servicesJson: storeServiceStates(s.services.values()),
        })),
      changedSessions: sessions
        .filter((s) => !s.isNew)
        .map((s) => ({ ...s, servicesJson: storeServiceStates(s.services.values()) })),
      // A hold taken and resolved within the batch never existed outside it: not stored.
      newReservations: reservations.filter(
        (r) => r.isNew && r.status === 'pending' && !discarded.has(r.sessionId),
      ),
      resolvedReservations: [...this.#resolved]
        .map((id) => this.reservations.get(id)!)
        .filter((r) => !r.isNew),
      buckets: [...this.#dirtyBuckets].map((id) => this.buckets.get(id)!),
      caps: [...this.caps.values()]
        .filter((c) => c.dirty)
        .map((c) => ({ ...c, periodStart: new Date(c.periodStartMs) })),
      transactions: this.transactions,
      answers: this.answers,
    };
  }
}

/** Rows read as JSON: int8 as text (exact), instants as ISO text. */
interface StoredReservation {
  id: string;
  tenant_id: string;
  account_id: string;
  bucket_id: string;
  rating_group: string;
  amount: string;
  expires_at: string;
  created_at: string;
}

interface StoredCap {
  tenant_id: string;
  account_id: string;
  subscription_id: string;
  limit_micros: string;
  period: 'day' | 'month';
  period_start: string;
  spent_micros: string;
  reserved_micros: string;
  when_reached?: 'refuse' | 'essential_only';
  allowed_destinations?: string[] | string;
}

interface StoredAnswer {
  tenant_id: string;
  session_key: string;
  request_number: number;
  answer: unknown;
}

/** json comes back parsed from both drivers; text only if a driver is set up not to parse it. */
function parsedJson<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/** A postpaid account without a credit limit: invoiced for whatever it spends. */
const NO_FLOOR = -(2n ** 62n);
