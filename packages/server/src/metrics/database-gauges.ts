import { type Kysely, sql } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import type { Database } from '../db/database-schema.js';

/** How long one reading of the database serves scrapes: several Prometheus servers cost one query. */
export const DEFAULT_GAUGE_MAX_AGE_MS = 5_000;

/** The job states counted: work waiting or running, and failures pg-boss still keeps. */
const JOB_STATES = ['created', 'retry', 'active', 'failed'] as const;

interface Reading {
  readonly up: boolean;
  readonly suspendedOpen: number;
  readonly notificationsQueued: number;
  readonly notificationsDue: number;
  readonly webhooksPending: number;
  readonly webhooksDue: number;
  readonly jobs: readonly { readonly queue: string; readonly state: string; readonly count: number }[];
}

const DOWN: Reading = {
  up: false,
  suspendedOpen: 0,
  notificationsQueued: 0,
  notificationsDue: 0,
  webhooksPending: 0,
  webhooksDue: 0,
  jobs: [],
};

/**
 * Backlogs read from the database when Prometheus scrapes, over every tenant: open suspended
 * records, messages and webhook deliveries waiting, jobs of the job queue. Each count is one
 * statement (the backlog ones on their partial indexes), and a reading is kept `maxAgeMs`, with
 * scrapes arriving meanwhile sharing it, so scraping cannot load the database. When the database
 * does not answer, `tollgate_database_up` is 0 and the backlogs are absent rather than stale.
 */
export class DatabaseGauges {
  readonly #db: Kysely<Database>;
  readonly #now: () => Date;
  readonly #maxAgeMs: number;
  #reading: { readonly at: number; readonly value: Promise<Reading> } | null = null;

  constructor(
    registry: Registry,
    db: Kysely<Database>,
    now: () => Date,
    maxAgeMs = DEFAULT_GAUGE_MAX_AGE_MS,
  ) {
    this.#db = db;
    this.#now = now;
    this.#maxAgeMs = maxAgeMs;
    const read = () => this.#read();
    const gauge = (name: string, help: string, pick: (reading: Reading) => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        async collect() {
          const reading = await read();
          this.reset();
          if (reading.up || name === 'tollgate_database_up') this.set(pick(reading));
        },
      });
    gauge(
      'tollgate_database_up',
      'Whether the database answered the last reading of the backlogs (1) or not (0)',
      (r) => (r.up ? 1 : 0),
    );
    gauge(
      'tollgate_suspended_records_open',
      'Usage records suspended and not yet resolved or discarded',
      (r) => r.suspendedOpen,
    );
    gauge(
      'tollgate_notifications_queued',
      'Notification messages queued to be sent',
      (r) => r.notificationsQueued,
    );
    gauge(
      'tollgate_notifications_due',
      'Notification messages queued whose send time has come (a backlog when it stays above zero)',
      (r) => r.notificationsDue,
    );
    gauge(
      'tollgate_webhook_deliveries_pending',
      'Webhook deliveries not yet delivered nor given up',
      (r) => r.webhooksPending,
    );
    gauge(
      'tollgate_webhook_deliveries_due',
      'Webhook deliveries pending whose next attempt is due (a backlog when it stays above zero)',
      (r) => r.webhooksDue,
    );
    new Gauge({
      name: 'tollgate_jobs',
      help: 'Jobs of the job queue (pg-boss) by queue and state: created (waiting), retry, active, failed (kept until pg-boss archives them)',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        const reading = await read();
        this.reset();
        for (const job of reading.jobs) this.set({ queue: job.queue, state: job.state }, job.count);
      },
    });
  }

  #read(): Promise<Reading> {
    const at = performance.now();
    if (this.#reading !== null && at - this.#reading.at < this.#maxAgeMs) return this.#reading.value;
    const value = this.#query().catch(() => DOWN);
    this.#reading = { at, value };
    return value;
  }

  async #query(): Promise<Reading> {
    const now = this.#now();
    const { rows } = await sql<{
      suspended_open: string | number | bigint;
      notifications_queued: string | number | bigint;
      notifications_due: string | number | bigint;
      webhooks_pending: string | number | bigint;
      webhooks_due: string | number | bigint;
      has_jobs: boolean;
    }>`select
        (select count(*) from suspended_records where status = 'open') as suspended_open,
        (select count(*) from notifications where status = 'queued') as notifications_queued,
        (select count(*) from notifications where status = 'queued' and send_after <= ${now}) as notifications_due,
        (select count(*) from webhook_deliveries where status = 'pending') as webhooks_pending,
        (select count(*) from webhook_deliveries where status = 'pending' and next_attempt_at <= ${now}) as webhooks_due,
        to_regclass('pgboss.job') is not null as has_jobs`.execute(this.#db);
    const row = rows[0]!;
    return {
      up: true,
      suspendedOpen: Number(row.suspended_open),
      notificationsQueued: Number(row.notifications_queued),
      notificationsDue: Number(row.notifications_due),
      webhooksPending: Number(row.webhooks_pending),
      webhooksDue: Number(row.webhooks_due),
      jobs: row.has_jobs ? await this.#jobs() : [],
    };
  }

  /**
   * pg-boss's table (in the schema jobs/start-job-queue.ts gives it) exists once a process of this
   * database has started the job queue.
   */
  async #jobs(): Promise<Reading['jobs']> {
    const { rows } = await sql<{ queue: string; state: string; count: string | number | bigint }>`
      select name as queue, state::text as state, count(*) as count
      from pgboss.job
      where state in (${sql.join(JOB_STATES.map((state) => sql.lit(state)))})
      group by name, state`.execute(this.#db);
    return rows.map((row) => ({ queue: row.queue, state: row.state, count: Number(row.count) }));
  }
}
