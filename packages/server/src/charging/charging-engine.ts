import type { CompiledTariff } from '@tollgate/core';
import type { Kysely } from 'kysely';
import { type CompiledTariffCache, compiledTariffCache } from '../catalog/compiled-tariff-cache.js';
import { readTariffDocument } from '../catalog/tariff-store.js';
import type { Database } from '../db/database-schema.js';
import type { ChargingMetrics } from '../metrics/charging-metrics.js';
import {
  applyCreditControl,
  type CreditControlOperation,
  expireLapsedSession,
  type PreparedRequest,
} from './apply-credit-control.js';
import { type ChargingSettings, DEFAULT_CHARGING_SETTINGS } from './charging-settings.js';
import { ChargingWorkspace } from './charging-workspace.js';
import { checkCreditControlRequest } from './check-credit-control-request.js';
import type { CreditControl, CreditControlAnswer, CreditControlRequest } from './credit-control.js';
import { answerFromJson, answerToJson } from './credit-control-answer-json.js';
import { RecentLines } from './recent-lines.js';
import { NumberingContexts, resolveChargedLine } from './resolve-charged-line.js';

export interface ChargingEngineOptions {
  readonly db: Kysely<Database>;
  readonly now: () => Date;
  readonly settings?: ChargingSettings;
  readonly tariffs?: CompiledTariffCache;
  /**
   * Batches run at once. One for the embedded database (it has one connection); a few for
   * PostgreSQL, so one batch's round trips overlap another's.
   */
  readonly lanes?: number;
  /** Requests per batch, at most. */
  readonly maxBatchSize?: number;
  /**
   * Called after a commit that lowered the balances of these accounts, or in which a line's
   * spending cap was reached (auto-recharge, bill-shock notices). Must not block: it runs on the
   * charging path.
   */
  readonly afterCommit?: (accounts: readonly ChargedAccount[]) => void;
  /** Told the lines a committed batch opened sessions on (fraud rules: simultaneous sessions); must not throw. */
  readonly afterSessionsOpened?: (accounts: readonly ChargedAccount[]) => void;
  readonly onError?: (error: unknown) => void;
  /** Counts every answer given and every batch committed (GET /metrics). */
  readonly metrics?: ChargingMetrics;
}

/** An account a batch charged: the lines it charged, and those whose spending cap it reached. */
export interface ChargedAccount {
  readonly tenantId: string;
  readonly accountId: string;
  readonly subscriptionIds: readonly string[];
  readonly capsReached: readonly string[];
}

type Work =
  | {
      readonly kind: 'request';
      readonly prepared: PreparedRequest;
      readonly done: (answer: CreditControlAnswer) => void;
    }
  | {
      readonly kind: 'expire';
      readonly tenantId: string;
      readonly sessionKey: string;
      readonly done: () => void;
    };

const DEFAULT_MAX_BATCH_SIZE = 256;
const STORED_REFUSALS: ReadonlySet<string> = new Set(['insufficient_balance', 'session_expired']);

/**
 * Online charging with group commit. Requests queue per lane (by session id, so a session's
 * requests stay in order) and each lane runs one batch at a time: every request waiting when the
 * previous batch finished goes into one database transaction that locks the rows they touch,
 * applies them in order, and writes the result with one statement per table. A hot shared
 * account thus takes one row lock per batch, not per request. Any number of processes may run
 * engines on one database: the row locks and unique keys keep them correct.
 *
 * A retried request (same session id and request number) gets the first answer: while the first
 * is still running in this process it shares its promise; once committed, the stored answer.
 * If the database cannot answer, the request is refused as `charging_unavailable` with nothing
 * charged (fail closed).
 */
export class ChargingEngine implements CreditControl {
  readonly #db: Kysely<Database>;
  readonly #now: () => Date;
  readonly #settings: ChargingSettings;
  readonly #tariffs: CompiledTariffCache;
  readonly #numbering: NumberingContexts;
  readonly #recentLines = new RecentLines();
  readonly #lanes: Lane[];
  readonly #inFlight = new Map<string, Promise<CreditControlAnswer>>();
  readonly #options: ChargingEngineOptions;

  constructor(options: ChargingEngineOptions) {
    this.#options = options;
    this.#db = options.db;
    this.#now = options.now;
    this.#settings = options.settings ?? DEFAULT_CHARGING_SETTINGS;
    this.#tariffs = options.tariffs ?? compiledTariffCache;
    this.#numbering = new NumberingContexts(options.db);
    const laneCount = options.lanes ?? 1;
    const maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    this.#lanes = Array.from(
      { length: laneCount },
      () => new Lane(maxBatchSize, (batch) => this.#runBatch(batch)),
    );
  }

