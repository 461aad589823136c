import type { Kysely } from 'kysely';
import type PgBoss from 'pg-boss';
import type { Database } from '../db/database-schema.js';
import type { PaymentGateways } from './gateways/payment-gateway.js';
import { runCollections } from './run-collections.js';

export const COLLECTIONS_QUEUE = 'collections';

interface CollectionsJob {
  readonly tenantId: string;
  /** Only these accounts (an invoice was just finalised); absent: the whole tenant. */
  readonly accountIds?: readonly string[];
}

/** Where finalisation and the schedule hand collection passes to the workers. */
export interface CollectionsQueue {
  /** Asks for a pass over a tenant (or some of its accounts) soon. */
  request(tenantId: string, accountIds?: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

export interface CollectionsSettings {
  /** Minutes between the scheduled passes over every tenant; 0: none. */
  readonly intervalMinutes: number;
  /** Whether this process works collection jobs (another process may). */
  readonly work: boolean;
  readonly log: { error(object: unknown, message: string): void };
}

/**
 * Collections (credit, autopay, dunning) as pg-boss jobs on Tollgate's database. Every process
 * asks for a whole-tenant pass each interval, but the singleton key of the period lets one job
 * per tenant and period in, whoever asks; a job is taken by one worker, retried if it dies. The
 * pass itself is idempotent, so a retried job does nothing twice.
 */
export async function startCollectionsQueue(
  boss: PgBoss,
  db: Kysely<Database>,
  gateways: PaymentGateways,
  now: () => Date,
  settings: CollectionsSettings,
): Promise<CollectionsQueue> {
  await boss.createQueue(COLLECTIONS_QUEUE, {
    name: COLLECTIONS_QUEUE,
    retryLimit: 3,
    retryDelay: 30,
    expireInSeconds: 3_600,
  });
  if (settings.work)
    await boss.work<CollectionsJob>(
      COLLECTIONS_QUEUE,
      { batchSize: 1, pollingIntervalSeconds: 2 },
      async (jobs) => {
        for (const job of jobs)
          await runCollections(
            db,
            gateways,
            job.data.tenantId,
            now(),
            job.data.accountIds === undefined ? {} : { accountIds: job.data.accountIds },
          );
      },
    );
  const scheduleAll = async () => {
    try {
      const tenants = await db.selectFrom('tenants').select('id').execute();
      const periodSeconds = settings.intervalMinutes * 60;
      for (const tenant of tenants)
        await boss.send(
          COLLECTIONS_QUEUE,
          { tenantId: tenant.id },
          { singletonKey: `collections:${tenant.id}`, singletonSeconds: periodSeconds },
        );
    } catch (error) {
      settings.log.error({ err: error }, 'collections could not be scheduled; the next interval tries again');
    }
  };
  const timer =
    settings.intervalMinutes > 0
      ? setInterval(() => void scheduleAll(), settings.intervalMinutes * 60_000)
      : null;
  timer?.unref();
  if (timer !== null) void scheduleAll();
  return {
    request: async (tenantId, accountIds) => {
      await boss.send(COLLECTIONS_QUEUE, accountIds === undefined ? { tenantId } : { tenantId, accountIds });
    },
    stop: async () => {
      if (timer !== null) clearInterval(timer);
    },
  };
}
