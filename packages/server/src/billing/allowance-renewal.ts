import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { renewAllowances } from './renew-allowances.js';

export interface AllowanceRenewal {
  stop(): Promise<void>;
}

/** How often a serving process grants the allowances of cycles that began. */
const RENEW_EVERY_MS = 60 * 60 * 1000;

/**
 * Grants the current cycle's allowances of every tenant's lines now and then every hour, so a
 * cycle's allowances are in place within the hour it begins (bill runs grant them ahead for the
 * accounts they bill). Failures are logged and retried at the next tick.
 */
export function startAllowanceRenewal(
  db: Kysely<Database>,
  now: () => Date,
  log: { error(object: unknown, message: string): void },
): AllowanceRenewal {
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = running.then(async () => {
      try {
        const tenants = await db.selectFrom('tenants').select('id').execute();
        for (const tenant of tenants) await renewAllowances(db, tenant.id, now(), now());
      } catch (error) {
        log.error({ err: error }, 'allowance renewal failed; retried at the next tick');
      }
    });
  };
  tick();
  const timer = setInterval(tick, RENEW_EVERY_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