  initiate(request: CreditControlRequest): Promise<CreditControlAnswer> {
    return this.#submit('initiate', request);
  }

  update(request: CreditControlRequest): Promise<CreditControlAnswer> {
    return this.#submit('update', request);
  }

  terminate(request: CreditControlRequest): Promise<CreditControlAnswer> {
    return this.#submit('terminate', request);
  }

  event(request: CreditControlRequest): Promise<CreditControlAnswer> {
    return this.#submit('event', request);
  }

  /**
   * What an initiate would grant now, reserving nothing: the most each service could use
   * (CGRateS calls this authorisation, a softswitch asks it before it connects a call).
   */
  async authorise(request: Omit<CreditControlRequest, 'requestNumber'>): Promise<CreditControlAnswer> {
    const asInitiate = { ...request, requestNumber: 0 };
    const problem = checkCreditControlRequest('initiate', asInitiate);
    if (problem !== null)
      return {
        ok: false,
        sessionId: request.sessionId,
        requestNumber: 0,
        code: 'invalid_request',
        message: problem,
      };
    try {
      const prepared = await this.#prepare('initiate', asInitiate);
      const workspace = new ChargingWorkspace(this.#db, this.#now(), false);
      await workspace.load(keysOf([{ kind: 'request', prepared, done: () => {} }]));
      const tariffs = new Map<string, CompiledTariff>();
      const id = prepared.line?.ok === true ? prepared.line.line.tariffVersionId : null;
      if (id !== null && id !== undefined) tariffs.set(id, await this.#compiled(this.#db, id));
      return applyCreditControl(
        { workspace, settings: this.#settings, tariffOf: (versionId) => tariffs.get(versionId)! },
        prepared,
      );
    } catch (error) {
      this.#options.onError?.(error);
      return unavailable(asInitiate);
    }
  }

  /**
   * Expires sessions whose grants lapsed (RFC 4006 Validity-Time) and returns their holds in
   * full. Requests for a lapsed session expire it themselves; this sweep frees the money of
   * sessions the network forgot. Returns how many sessions it looked at.
   */
  async expireLapsed(limit = 500): Promise<number> {
    const lapsed = await this.#db
      .selectFrom('reservations as r')
      .innerJoin('charging_sessions as s', 's.id', 'r.session_id')
      .select(['s.tenant_id', 's.session_key'])
      .distinct()
      .where('r.status', '=', 'pending')
      .where('r.expires_at', '<=', this.#now())
      .limit(limit)
      .execute();
    await Promise.all(
      lapsed.map(
        (row) =>
          new Promise<void>((done) =>
            this.#laneOf(row.session_key).enqueue({
              kind: 'expire',
              tenantId: row.tenant_id,
              sessionKey: row.session_key,
              done,
            }),
          ),
      ),
    );
    return lapsed.length;
  }

  #submit(operation: CreditControlOperation, request: CreditControlRequest): Promise<CreditControlAnswer> {
    const key = ChargingWorkspace.answerKey(request.tenantId, request.sessionId, request.requestNumber);
    const running = this.#inFlight.get(key);
    if (running !== undefined) return running;
    // Every answer passes here once (a retry sharing it is not counted again): the one place to count.
    const answer = this.#prepareAndQueue(operation, request).then(
      (given) => {
        this.#inFlight.delete(key);
        this.#options.metrics?.answered(operation, given);
        return given;
      },
      (error: unknown) => {
        this.#inFlight.delete(key);
        throw error;
      },
    );
    this.#inFlight.set(key, answer);
    return answer;
  }

