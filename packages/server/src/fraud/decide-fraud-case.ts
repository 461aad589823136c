import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { conflict, invalid, notFound, type UseCaseFailure } from '../outcomes/use-case-failure.js';
import { recordWebhookEvent } from '../webhooks/record-webhook-event.js';
import { type FraudCase, findFraudCase } from './fraud-case-store.js';

export interface FraudDecision {
  readonly decision: 'confirm' | 'dismiss';
  readonly reason: string;
  /** Confirm only: bar the line (a confirmed case keeps a bar it has either way). */
  readonly bar?: boolean | undefined;
}

export type DecideFraudCaseResult = { readonly ok: true; readonly fraudCase: FraudCase } | UseCaseFailure;

/**
 * Decides an open case, audited: confirm keeps its bar, or bars the line when asked; dismiss
 * lifts its bar (other cases' bars stand). Usage the case looked at is not judged again: the rule
 * looks only at usage after the decision on that line. Recorded usage suspended while the line
 * was barred waits in suspense; reprocess it (reason line_barred) once the bar is lifted.
 */
export async function decideFraudCase(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  caseId: string,
  decision: FraudDecision,
  now: Date,
): Promise<DecideFraudCaseResult> {
  const reason = decision.reason.trim();
  if (reason === '') return invalid('/reason', 'say why: the reason is kept with the decision');
  if (decision.decision === 'dismiss' && decision.bar === true)
    return invalid('/bar', 'a dismissed case bars nothing; bar only with confirm');
  return db.transaction().execute(async (trx): Promise<DecideFraudCaseResult> => {
    const locked = await trx
      .selectFrom('fraud_cases')
      .select(['id', 'status', 'barred', 'subscription_id', 'kind'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', caseId)
      .forUpdate()
      .executeTakeFirst();
    if (locked === undefined) return notFound(`no fraud case ${caseId}`);
    if (locked.status !== 'open') return conflict(`fraud case ${caseId} is ${locked.status} already`);
    const before = (await findFraudCase(trx, tenantId, caseId))!;
    const barred = decision.decision === 'confirm' ? locked.barred || decision.bar === true : false;
    await trx
      .updateTable('fraud_cases')
      .set({
        status: decision.decision === 'confirm' ? 'confirmed' : 'dismissed',
        barred,
        decided_at: now,
        decided_by: `${actor.type}:${actor.id}`,
        reason,
      })
      .where('id', '=', caseId)
      .execute();
    const after = (await findFraudCase(trx, tenantId, caseId))!;
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: decision.decision === 'confirm' ? 'fraud_case.confirmed' : 'fraud_case.dismissed',
      objectType: 'fraud_case',
      objectId: caseId,
      before,
      after,
      occurredAt: now,
    });
    if (barred !== locked.barred)
      await recordAuditEntry(trx, {
        tenantId,
        actor,
        action: barred ? 'subscription.barred' : 'subscription.bar_lifted',
        objectType: 'subscription',
        objectId: locked.subscription_id,
        before: { barred: locked.barred, fraudCaseId: caseId },
        after: { barred, fraudCaseId: caseId, kind: locked.kind },
        occurredAt: now,
      });
    await recordWebhookEvent(trx, {
      tenantId,
      type: 'fraud.case_decided',
      data: { ...after },
      occurredAt: now,
    });
    return { ok: true, fraudCase: after };
  });
}
