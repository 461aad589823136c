import { createHash } from 'node:crypto';
import { type CompiledTariff, type NumberingContext, normaliseE164 } from '@tollgate/core';
import { normaliseIdentifier } from '../accounts/normalise-identifier.js';
import { DEFAULT_EMERGENCY_NUMBERS, isEmergencyNumber } from '../charging/emergency-numbers.js';
import type { LineAtTime, LineDirectory } from './line-directory.js';
import { priceRecordedUsage, type RecordedUsagePricing } from './price-recorded-usage.js';
import type { RejectReason, SourceRecord, UsageRecord } from './usage-record.js';

/** A record ready to settle and store: normalised, its line found, its pricing ready. */
export interface RatedDraft {
  readonly lineNumber: number | null;
  readonly raw: string;
  readonly recordKey: string;
  /** The record with its subscriber and destination normalised. */
  readonly record: UsageRecord;
  readonly line: LineAtTime;
  readonly pricing: RecordedUsagePricing;
}

export interface SuspenseDraft {
  readonly lineNumber: number | null;
  readonly raw: string;
  readonly recordKey: string;
  readonly reason: RejectReason;
  readonly field: string | null;
  readonly message: string;
}

export interface RatedBatch {
  readonly rated: RatedDraft[];
  readonly suspended: SuspenseDraft[];
  readonly skipped: number;
}

export interface RatingContext {
  readonly directory: LineDirectory;
  readonly numbering: NumberingContext;
  readonly tariff: (versionId: string) => Promise<CompiledTariff>;
}

/**
 * Normalises, looks up and prices a batch of source records, without touching balances: each
 * record becomes a draft to store, a record to suspend (with its reason), or a skip. Lines are
 * read for the whole batch at once and tariffs compiled once per version, so the per-record work
 * is in memory. Prices are computed lazily by the settlement, which knows what allowances cover.
 */
export async function rateSourceRecords(
  records: readonly SourceRecord[],
  context: RatingContext,
): Promise<RatedBatch> {
  const rated: RatedDraft[] = [];
  const suspended: SuspenseDraft[] = [];
  let skipped = 0;
  const normalised: { source: SourceRecord; record: UsageRecord; key: string }[] = [];
  for (const source of records) {
    const { outcome } = source;
    if (outcome.kind === 'skip') {
      skipped++;
      continue;
    }
    if (outcome.kind === 'reject') {
      suspended.push(suspense(source, rawKey(outcome.recordId, source.raw), outcome));
      continue;
    }
    const key = recordKey(outcome.record);
    const subscriber = normaliseIdentifier(
      outcome.record.subscriber.kind,
      outcome.record.subscriber.value,
      context.numbering,
    );
    if (!subscriber.ok) {
      suspended.push(
        suspense(source, key, { reason: 'invalid_number', field: 'subscriber', message: subscriber.message }),
      );
      continue;
    }
    normalised.push({
      source,
      key,
      record: {
        ...outcome.record,
        subscriber: { kind: outcome.record.subscriber.kind, value: subscriber.value },
        destination: normaliseDestination(outcome.record.destination, context.numbering),
      },
    });
  }
  await context.directory.load(normalised.map((n) => n.record.subscriber));
  const tariffs = new Map<string, CompiledTariff>();
  for (const { source, record, key } of normalised) {
    const lookup = context.directory.lookup(record.subscriber, record.startedAtMs);
    if (!lookup.ok) {
      suspended.push(suspense(source, key, lookup));
      continue;
    }
    if (lookup.line.barredBy !== null && !isEmergency(source, record)) {
      suspended.push(suspense(source, key, barredFailure(lookup.line)));
      continue;
    }
    let tariff = tariffs.get(lookup.line.tariffVersionId);
    if (tariff === undefined) {
      tariff = await context.tariff(lookup.line.tariffVersionId);
      tariffs.set(lookup.line.tariffVersionId, tariff);
    }
    rated.push({
      lineNumber: source.lineNumber,
      raw: source.raw,
      recordKey: key,
      record,
      line: lookup.line,
      pricing: priceRecordedUsage(tariff, lookup.line, record),
    });
  }
  return { rated, suspended, skipped };
}

/** An emergency number as dialled (normalising may have put the country code before it). */
function isEmergency(source: SourceRecord, record: UsageRecord): boolean {
  const dialled = source.outcome.kind === 'record' ? source.outcome.record.destination : record.destination;
  return isEmergencyNumber(dialled.trim(), DEFAULT_EMERGENCY_NUMBERS);
}

/** A barred line's chargeable usage waits in suspense for the fraud case's decision (emergency calls pass). */
function barredFailure(line: LineAtTime) {
  return {
    reason: 'line_barred' as const,
    field: 'subscriber',
    message: `line ${line.subscriptionId} is barred pending the review of fraud case ${line.barredBy}; reprocess once the case is dismissed`,
  };
}

function suspense(
  source: SourceRecord,
  recordKey: string,
  failure: { readonly reason: RejectReason; readonly field: string | null; readonly message: string },
): SuspenseDraft {
  return {
    lineNumber: source.lineNumber,
    raw: source.raw,
    recordKey,
    reason: failure.reason,
    field: failure.field,
    message: failure.message.slice(0, 2000),
  };
}

/**
 * The natural key of a record within its source: the source's own id when it has one (a switch's
 * unique id), else a digest of what makes the usage itself, so the same call written twice is one.
 */
export function recordKey(record: UsageRecord): string {
  if (record.recordId !== null) return record.recordId.slice(0, 256);
  const identity = [
    record.subscriber.kind,
    record.subscriber.value,
    record.service,
    record.direction,
    record.destination,
    record.startedAtMs,
    record.unit,
    record.units,
  ].join('\u001f');
  return `sha256:${createHash('sha256').update(identity).digest('hex')}`;
}

/** A record that could not be read is known by its id if it had one, else by its raw text. */
function rawKey(recordId: string | null, raw: string): string {
  if (recordId !== null && recordId.length > 0) return recordId.slice(0, 256);
  return `raw:${createHash('sha256').update(raw).digest('hex')}`;
}

/**
 * The other party in E.164 when it reads as a number in the source's numbering context; else as
 * written (a short code, an APN, a SIP URI without a number), for the tariff to match or not.
 */
function normaliseDestination(destination: string, numbering: NumberingContext): string {
  const trimmed = destination.trim();
  if (trimmed === '') return trimmed;
  const e164 = normaliseE164(trimmed, numbering);
  return e164.ok ? e164.value : trimmed;
}