  async #prepareAndQueue(
    operation: CreditControlOperation,
    request: CreditControlRequest,
  ): Promise<CreditControlAnswer> {
    const problem = checkCreditControlRequest(operation, request);
    if (problem !== null)
      return {
        ok: false,
        sessionId: request.sessionId,
        requestNumber: request.requestNumber,
        code: 'invalid_request',
        message: problem,
      };
    let prepared: PreparedRequest;
    try {
      prepared = await this.#prepare(operation, request);
    } catch (error) {
      this.#options.onError?.(error);
      return unavailable(request);
    }
    return new Promise((done) =>
      this.#laneOf(request.sessionId).enqueue({ kind: 'request', prepared, done }),
    );
  }

  /** Finds the line of an initiate or event, and compiles its tariff, before the batch locks anything. */
  async #prepare(operation: CreditControlOperation, request: CreditControlRequest): Promise<PreparedRequest> {
    if (operation !== 'initiate' && operation !== 'event') return { operation, request };
    if (request.subscriber === undefined)
      return {
        operation,
        request,
        line: { ok: false, message: `a ${operation} request must name its subscriber` },
      };
    const now = this.#now();
    const { kind, value } = request.subscriber;
    const recent = this.#recentLines.get(request.tenantId, kind, value, now.getTime());
    if (recent !== undefined) return { operation, request, line: { ok: true, line: recent } };
    const numbering = await this.#numbering.of(request.tenantId, now.getTime());
    const line = await resolveChargedLine(this.#db, request.tenantId, request.subscriber, now, numbering);
    if (!line.ok) return { operation, request, line };
    if (line.line.tariffVersionId !== null) await this.#compiled(this.#db, line.line.tariffVersionId);
    this.#recentLines.remember(request.tenantId, kind, value, line.line, now.getTime());
    return { operation, request, line };
  }

  #compiled(db: Kysely<Database>, versionId: string): Promise<CompiledTariff> {
    return this.#tariffs.get(versionId, () => readTariffDocument(db, versionId));
  }

  #laneOf(sessionKey: string): Lane {
    if (this.#lanes.length === 1) return this.#lanes[0]!;
    let hash = 0;
    for (let i = 0; i < sessionKey.length; i++) hash = (hash * 31 + sessionKey.charCodeAt(i)) | 0;
    return this.#lanes[Math.abs(hash) % this.#lanes.length]!;
  }

  async #runBatch(batch: readonly Work[], attempt = 1): Promise<void> {
    try {
      await this.#commitBatch(batch);
      return;
    } catch (error) {
      if (batch.length === 1 && attempt >= 2) {
        this.#options.onError?.(error);
        settleWithUnavailable(batch[0]!);
        return;
      }
    }
    // One request's failure must not fail the others: run each on its own. A request that lost a
    // race with its own duplicate in another process (a unique key, an answer stored meanwhile)
    // finds the first answer when it runs again.
    for (const work of batch) await this.#runBatch([work], 2);
  }

  async #commitBatch(batch: readonly Work[]): Promise<void> {
    const now = this.#now();
    const startedMs = performance.now();
    const outcomes = await this.#db.transaction().execute(async (trx) => {
      const workspace = new ChargingWorkspace(trx, now);
      await workspace.load(keysOf(batch));
      const tariffs = new Map<string, CompiledTariff>();
      for (const session of workspace.sessions.values()) {
        const id = session.rating.tariffVersionId;
        if (id !== '' && !tariffs.has(id)) tariffs.set(id, await this.#compiled(trx, id));
      }
      for (const work of batch) {
        const line = work.kind === 'request' ? work.prepared.line : undefined;
        const id = line?.ok === true ? line.line.tariffVersionId : null;
        if (id !== null && id !== undefined && !tariffs.has(id))
          tariffs.set(id, await this.#compiled(trx, id));
      }
      const ctx = {
        workspace,
        settings: this.#settings,
        tariffOf: (id: string) => {
          const tariff = tariffs.get(id);
          if (tariff === undefined) throw new Error(`tariff version ${id} was not loaded for the batch`);
          return tariff;
        },
      };
      const answers = batch.map((work) => this.#apply(ctx, work));
      if (!(await workspace.write()))
        throw new Error('a retried request was answered by another process meanwhile');
      return { answers, debited: debitedAccounts(workspace), opened: openedSessionLines(workspace) };
    });
    this.#options.metrics?.batchCommitted((performance.now() - startedMs) / 1000, batch.length);
    batch.forEach((work, i) => {
      if (work.kind === 'request') work.done(outcomes.answers[i]!);
      else work.done();
    });
    if (outcomes.debited.length > 0) this.#options.afterCommit?.(outcomes.debited);
    if (outcomes.opened.length > 0) this.#options.afterSessionsOpened?.(outcomes.opened);
  }

  #apply(ctx: Parameters<typeof applyCreditControl>[0], work: Work): CreditControlAnswer | null {
    const { workspace } = ctx;
    if (work.kind === 'expire') {
      const session = workspace.sessions.get(ChargingWorkspace.sessionKey(work.tenantId, work.sessionKey));
      if (session?.status === 'open') expireLapsedSession(workspace, session);
      return null;
    }
    const { request } = work.prepared;
    const stored = workspace.storedAnswers.get(
      ChargingWorkspace.answerKey(request.tenantId, request.sessionId, request.requestNumber),
    );
    if (stored !== undefined) return answerFromJson(stored);
    const answer = applyCreditControl(ctx, work.prepared);
    // Refusals that changed nothing (no such line or session, a malformed sequence) are not kept:
    // the request may succeed later, once the line is provisioned or the initiate has arrived.
    if (!answer.ok && !STORED_REFUSALS.has(answer.code)) return answer;
    workspace.answer({
      tenantId: request.tenantId,
      sessionKey: request.sessionId,
      requestNumber: request.requestNumber,
      answerJson: answerToJson(answer),
    });
    return answer;
  }
}

