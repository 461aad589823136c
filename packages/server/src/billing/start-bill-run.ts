import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Actor } from '../audit/record-audit-entry.js';
import { recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { ensureBillingStates } from './ensure-billing-states.js';

export interface StartBillRunInput {
  readonly asOf: Date;
  readonly dryRun: boolean;
  readonly finalize: boolean;
}

/**
 * Opens a bill run: starts billing for accounts that have none yet, then lists every account
 * whose cycle ended at or before `asOf` as pending in the run. The caller puts the run on the
 * job queue; workers bill it chunk by chunk.
 */
export async function startBillRun(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  input: StartBillRunInput,
  now: Date,
): Promise<{ readonly runId: string; readonly accounts: number }> {
  await ensureBillingStates(db, tenantId, now);
  return db.transaction().execute(async (trx) => {
    const run = await trx
      .insertInto('bill_runs')
      .values({
        tenant_id: tenantId,
        as_of: input.asOf,
        dry_run: input.dryRun,
        finalize: input.finalize && !input.dryRun,
        status: 'running',
        actor_type: actor.type,
        actor_id: actor.id,
        created_at: now,
        finished_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const inserted = await sql`
      insert into bill_run_accounts (bill_run_id, account_id, tenant_id, status, updated_at)
      select ${run.id}::uuid, s.account_id, s.tenant_id, 'pending', ${now}
      from billing_states s where s.tenant_id = ${tenantId}::uuid and s.due_at <= ${input.asOf}`.execute(trx);
    const accounts = Number(inserted.numAffectedRows ?? 0n);
    await trx
      .updateTable('bill_runs')
      .set({
        accounts_total: accounts,
        ...(accounts === 0 ? { status: 'done' as const, finished_at: now } : {}),
      })
      .where('id', '=', run.id)
      .execute();
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'bill_run.started',
      objectType: 'bill_run',
      objectId: run.id,
      before: null,
      after: { asOf: input.asOf.toISOString(), dryRun: input.dryRun, finalize: input.finalize, accounts },
      occurredAt: now,
    });
    return { runId: run.id, accounts };
  });
}

export interface BillRunProgress {
  readonly id: string;
  readonly asOf: string;
  readonly dryRun: boolean;
  readonly finalize: boolean;
  readonly status: 'running' | 'done';
  readonly accounts: number;
  readonly pending: number;
  readonly invoiced: number;
  readonly skipped: number;
  readonly parked: number;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

/** A run with its accounts counted by outcome. */
export async function readBillRun(
  db: Kysely<Database>,
  tenantId: string,
  runId: string,
): Promise<BillRunProgress | undefined> {
  const run = await db
    .selectFrom('bill_runs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', runId)
    .executeTakeFirst();
  if (run === undefined) return undefined;
  const counts = await db
    .selectFrom('bill_run_accounts')
    .select((eb) => ['status', eb.fn.countAll<string>().as('n')])
    .where('bill_run_id', '=', runId)
    .groupBy('status')
    .execute();
  const count = (status: string) => Number(counts.find((c) => c.status === status)?.n ?? 0);
  return {
    id: run.id,
    asOf: run.as_of.toISOString(),
    dryRun: run.dry_run,
    finalize: run.finalize,
    status: run.status,
    accounts: run.accounts_total,
    pending: count('pending'),
    invoiced: count('invoiced'),
    skipped: count('skipped'),
    parked: count('parked'),
    createdAt: run.created_at.toISOString(),
    finishedAt: run.finished_at?.toISOString() ?? null,
  };
}
