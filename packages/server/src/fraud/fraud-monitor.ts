import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import {
  evaluateFraudRules,
  type FraudTouch,
  MAX_ACCOUNTS_PER_FRAUD_EVALUATION,
} from './evaluate-fraud-rules.js';
import type { RecordedFinding } from './record-fraud-findings.js';

/**
 * Runs the fraud rules off the charging path, as the ThresholdEvaluator runs bill-shock
 * thresholds: the engine's hooks hand it the lines a batch charged or opened sessions on and
 * return at once; the monitor runs one evaluation at a time and merges whatever batches commit
 * meanwhile into the next, so under load it falls behind by one evaluation, never by a queue.
 * Errors go to onError and never reach the charge. Cases are decided by the database (one open
 * case per line and kind), so a crash between commit and evaluation loses only a look that the
 * line's next usage brings back.
 */
export class FraudMonitor {
  readonly #pending = new Map<string, { tenantId: string; accountId: string; lines: Set<string> }>();
  #running: Promise<void> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date,
    private readonly onError: (error: unknown) => void = () => {},
    private readonly onFound: (found: readonly RecordedFinding[]) => void = () => {},
  ) {}

  /** Fire and forget, for the charging engine's hooks. */
  afterCharge(touches: readonly FraudTouch[]): void {
    for (const touch of touches) {
      let pending = this.#pending.get(touch.accountId);
      if (pending === undefined) {
        pending = { tenantId: touch.tenantId, accountId: touch.accountId, lines: new Set() };
        this.#pending.set(touch.accountId, pending);
      }
      for (const id of touch.subscriptionIds ?? []) pending.lines.add(id);
    }
    if (this.#running === null) this.#running = this.#drain();
  }

  /** Evaluates now and waits, for mediation batches (whose callers may exit right after). */
  async afterUsage(touches: readonly FraudTouch[]): Promise<void> {
    try {
      for (let i = 0; i < touches.length; i += MAX_ACCOUNTS_PER_FRAUD_EVALUATION) {
        const found = await evaluateFraudRules(
          this.db,
          touches.slice(i, i + MAX_ACCOUNTS_PER_FRAUD_EVALUATION),
          this.now(),
        );
        if (found.length > 0) this.onFound(found);
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
        const batch = [...this.#pending.values()].slice(0, MAX_ACCOUNTS_PER_FRAUD_EVALUATION);
        for (const touch of batch) this.#pending.delete(touch.accountId);
        await this.afterUsage(
          batch.map((t) => ({ tenantId: t.tenantId, accountId: t.accountId, subscriptionIds: [...t.lines] })),
        );
      }
    } finally {
      this.#running = null;
    }
  }
}