/** A queue of work run one batch at a time. */
class Lane {
  readonly #queue: Work[] = [];
  #draining = false;

  constructor(
    private readonly maxBatchSize: number,
    private readonly run: (batch: readonly Work[]) => Promise<void>,
  ) {}

  enqueue(work: Work): void {
    this.#queue.push(work);
    if (!this.#draining) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#queue.length > 0) await this.run(this.#queue.splice(0, this.maxBatchSize));
    } finally {
      this.#draining = false;
    }
  }
}

function keysOf(batch: readonly Work[]) {
  const sessions: { tenantId: string; sessionKey: string }[] = [];
  const accountIds: string[] = [];
  const subscriptionIds: string[] = [];
  const answers: { tenantId: string; sessionKey: string; requestNumber: number }[] = [];
  for (const work of batch) {
    if (work.kind === 'expire') {
      sessions.push({ tenantId: work.tenantId, sessionKey: work.sessionKey });
      continue;
    }
    const { request, line } = work.prepared;
    sessions.push({ tenantId: request.tenantId, sessionKey: request.sessionId });
    answers.push({
      tenantId: request.tenantId,
      sessionKey: request.sessionId,
      requestNumber: request.requestNumber,
    });
    if (line?.ok === true) {
      accountIds.push(line.line.accountId);
      subscriptionIds.push(line.line.subscriptionId);
    }
  }
  return { sessions, accountIds, subscriptionIds, answers };
}

function debitedAccounts(workspace: ChargingWorkspace): ChargedAccount[] {
  const seen = new Map<string, { tenantId: string; accountId: string; lines: Set<string>; caps: string[] }>();
  const accountOf = (tenantId: string, accountId: string) => {
    let found = seen.get(accountId);
    if (found === undefined) {
      found = { tenantId, accountId, lines: new Set(), caps: [] };
      seen.set(accountId, found);
    }
    return found;
  };
  for (const tx of workspace.transactions) accountOf(tx.tenantId, tx.accountId);
  for (const session of workspace.sessions.values())
    if (seen.has(session.accountId)) seen.get(session.accountId)!.lines.add(session.subscriptionId);
  for (const subscriptionId of workspace.capsReached) {
    const cap = workspace.caps.get(subscriptionId);
    if (cap !== undefined) accountOf(cap.tenantId, cap.accountId).caps.push(subscriptionId);
  }
  return [...seen.values()].map((a) => ({
    tenantId: a.tenantId,
    accountId: a.accountId,
    subscriptionIds: [...a.lines],
    capsReached: a.caps,
  }));
}

/** The lines of the sessions a batch opened (and kept: a refused initiate opens nothing). */
function openedSessionLines(workspace: ChargingWorkspace): ChargedAccount[] {
  const lines = new Map<string, ChargedAccount>();
  for (const session of workspace.sessions.values())
    if (session.isNew && !session.discarded && session.kind === 'session')
      lines.set(session.subscriptionId, {
        tenantId: session.tenantId,
        accountId: session.accountId,
        subscriptionIds: [session.subscriptionId],
        capsReached: [],
      });
  return [...lines.values()];
}

function unavailable(request: CreditControlRequest): CreditControlAnswer {
  return {
    ok: false,
    sessionId: request.sessionId,
    requestNumber: request.requestNumber,
    code: 'charging_unavailable',
    message: 'the balance store could not answer; nothing was charged; retry',
  };
}

function settleWithUnavailable(work: Work): void {
  if (work.kind === 'request') work.done(unavailable(work.prepared.request));
  else work.done();
}
