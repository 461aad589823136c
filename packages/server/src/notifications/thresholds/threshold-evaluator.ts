import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.js';
import {
  evaluateThresholds,
  MAX_ACCOUNTS_PER_EVALUATION,
  type ThresholdTouch,
} from './evaluate-thresholds.js';
import type { ThresholdFiring } from './threshold-firing.js';

/**
 * Runs threshold evaluation off the charging path: the engine's afterCommit hands it the accounts
 * a batch charged and returns at once; the evaluator runs one evaluation at a time and gathers
 * whatever batches commit meanwhile into the next (an account charged by ten batches is looked at
 * once), so under load it falls behind by one evaluation, never by a queue. Errors go to onError
 * and never reach the charge. Firings are decided by the database (notification_firings), so a
 * crash between commit and evaluation loses only a notice that the next usage brings back.
 */
export class ThresholdEvaluator {
  readonly #pending = new Map<
    string,
    { tenantId: string; accountId: string; lines: Set<string>; caps: Set<string> }
  >();
  #running: Promise<void> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date,
    private readonly onError: (error: unknown) => void = () => {},
    private readonly onFired: (firings: readonly ThresholdFiring[]) => void = () => {},
  ) {}

  /** Fire and forget, for the charging engine's afterCommit. */
  afterCharge(touches: readonly ThresholdTouch[]): void {
    for (const touch of touches) {
      let pending = this.#pending.get(touch.accountId);
      if (pending === undefined) {
        pending = { tenantId: touch.tenantId, accountId: touch.accountId, lines: new Set(), caps: new Set() };
        this.#pending.set(touch.accountId, pending);
      }
      for (const id of touch.subscriptionIds ?? []) pending.lines.add(id);
      for (const id of touch.capsReached ?? []) pending.caps.add(id);
    }
    if (this.#running === null) this.#running = this.#drain();
  }

  /** Evaluates now and waits, for mediation batches (whose callers may exit right after). */
  async afterUsage(touches: readonly ThresholdTouch[]): Promise<void> {
    try {
      for (let i = 0; i < touches.length; i += MAX_ACCOUNTS_PER_EVALUATION) {
        const fired = await evaluateThresholds(
          this.db,
          touches.slice(i, i + MAX_ACCOUNTS_PER_EVALUATION),
          this.now(),
        );
        if (fired.length > 0) this.onFired(fired);
      }
    } catch (error) {
      this.onError(error);
    }
  }

  /** Resolves once every evaluation asked for so far has run (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running !== null) await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.size > 0) {
        const batch = [...this.#pending.values()].slice(0, MAX_ACCOUNTS_PER_EVALUATION);
        for (const touch of batch) this.#pending.delete(touch.accountId);
        await this.afterUsage(
          batch.map((t) => ({
            tenantId: t.tenantId,
            accountId: t.accountId,
            subscriptionIds: [...t.lines],
            capsReached: [...t.caps],
          })),
        );
      }
    } finally {
      this.#running = null;
    }
  }
}
