import { sql, type Transaction } from 'kysely';
import { recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { recordWebhookEvents } from '../webhooks/record-webhook-event.js';
import { findFraudCase } from './fraud-case-store.js';
import type { FraudRuleKind, FraudRuleSettings } from './fraud-rules.js';
import type { FraudFinding } from './observe-fraud-patterns.js';

/** The system actor of what the rules do by themselves. */
export const FRAUD_MONITOR_ACTOR = { type: 'system', id: 'fraud-monitor' } as const;

export interface RecordedFinding {
  readonly caseId: string;
  readonly kind: FraudRuleKind;
  readonly subscriptionId: string;
  /** True: a case was opened; false: an occurrence was added to the open one. */
  readonly opened: boolean;
  readonly occurrences: number;
  readonly barred: boolean;
}

/**
 * Records a batch's findings in one statement: a new case per line and kind, or one more
 * occurrence on the open case when the finding rests on newer usage than the case has seen (the
 * unique index of open cases decides, so two evaluations at once add to one case). Opened cases
 * are audited (and the bar with them, for rules whose action is bar) and told by webhook when
 * the rule notifies; occurrences are not, so a burst is one alert.
 */
export async function recordFraudFindings(
  trx: Transaction<Database>,
  tenantId: string,
  findings: readonly FraudFinding[],
  rules: ReadonlyMap<FraudRuleKind, FraudRuleSettings>,
  now: Date,
): Promise<RecordedFinding[]> {
  if (findings.length === 0) return [];
  const input = findings.map((finding) => ({
    kind: finding.kind,
    customer_id: finding.line.customerId,
    account_id: finding.line.accountId,
    subscription_id: finding.line.id,
    summary: finding.summary.slice(0, 1000),
    evidence: finding.evidence,
    barred: rules.get(finding.kind)?.action === 'bar',
  }));
  const { rows } = await sql<{
    id: string;
    kind: FraudRuleKind;
    subscription_id: string;
    occurrences: number;
    barred: boolean;
    opened: boolean;
  }>`
    insert into fraud_cases as f (tenant_id, kind, customer_id, account_id, subscription_id, summary, evidence,
      barred, opened_at, last_seen_at, created_at)
    select ${tenantId}::uuid, x.kind, x.customer_id, x.account_id, x.subscription_id, x.summary, x.evidence,
      x.barred, ${now}, ${now}, ${now}
    from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as x(kind text, customer_id uuid, account_id uuid,
      subscription_id uuid, summary text, evidence jsonb, barred boolean)
    on conflict (tenant_id, subscription_id, kind) where status = 'open' do update
      set occurrences = f.occurrences + 1, last_seen_at = excluded.last_seen_at, summary = excluded.summary,
        evidence = excluded.evidence
      where (excluded.evidence->>'latestAt') > coalesce(f.evidence->>'latestAt', '')
    returning f.id, f.kind, f.subscription_id, f.occurrences, f.barred, (f.occurrences = 1) as opened`.execute(
    trx,
  );
  const recorded = rows.map(
    (row): RecordedFinding => ({
      caseId: row.id,
      kind: row.kind,
      subscriptionId: row.subscription_id,
      opened: row.opened,
      occurrences: row.occurrences,
      barred: row.barred,
    }),
  );
  const opened = recorded.filter((r) => r.opened);
  const events = [];
  for (const found of opened) {
    const shown = (await findFraudCase(trx, tenantId, found.caseId))!;
    await recordAuditEntry(trx, {
      tenantId,
      actor: FRAUD_MONITOR_ACTOR,
      action: 'fraud_case.opened',
      objectType: 'fraud_case',
      objectId: found.caseId,
      before: null,
      after: shown,
      occurredAt: now,
    });
    if (found.barred)
      await recordAuditEntry(trx, {
        tenantId,
        actor: FRAUD_MONITOR_ACTOR,
        action: 'subscription.barred',
        objectType: 'subscription',
        objectId: found.subscriptionId,
        before: { barred: false },
        after: { barred: true, fraudCaseId: found.caseId, kind: found.kind },
        occurredAt: now,
      });
    if (rules.get(found.kind)?.notify === true)
      events.push({ tenantId, type: 'fraud.case_opened' as const, data: { ...shown }, occurredAt: now });
  }
  await recordWebhookEvents(trx, tenantId, events);
  return recorded;
}
