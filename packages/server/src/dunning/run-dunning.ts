import {
  type DueDunningStep,
  type DunningAction,
  dueDunningSteps,
  firstDunningDay,
  lateFeeMicros,
} from '@tollgate/core';
import { type Kysely, sql, type Transaction } from 'kysely';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { collectPayment } from '../payments/collect-payment.js';
import type { PaymentGateways } from '../payments/gateways/payment-gateway.js';
import {
  accountToday,
  lockAccountForPayments,
  type PaymentAccount,
} from '../payments/lock-account-for-payments.js';
import { recordWebhookEvent } from '../webhooks/record-webhook-event.js';
import { suspendAccountService, terminateAccountService } from './account-service.js';
import { type DunningPolicyRow, policyForGroup } from './dunning-policy-store.js';
import { settleDunningCase } from './settle-dunning-case.js';

const DUNNING_ACTOR: Actor = { type: 'system', id: 'dunning' };
/** Accounts looked at per query: the run walks a tenant's debtors in pages. */
const PAGE_ACCOUNTS = 500;

export interface DunningRunSummary {
  accounts: number;
  opened: number;
  resolved: number;
  steps: Record<DunningAction, number>;
  skipped: number;
  retries: { succeeded: number; failed: number; other: number };
}

interface RetryRequest {
  readonly accountId: string;
  readonly caseId: string;
  readonly stepIndex: number;
}

/**
 * One pass of dunning over a tenant's accounts as of `now`: cases open when the first step of
 * the customer group's policy comes due for the oldest unpaid invoice, each due step runs once
 * (dunning_steps' unique key: a second run at the same time, or the same run again, does
 * nothing more), paid cases close and restore service. Each account is its own transaction under
 * its payment lock; payment retries are sent to the gateway after that transaction commits.
 */
export async function runDunning(
  db: Kysely<Database>,
  gateways: PaymentGateways,
  tenantId: string,
  now: Date,
  options: { readonly accountIds?: readonly string[] } = {},
): Promise<DunningRunSummary> {
  const summary: DunningRunSummary = {
    accounts: 0,
    opened: 0,
    resolved: 0,
    steps: { reminder: 0, retry: 0, late_fee: 0, suspend: 0, terminate: 0, write_off: 0 },
    skipped: 0,
    retries: { succeeded: 0, failed: 0, other: 0 },
  };
  let after = '00000000-0000-0000-0000-000000000000';
  for (let page = 0; page < 1_000_000; page += 1) {
    const accounts = await debtorsAfter(db, tenantId, after, options.accountIds);
    if (accounts.length === 0) break;
    for (const account of accounts) {
      summary.accounts += 1;
      const retries = await db
        .transaction()
        .execute((trx) => dunAccount(trx, tenantId, account.id, account.customer_group, now, summary));
      for (const retry of retries) await sendRetry(db, gateways, tenantId, retry, now, summary);
    }
    after = accounts[accounts.length - 1]?.id ?? after;
    if (accounts.length < PAGE_ACCOUNTS) break;
  }
  for (const retry of await unsentRetries(db, tenantId))
    await sendRetry(db, gateways, tenantId, retry, now, summary);
  return summary;
}

/** Accounts with an unpaid finalised invoice or an open case, by id after `after`. */
async function debtorsAfter(
  db: Kysely<Database>,
  tenantId: string,
  after: string,
  only: readonly string[] | undefined,
): Promise<{ id: string; customer_group: string }[]> {
  const { rows } = await sql<{ id: string; customer_group: string }>`
    select a.id, c.customer_group from accounts a join customers c on c.id = a.customer_id
    where a.tenant_id = ${tenantId} and a.id > ${after}::uuid
      ${only === undefined ? sql`` : sql`and a.id = any(${`{${only.join(',')}}`}::uuid[])`}
      and (exists (select 1 from invoices i where i.tenant_id = a.tenant_id and i.account_id = a.id
                   and i.kind = 'invoice' and i.status = 'finalized'
                   and i.total_micros > i.credited_micros + i.paid_micros)
        or exists (select 1 from dunning_cases d where d.tenant_id = a.tenant_id and d.account_id = a.id
                   and d.status = 'open'))
    order by a.id limit ${PAGE_ACCOUNTS}`.execute(db);
  return rows;
}

