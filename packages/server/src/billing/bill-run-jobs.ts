import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type PgBoss from 'pg-boss';
import type { Database } from '../db/database-schema.js';
import {
  type AccountOutcome,
  type BillChunkOptions,
  billAccounts,
  NOTHING_TO_BILL,
  recordRunOutcomes,
} from './bill-accounts.js';

/** The queue bill-run jobs go through. */
export const BILL_RUN_QUEUE = 'bill-run';

/** Accounts per job: one transaction each, large enough to amortise its statements. */
export const BILL_RUN_CHUNK = 200;

export interface BillRunJob {
  readonly runId: string;
  readonly tenantId: string;
  readonly accountIds: readonly string[];
}

/** Creates the queue (idempotent) with retries for jobs whose worker failed or died. */
export async function createBillRunQueue(boss: PgBoss): Promise<void> {
  await boss.createQueue(BILL_RUN_QUEUE, {
    name: BILL_RUN_QUEUE,
    retryLimit: 5,
    retryDelay: 2,
    expireInSeconds: 600,
  });
}

/** Puts the still pending accounts of a run on the queue, in chunks. */
export async function enqueueBillRun(
  boss: PgBoss,
  db: Kysely<Database>,
  runId: string,
  tenantId: string,
): Promise<number> {
  const pending = await db
    .selectFrom('bill_run_accounts')
    .select('account_id')
    .where('bill_run_id', '=', runId)
    .where('status', '=', 'pending')
    .orderBy('account_id')
    .execute();
  const jobs: { name: string; data: BillRunJob }[] = [];
  for (let start = 0; start < pending.length; start += BILL_RUN_CHUNK)
    jobs.push({
      name: BILL_RUN_QUEUE,
      data: {
        runId,
        tenantId,
        accountIds: pending.slice(start, start + BILL_RUN_CHUNK).map((p) => p.account_id),
      },
    });
  for (let start = 0; start < jobs.length; start += 500) await boss.insert(jobs.slice(start, start + 500));
  return jobs.length;
}

/**
 * Works bill-run jobs in this process: `concurrency` workers, each billing one chunk at a time.
 * Every process that runs this shares the queue; a chunk is billed under the accounts' locks, so a
 * job run twice (a retry after a crash) bills nothing twice.
 */
export async function workBillRuns(
  boss: PgBoss,
  db: Kysely<Database>,
  now: () => Date,
  concurrency: number,
): Promise<void> {
  for (let worker = 0; worker < concurrency; worker++)
    await boss.work<BillRunJob>(
      BILL_RUN_QUEUE,
      { batchSize: 1, pollingIntervalSeconds: 0.5 },
      async (jobs) => {
        for (const job of jobs) await runBillRunJob(db, job.data, now());
      },
    );
}

/** Bills one chunk of a run and records each account's outcome; closes the run after its last. */
export async function runBillRunJob(db: Kysely<Database>, job: BillRunJob, now: Date): Promise<void> {
  const run = await db.selectFrom('bill_runs').selectAll().where('id', '=', job.runId).executeTakeFirst();
  if (run === undefined) return;
  const pending = await db
    .selectFrom('bill_run_accounts')
    .select('account_id')
    .where('bill_run_id', '=', job.runId)
    .where(
      'account_id',
      'in',
      job.accountIds.length > 0 ? [...job.accountIds] : ['00000000-0000-0000-0000-000000000000'],
    )
    .where('status', '=', 'pending')
    .execute();
  if (pending.length > 0) {
    const outcomes = await billUntilCurrent(
      db,
      {
        tenantId: job.tenantId,
        runId: run.id,
        asOf: run.as_of,
        dryRun: run.dry_run,
        finalize: run.finalize,
        now,
      },
      pending.map((p) => p.account_id),
    );
    // A real run records each chunk's outcomes in the chunk's own transaction; a dry run rolls
    // its chunks back, so its previews are recorded here.
    if (run.dry_run) await recordRunOutcomes(db, run.id, true, outcomes, now);
  }
  await closeBillRunIfDone(db, run.id, now);
}

/** Cycles one run catches up on for an account that was not billed for a while (two years of months). */
const MAX_CYCLES_PER_RUN = 24;

/**
 * Bills each account cycle after cycle until none of its cycles ended by the run's date is left
 * (an account that missed runs catches up), keeping the last outcome of each. A dry run
 * previews the first cycle only: its invoices are never written, so the next would be the same.
 */
async function billUntilCurrent(
  db: Kysely<Database>,
  options: BillChunkOptions,
  accountIds: readonly string[],
): Promise<AccountOutcome[]> {
  const last = new Map<string, AccountOutcome>();
  let due = [...accountIds];
  for (let cycle = 0; cycle < MAX_CYCLES_PER_RUN && due.length > 0; cycle++) {
    const outcomes = await billAccounts(db, options, due);
    for (const outcome of outcomes) {
      const before = last.get(outcome.accountId);
      // An account keeps the outcome that says most: an invoice or a parking beats a later skip.
      if (before === undefined || outcome.status !== 'skipped') last.set(outcome.accountId, outcome);
    }
    if (options.dryRun) break;
    due = outcomes
      .filter((o) => o.status === 'invoiced' || (o.status === 'skipped' && o.reason === NOTHING_TO_BILL))
      .map((o) => o.accountId);
  }
  return [...last.values()];
}

/**
 * Marks a run done once none of its accounts is pending. Called after each chunk commits (two
 * chunks finishing at once may each still see the other's accounts pending, so whoever looks
 * later closes it: the update is idempotent).
 */
export async function closeBillRunIfDone(db: Kysely<Database>, runId: string, now: Date): Promise<void> {
  await sql`
    update bill_runs set status = 'done', finished_at = ${now}
    where id = ${runId}::uuid and status = 'running'
      and not exists (select 1 from bill_run_accounts where bill_run_id = ${runId}::uuid and status = 'pending')`.execute(
    db,
  );
}
