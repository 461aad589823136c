import type { Selectable } from 'kysely';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import type { RatedUsageTable } from './mediation-tables.js';
import type { SuspendedRecord, SuspenseAttempt } from './suspense-store.js';
import type { FileRun } from './usage-file-store.js';
import type { UsageSource } from './usage-source-store.js';

/** API views of mediation objects: exact decimals for money, decimal text for int8 counts. */

export function usageSourceView(source: UsageSource) {
  return {
    id: source.id,
    name: source.name,
    profile: source.profile,
    numbering: source.numbering,
    createdAt: source.createdAt.toISOString(),
    updatedAt: source.updatedAt.toISOString(),
  };
}

export function usageFileView(run: FileRun) {
  const rated: Record<string, string> = {};
  for (const [currency, micros] of Object.entries(run.counts.ratedMicros))
    rated[currency] = formatMoneyAmount(BigInt(micros), currency);
  return {
    id: run.id,
    sourceId: run.sourceId,
    fileName: run.fileName,
    contentSha256: run.contentSha256,
    sizeBytes: run.sizeBytes.toString(),
    status: run.status,
    linesDone: run.counts.linesDone.toString(),
    read: run.counts.read.toString(),
    loaded: run.counts.loaded.toString(),
    duplicate: run.counts.duplicate.toString(),
    suspended: run.counts.suspended.toString(),
    skipped: run.counts.skipped.toString(),
    rated,
    error: run.error,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

export function ratedUsageView(row: Selectable<RatedUsageTable>) {
  const currency = row.currency.trim();
  return {
    id: String(row.id),
    accountId: row.account_id,
    subscriptionId: row.subscription_id,
    sourceId: row.source_id,
    recordKey: row.record_key,
    entry: row.entry,
    reversesId: row.reverses_id === null ? null : String(row.reverses_id),
    rerateId: row.rerate_id,
    fileId: row.file_id,
    lineNumber: row.line_number === null ? null : Number(row.line_number),
    startedAt: row.started_at.toISOString(),
    service: row.service,
    direction: row.direction,
    subscriber: row.subscriber,
    destination: row.destination,
    unit: row.unit,
    units: String(row.units),
    currency,
    list: formatMoneyAmount(BigInt(row.list_micros), currency),
    allowanceUnits: String(row.allowance_units),
    charged: formatMoneyAmount(BigInt(row.charged_micros), currency),
    debited: formatMoneyAmount(BigInt(row.debited_micros), currency),
    settlement: row.settlement,
    ledgerTransactionId: row.ledger_transaction_id,
    chargingSessionId: row.charging_session_id,
    tariffVersionId: row.tariff_version_id,
    explanation: typeof row.explanation === 'string' ? JSON.parse(row.explanation) : row.explanation,
    createdAt: row.created_at.toISOString(),
  };
}

export function suspendedRecordView(record: SuspendedRecord) {
  return {
    ...record,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

export function suspenseAttemptView(attempt: SuspenseAttempt) {
  return { ...attempt, createdAt: attempt.createdAt.toISOString() };
}
