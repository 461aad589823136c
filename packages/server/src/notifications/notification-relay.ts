import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { type PollingLoopLog, startPollingLoop } from '../jobs/polling-loop.js';
import { notifyFromWebhookEvents } from './notify-from-webhook-events.js';

export const DEFAULT_RELAY_POLL_MS = 3000;
/** How far back a full sweep looks: events older than this are never told (they would be stale news). */
export const DEFAULT_LOOKBACK_MS = 3 * 24 * 3_600_000;
/** How far before the previous pass a quick pass looks again: longer than any transaction that records events. */
export const DEFAULT_OVERLAP_MS = 15 * 60_000;
/** How often the whole look-back window is swept again. */
export const DEFAULT_FULL_SWEEP_MS = 3_600_000;

export interface NotificationRelayOptions {
  readonly now: () => Date;
  readonly log: PollingLoopLog;
  readonly pollMs?: number;
  readonly lookbackMs?: number;
  readonly overlapMs?: number;
  readonly fullSweepMs?: number;
  /** Called after a pass queued messages (to nudge the sender). */
  readonly onQueued?: () => void;
}

export interface NotificationRelay {
  /** Run a pass soon. */
  nudge(): void;
  stop(): Promise<void>;
  /** One full pass now (the whole look-back window); resolves to the messages queued. */
  relay(): Promise<number>;
}

/**
 * Turns outbox events into messages from this process, every pollMs. No watermark is stored: the
 * notifications' unique source key (`webhook:<event id>`) says which events are done, so any
 * number of processes may relay at once without doubling a message, and none can skip one. The
 * window a pass looks at is an optimisation the database overrules: a quick pass looks from
 * shortly before the previous one (events commit after their created_at, by the length of their
 * transaction), and every fullSweepMs (and at start) a pass looks over the whole look-back window.
 */
export function startNotificationRelay(
  db: Kysely<Database>,
  options: NotificationRelayOptions,
): NotificationRelay {
  const lookbackMs = options.lookbackMs ?? DEFAULT_LOOKBACK_MS;
  const overlapMs = options.overlapMs ?? DEFAULT_OVERLAP_MS;
  const fullSweepMs = options.fullSweepMs ?? DEFAULT_FULL_SWEEP_MS;
  // Elapsed time on this process's monotonic clock: the window is about when events were
  // recorded (the database's clock), not about the injected business clock.
  let lastPassAt: number | null = null;
  let lastSweepAt: number | null = null;

  const pass = async (full: boolean) => {
    const startedAt = performance.now();
    const sweep =
      full || lastPassAt === null || lastSweepAt === null || startedAt - lastSweepAt >= fullSweepMs;
    const windowMs = sweep
      ? lookbackMs
      : Math.min(lookbackMs, startedAt - (lastPassAt as number) + overlapMs);
    const summary = await notifyFromWebhookEvents(db, { now: options.now, lookbackMs: windowMs });
    // Only a pass that finished moves the window on; a bounded one is looked at again from the same point.
    if (!summary.moreDue) {
      lastPassAt = startedAt;
      if (sweep) lastSweepAt = startedAt;
    }
    if (summary.queued > 0) options.onQueued?.();
    return summary;
  };

  const loop = startPollingLoop({
    pollMs: options.pollMs ?? DEFAULT_RELAY_POLL_MS,
    firstDelayMs: 0,
    log: options.log,
    failure: 'notifying from webhook events failed; the next poll tries again',
    pass: () => pass(false),
  });
  return {
    nudge: loop.nudge,
    stop: loop.stop,
    relay: async () => (await loop.track(pass(true))).queued,
  };
}
