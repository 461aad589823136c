import type { Kysely } from 'kysely';
import type { Actor } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { FraudMonitor } from '../fraud/fraud-monitor.js';
import { MAX_USAGE_EVENTS_PER_REQUEST, recordUsageEvents } from '../mediation/record-usage-events.js';
import { saveUsageSource } from '../mediation/save-usage-source.js';
import { ThresholdEvaluator } from '../notifications/thresholds/threshold-evaluator.js';
import type { DemoUsageEvent, TimedUsageEvent } from './demo-usage.js';

/** The usage source the demo's traffic comes from, as a mobile core's or an SBC's would. */
export const DEMO_USAGE_SOURCE = 'demo-network';

export interface UsageCounts {
  readonly loaded: number;
  readonly suspended: number;
  readonly duplicate: number;
}

/**
 * Feeds the demo's usage, in time order, to mediation as POST /v1/usage does: batches of at most
 * a request's events, each rated and stored in one transaction (allowances spent, prepaid
 * balances debited, postpaid usage accrued), then the bill-shock thresholds of the accounts it
 * charged evaluated at the feed's clock, the time the batch is recorded at.
 */
export class DemoUsageFeed {
  readonly #db: Kysely<Database>;
  readonly #tenantId: string;
  readonly #actor: Actor;
  readonly #events: readonly TimedUsageEvent[];
  readonly #thresholds: ThresholdEvaluator;
  readonly #fraud: FraudMonitor;
  #next = 0;
  #clockMs: number;
  #counts = { loaded: 0, suspended: 0, duplicate: 0 };

  constructor(
    db: Kysely<Database>,
    tenantId: string,
    actor: Actor,
    events: readonly TimedUsageEvent[],
    startMs: number,
  ) {
    this.#db = db;
    this.#tenantId = tenantId;
    this.#actor = actor;
    this.#events = events;
    this.#clockMs = startMs;
    // A failing evaluation is a bug the demo should show, not swallow as a serving process does.
    this.#thresholds = new ThresholdEvaluator(
      db,
      () => new Date(this.#clockMs),
      (error) => {
        throw error;
      },
    );
    this.#fraud = new FraudMonitor(
      db,
      () => new Date(this.#clockMs),
      (error) => {
        throw error;
      },
    );
  }

  /** Defines the source as an admin would (PUT /v1/usage-sources/demo-network): JSON events, Berlin time. */
  async defineSource(): Promise<void> {
    const source = await saveUsageSource(this.#db, this.#tenantId, this.#actor, {
      name: DEMO_USAGE_SOURCE,
      profile: { format: 'jsonl', timeZone: 'Europe/Berlin' },
    });
    if (!source.ok) throw new Error(`demo activity: usage source refused: ${source.message}`);
  }

  get counts(): UsageCounts {
    return { ...this.#counts };
  }

  /** Records every event that started before `untilMs`, as the network sends it at `clockMs`. */
  async recordUntil(untilMs: number, clockMs: number): Promise<void> {
    this.#clockMs = Math.max(this.#clockMs, clockMs);
    const events = this.#events;
    while (this.#next < events.length && events[this.#next]!.atMs < untilMs) {
      const batch: DemoUsageEvent[] = [];
      while (
        this.#next < events.length &&
        events[this.#next]!.atMs < untilMs &&
        batch.length < MAX_USAGE_EVENTS_PER_REQUEST
      )
        batch.push(events[this.#next++]!.event);
      const result = await recordUsageEvents(
        this.#db,
        this.#tenantId,
        this.#actor,
        { sourceName: DEMO_USAGE_SOURCE, events: batch },
        undefined,
        async (touched) => {
          await this.#thresholds.afterUsage(touched);
          await this.#fraud.afterUsage(touched);
        },
      );
      if (!result.ok) throw new Error(`demo activity: usage refused: ${result.message}`);
      for (const { status } of result.results) if (status !== 'skipped') this.#counts[status]++;
    }
  }
}
