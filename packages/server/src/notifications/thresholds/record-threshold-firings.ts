import { sql, type Transaction } from 'kysely';
import { bareArrayLiteral, textArrayLiteral } from '../../db/array-literal.js';
import type { Database } from '../../db/database-schema.js';
import { recordWebhookEvents, type WebhookEventInput } from '../../webhooks/record-webhook-event.js';
import { queueNotification } from '../queue-notification.js';
import { type FiringCandidate, firingKey, type ThresholdFiring } from './threshold-firing.js';

/**
 * Records the firings of one tenant and tells of the new ones, in the caller's transaction: a
 * firing is inserted once per (account, line, kind, subject, level, cycle key), and only a firing
 * inserted here queues its message (source key `firing:<id>`) and its webhook event, so a
 * threshold fires once per cycle however many processes evaluate it at once.
 *
 * The unique key of notification_firings treats a null line as distinct from every other (SQL
 * NULL semantics), so it cannot guard account-level firings alone: an advisory lock per account,
 * taken in account order (no deadlocks), serialises evaluators of the same accounts, and the
 * insert skips what is already recorded (read after the lock, so what a concurrent evaluator
 * committed is seen). The unique key stays the guard for line-level firings.
 */
export async function recordThresholdFirings(
  trx: Transaction<Database>,
  tenantId: string,
  candidates: readonly FiringCandidate[],
  now: Date,
): Promise<ThresholdFiring[]> {
  if (candidates.length === 0) return [];
  const unique = [...new Map(candidates.map((c) => [firingKey(c), c])).values()];
  const accountIds = [...new Set(unique.map((c) => c.accountId))].sort();
  await sql`
    select pg_advisory_xact_lock(hashtextextended(${tenantId} || ':notification_firings:' || a.id::text, 0))
    from unnest(${bareArrayLiteral(accountIds)}::uuid[]) with ordinality as a(id, n)
    order by a.n`.execute(trx);
  const { rows } = await sql<{
    id: string | bigint;
    account_id: string;
    subscription_id: string | null;
    kind: string;
    subject: string;
    level: string;
    cycle_key: string;
  }>`
    insert into notification_firings (tenant_id, account_id, subscription_id, kind, subject, level, cycle_key, observed,
      fired_at)
    select ${tenantId}::uuid, x.account_id, x.subscription_id, x.kind, x.subject, x.level, x.cycle_key,
      x.observed::jsonb, ${now}
    from unnest(
      ${bareArrayLiteral(unique.map((c) => c.accountId))}::uuid[],
      ${bareArrayLiteral(unique.map((c) => c.subscriptionId))}::uuid[],
      ${textArrayLiteral(unique.map((c) => c.kind))}::text[],
      ${textArrayLiteral(unique.map((c) => c.subject))}::text[],
      ${textArrayLiteral(unique.map((c) => c.level))}::text[],
      ${textArrayLiteral(unique.map((c) => c.cycleKey))}::text[],
      ${textArrayLiteral(unique.map((c) => JSON.stringify(c.observed)))}::text[]
    ) as x(account_id, subscription_id, kind, subject, level, cycle_key, observed)
    where not exists (
      select 1 from notification_firings f
      where f.tenant_id = ${tenantId}::uuid and f.account_id = x.account_id
        and f.subscription_id is not distinct from x.subscription_id and f.kind = x.kind
        and f.subject = x.subject and f.level = x.level and f.cycle_key = x.cycle_key)
    on conflict do nothing
    returning id, account_id, subscription_id, kind, subject, level, cycle_key`.execute(trx);
  const byKey = new Map(unique.map((c) => [firingKey(c), c]));
  const fired: ThresholdFiring[] = [];
  const webhooks: WebhookEventInput[] = [];
  // In the order found, so messages of one account come out lowest level first.
  const inserted = rows
    .map((row) => ({ row, candidate: byKey.get(firingKey(firingOf(tenantId, row)))! }))
    .sort((a, b) => unique.indexOf(a.candidate) - unique.indexOf(b.candidate));
  for (const { row, candidate } of inserted) {
    const firing = firingOf(tenantId, row);
    fired.push(firing);
    const data = { ...candidate.data, level: candidate.level, firingId: firing.id.toString() };
    await queueNotification(trx, {
      tenantId,
      accountId: candidate.accountId,
      ...(candidate.subscriptionId === null ? {} : { subscriptionId: candidate.subscriptionId }),
      event: candidate.event,
      data,
      sourceKey: `firing:${firing.id}`,
      urgent: candidate.urgent,
      occurredAt: now,
    });
    if (candidate.webhook !== null)
      webhooks.push({
        tenantId,
        type: candidate.webhook,
        data: {
          accountId: candidate.accountId,
          subscriptionId: candidate.subscriptionId,
          kind: candidate.kind,
          subject: candidate.subject,
          level: candidate.level,
          cycleKey: candidate.cycleKey,
          observed: candidate.observed,
          firingId: firing.id.toString(),
        },
        occurredAt: now,
      });
  }
  await recordWebhookEvents(trx, tenantId, webhooks);
  return fired;
}

function firingOf(
  tenantId: string,
  row: {
    id: string | bigint;
    account_id: string;
    subscription_id: string | null;
    kind: string;
    subject: string;
    level: string;
    cycle_key: string;
  },
): ThresholdFiring {
  return {
    id: BigInt(row.id),
    tenantId,
    accountId: row.account_id,
    subscriptionId: row.subscription_id,
    kind: row.kind as ThresholdFiring['kind'],
    subject: row.subject,
    level: row.level,
    cycleKey: row.cycle_key,
  };
}