async function dunAccount(
  trx: Transaction<Database>,
  tenantId: string,
  accountId: string,
  customerGroup: string,
  now: Date,
  summary: DunningRunSummary,
): Promise<RetryRequest[]> {
  const account = await lockAccountForPayments(trx, tenantId, accountId);
  if (account === undefined) return [];
  const today = accountToday(account, now);
  if ((await settleDunningCase(trx, tenantId, accountId, today, now)) !== null) {
    summary.resolved += 1;
    return [];
  }
  const policy = await policyForGroup(trx, tenantId, customerGroup);
  const open = await openCase(trx, tenantId, account, policy, today, now, summary);
  if (open === null) return [];
  const casePolicy =
    policy?.id === open.policy_id
      ? policy
      : await trx
          .selectFrom('dunning_policies')
          .selectAll()
          .where('id', '=', open.policy_id)
          .executeTakeFirstOrThrow();
  const retries: RetryRequest[] = [];
  for (const due of dueDunningSteps(casePolicy.steps, open.anchor_due_on, open.steps_done, today)) {
    const claimed = await trx
      .insertInto('dunning_steps')
      .values({
        tenant_id: tenantId,
        account_id: accountId,
        case_id: open.id,
        step_index: due.index,
        action: due.step.action,
        scheduled_on: due.scheduledOn,
        executed_at: now,
        outcome: JSON.stringify({ status: due.disposition === 'skip' ? 'skipped' : 'running' }),
      })
      .onConflict((c) => c.columns(['case_id', 'step_index']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (claimed === undefined) break;
    const outcome =
      due.disposition === 'skip'
        ? { status: 'skipped', reason: 'a later step of the same kind was due too' }
        : await runStep(trx, tenantId, account, open.id, due, now);
    if (due.disposition === 'skip') summary.skipped += 1;
    else summary.steps[due.step.action] += 1;
    if (due.disposition === 'run' && due.step.action === 'retry')
      retries.push({ accountId, caseId: open.id, stepIndex: due.index });
    await trx
      .updateTable('dunning_steps')
      .set({ outcome: JSON.stringify(outcome) })
      .where('id', '=', claimed.id)
      .execute();
    await trx
      .updateTable('dunning_cases')
      .set({ steps_done: due.index + 1 })
      .where('id', '=', open.id)
      .execute();
    await recordAuditEntry(trx, {
      tenantId,
      actor: DUNNING_ACTOR,
      action: `dunning.${due.step.action}`,
      objectType: 'account',
      objectId: accountId,
      before: null,
      after: { caseId: open.id, step: due.index, scheduledOn: due.scheduledOn, outcome },
      occurredAt: now,
    });
    if (due.step.action === 'write_off' && due.disposition === 'run') break;
  }
  return retries;
}

interface OpenCase {
  readonly id: string;
  readonly policy_id: string;
  readonly anchor_due_on: string;
  readonly steps_done: number;
}

/** The account's open case, or a new one when its policy's first step has come due. */
async function openCase(
  trx: Transaction<Database>,
  tenantId: string,
  account: PaymentAccount,
  policy: DunningPolicyRow | undefined,
  today: string,
  now: Date,
  summary: DunningRunSummary,
): Promise<OpenCase | null> {
  const existing = await trx
    .selectFrom('dunning_cases')
    .select(['id', 'policy_id', 'anchor_due_on', 'steps_done'])
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', account.id)
    .where('status', '=', 'open')
    .forUpdate()
    .executeTakeFirst();
  if (existing !== undefined) return existing;
  if (policy === undefined) return null;
  const unpaid = await unpaidInvoices(trx, tenantId, account.id);
  const oldest = unpaid[0];
  if (oldest === undefined) return null;
  if (firstDunningDay(policy.steps, oldest.due_on) > today) return null;
  const owed = unpaid.reduce((sum, invoice) => sum + invoice.outstanding_micros, 0n);
  if (owed < BigInt(policy.minimum_overdue_micros)) return null;
  const created = await trx
    .insertInto('dunning_cases')
    .values({
      tenant_id: tenantId,
      account_id: account.id,
      policy_id: policy.id,
      anchor_due_on: oldest.due_on,
      status: 'open',
      opened_at: now,
      suspended_at: null,
      restored_at: null,
      closed_at: null,
    })
    .returning(['id', 'policy_id', 'anchor_due_on', 'steps_done'])
    .executeTakeFirstOrThrow();
  summary.opened += 1;
  return created;
}

interface UnpaidInvoice {
  id: string;
  number: string | null;
  due_on: string;
  outstanding_micros: bigint;
}

async function unpaidInvoices(
  trx: Transaction<Database>,
  tenantId: string,
  accountId: string,
): Promise<UnpaidInvoice[]> {
  const { rows } = await sql<UnpaidInvoice>`
    select id, number, due_on, total_micros - credited_micros - paid_micros as outstanding_micros
    from invoices
    where tenant_id = ${tenantId} and account_id = ${accountId} and kind = 'invoice' and status = 'finalized'
      and total_micros > credited_micros + paid_micros
    order by due_on, sequence`.execute(trx);
  return rows.map((row) => ({ ...row, outstanding_micros: BigInt(row.outstanding_micros) }));
}

/** Does one step inside the account's transaction and returns what it did, for the record. */
async function runStep(
  trx: Transaction<Database>,
  tenantId: string,
  account: PaymentAccount,
  caseId: string,
  due: DueDunningStep,
  now: Date,
): Promise<Record<string, unknown>> {
  const unpaid = await unpaidInvoices(trx, tenantId, account.id);
  const today = accountToday(account, now);
  const overdue = unpaid
    .filter((invoice) => invoice.due_on < today)
    .reduce((sum, i) => sum + i.outstanding_micros, 0n);
  const owed = unpaid.reduce((sum, invoice) => sum + invoice.outstanding_micros, 0n);
  const money = (micros: bigint) => formatMoneyAmount(micros, account.currency);
  const base = { accountId: account.id, dunningCaseId: caseId, step: due.index, currency: account.currency };
  switch (due.step.action) {
    case 'reminder': {
      await recordWebhookEvent(trx, {
        tenantId,
        type: 'dunning.reminder',
        occurredAt: now,
        data: {
          ...base,
          daysFromDue: due.step.day,
          owed: money(owed),
          overdue: money(overdue),
          invoices: unpaid.map((i) => ({
            invoiceId: i.id,
            number: i.number,
            dueOn: i.due_on,
            amountDue: money(i.outstanding_micros),
          })),
        },
      });
      return { status: 'done', owedMicros: owed.toString(), notified: true };
    }
    case 'retry':
      return { status: 'requested', idempotencyKey: retryKey(caseId, due.index) };
    case 'late_fee': {
      const fee = lateFeeMicros(due.step, overdue > 0n ? overdue : owed);
      if (fee <= 0n) return { status: 'done', feeMicros: '0' };
      const charge = await trx
        .insertInto('account_charges')
        .values({
          tenant_id: tenantId,
          account_id: account.id,
          subscription_id: null,
          code: 'late_fee',
          description: `Late payment fee (${due.scheduledOn})`,
          amount_micros: fee,
          currency: account.currency,
          tax_category: 'late_fee',
          charged_at: now,
          invoice_id: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (due.step.notify !== false)
        await recordWebhookEvent(trx, {
          tenantId,
          type: 'dunning.late_fee',
          occurredAt: now,
          data: { ...base, chargeId: charge.id, fee: money(fee) },
        });
      return { status: 'done', chargeId: charge.id, feeMicros: fee.toString() };
    }
    case 'suspend': {
      const lines = await suspendAccountService(trx, tenantId, account.id, caseId, now);
      await trx
        .updateTable('dunning_cases')
        .set({ service: 'suspended', suspended_at: now })
        .where('id', '=', caseId)
        .execute();
      return { status: 'done', suspendedSubscriptionIds: lines };
    }
    case 'terminate': {
      const lines = await terminateAccountService(trx, tenantId, account.id, caseId, now);
      await trx
        .updateTable('dunning_cases')
        .set({ service: 'terminated' })
        .where('id', '=', caseId)
        .execute();
      return { status: 'done', terminatedSubscriptionIds: lines };
    }
    case 'write_off': {
      const ids = unpaid.map((invoice) => invoice.id);
      if (ids.length > 0)
        await trx
          .updateTable('invoices')
          .set({ status: 'uncollectible', written_off_at: now })
          .where('id', 'in', ids)
          .execute();
      await trx
        .updateTable('dunning_cases')
        .set({ status: 'written_off', closed_at: now })
        .where('id', '=', caseId)
        .execute();
      await recordWebhookEvent(trx, {
        tenantId,
        type: 'account.written_off',
        occurredAt: now,
        data: { ...base, writtenOff: money(owed), invoiceIds: ids },
      });
      return { status: 'done', writtenOffMicros: owed.toString(), invoiceIds: ids };
    }
  }
}

function retryKey(caseId: string, stepIndex: number): string {
  return `dunning:${caseId}:${stepIndex}`;
}

/** Retry steps recorded but never sent (the process stopped between commit and gateway). */
async function unsentRetries(db: Kysely<Database>, tenantId: string): Promise<RetryRequest[]> {
  const rows = await db
    .selectFrom('dunning_steps as s')
    .innerJoin('dunning_cases as c', 'c.id', 's.case_id')
    .select(['s.account_id', 's.case_id', 's.step_index'])
    .where('s.tenant_id', '=', tenantId)
    .where('s.action', '=', 'retry')
    .where('c.status', '=', 'open')
    .where(sql<boolean>`s.outcome ->> 'status' = 'requested'`)
    .limit(1000)
    .execute();
  return rows.map((row) => ({ accountId: row.account_id, caseId: row.case_id, stepIndex: row.step_index }));
}

/**
 * Charges what the account owes to its default method, once per step (the idempotency key is the
 * step's), and records the outcome on the step. Money that arrives settles the case at once.
 */
async function sendRetry(
  db: Kysely<Database>,
  gateways: PaymentGateways,
  tenantId: string,
  retry: RetryRequest,
  now: Date,
  summary: DunningRunSummary,
): Promise<void> {
  const result = await collectPayment(
    db,
    gateways,
    tenantId,
    DUNNING_ACTOR,
    {
      accountId: retry.accountId,
      purpose: 'dunning_retry',
      idempotencyKey: retryKey(retry.caseId, retry.stepIndex),
    },
    now,
  );
  const outcome = result.ok
    ? {
        status: result.payment.status,
        paymentId: result.payment.id,
        failureCode: result.payment.failure_code,
      }
    : { status: 'not_sent', reason: result.message };
  if (result.ok && result.payment.status === 'succeeded') summary.retries.succeeded += 1;
  else if (result.ok && result.payment.status === 'failed') summary.retries.failed += 1;
  else summary.retries.other += 1;
  await db
    .updateTable('dunning_steps')
    .set({ outcome: JSON.stringify(outcome) })
    .where('case_id', '=', retry.caseId)
    .where('step_index', '=', retry.stepIndex)
    .execute();
}
