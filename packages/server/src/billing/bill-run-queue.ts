import type { Kysely } from 'kysely';
import type PgBoss from 'pg-boss';
import type { DatabaseHandle } from '../db/create-database.js';
import type { Database } from '../db/database-schema.js';
import { startJobQueue } from '../jobs/start-job-queue.js';
import { createBillRunQueue, enqueueBillRun, workBillRuns } from './bill-run-jobs.js';

/** Where the API and the CLI hand bill runs to the workers. */
export interface BillRunQueue {
  /** Puts the run's pending accounts on the queue; returns the jobs added. */
  enqueue(runId: string, tenantId: string): Promise<number>;
  stop(): Promise<void>;
  /** The job queue underneath, for the other queues of the process to share. */
  readonly boss: PgBoss;
}

/**
 * Starts the job queue on the database and, unless `workers` is 0, that many bill-run workers in
 * this process (every process that serves takes its share of the jobs).
 */
export async function startBillRunQueue(
  handle: DatabaseHandle,
  now: () => Date,
  workers: number,
): Promise<BillRunQueue> {
  const boss: PgBoss = await startJobQueue(handle);
  await createBillRunQueue(boss);
  if (workers > 0) await workBillRuns(boss, handle.db, now, workers);
  return queueOf(boss, handle.db);
}

function queueOf(boss: PgBoss, db: Kysely<Database>): BillRunQueue {
  return {
    enqueue: (runId, tenantId) => enqueueBillRun(boss, db, runId, tenantId),
    stop: () => boss.stop({ graceful: true, wait: true, timeout: 30_000 }),
    boss,
  };
}
