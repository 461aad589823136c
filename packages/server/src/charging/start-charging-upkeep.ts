import type { Kysely } from 'kysely';
import { expireLapsedBuckets } from '../balances/expire-lapsed-buckets.js';
import type { Database } from '../db/database-schema.js';
import type { ChargingEngine } from './charging-engine.js';

export interface ChargingUpkeep {
  stop(): Promise<void>;
}

/**
 * The periodic work of online charging in a serving process: expire sessions whose grants
 * lapsed (returning their holds) and allowances and balances past their validity. Every process
 * may run it: both are batches of conditional updates under row locks, so two processes sweeping
 * at once do each thing once.
 */
export function startChargingUpkeep(
  db: Kysely<Database>,
  engine: ChargingEngine,
  now: () => Date,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): ChargingUpkeep {
  let running: Promise<void> | null = null;
  const sweep = async () => {
    await engine.expireLapsed();
    await expireLapsedBuckets(db, now());
  };
  const timer = setInterval(() => {
    if (running !== null) return;
    running = sweep()
      .catch((error) => options.onError?.(error))
      .finally(() => {
        running = null;
      });
  }, options.intervalMs ?? 5_000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
