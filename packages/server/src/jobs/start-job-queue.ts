import PgBoss from 'pg-boss';
import type { DatabaseHandle } from '../db/create-database.js';

/** The schema the job library keeps its tables in, beside Tollgate's own. */
const JOB_SCHEMA = 'pgboss';

/**
 * Starts the PostgreSQL-backed job queue (pg-boss) on Tollgate's own database, through the
 * handle's plain-SQL door, so that it works the same on PostgreSQL and on embedded PGlite and
 * needs no second connection pool. Jobs of every process sharing the database are one queue: a
 * job is taken by one worker (SKIP LOCKED), and a job whose worker died is retried.
 */
export async function startJobQueue(handle: DatabaseHandle): Promise<PgBoss> {
  const boss = new PgBoss({
    db: { executeSql: (text, values) => handle.executeSql(text, values) },
    schema: JOB_SCHEMA,
    // Bill runs and the like are started on demand; no cron schedules are kept yet.
    schedule: false,
  });
  // Errors of the library's own upkeep (a lost connection between polls) must not crash the
  // process; the next poll tries again.
  boss.on('error', () => {});
  await boss.start();
  return boss;
}
