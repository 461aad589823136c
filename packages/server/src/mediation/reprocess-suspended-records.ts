import { Readable } from 'node:stream';
import { type Kysely, sql } from 'kysely';
import { numberingContextOf } from '../accounts/subscription-store.js';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import { type CompiledTariffCache, compiledTariffCache } from '../catalog/compiled-tariff-cache.js';
import { readTariffDocument } from '../catalog/tariff-store.js';
import type { Database } from '../db/database-schema.js';
import { readSourceRecords } from './formats/read-source-records.js';
import { LineDirectory } from './line-directory.js';
import { type RatedBatch, rateSourceRecords } from './rate-source-records.js';
import { type StoredBatch, storeUsageBatch } from './store-usage-batch.js';
import type { SuspenseFilters } from './suspense-store.js';
import type { SourceRecord } from './usage-record.js';
import { findUsageSourceById, type UsageSource } from './usage-source-store.js';

export interface ReprocessSelection extends Omit<SuspenseFilters, 'status'> {
  /** Exactly these records (open ones; others are left alone). */
  readonly ids?: readonly string[] | undefined;
  /** At most this many records in one call. */
  readonly limit?: number | undefined;
}

export interface ReprocessSummary {
  readonly examined: number;
  readonly loaded: number;
  readonly duplicate: number;
  readonly suspended: number;
}

export const MAX_REPROCESS_RECORDS = 100_000;
const REPROCESS_BATCH_SIZE = 1_000;

interface OpenRecord {
  id: string;
  source_id: string;
  file_id: string | null;
  record_key: string;
  line_number: string | number | bigint | null;
  raw: string;
  attempts: number;
  header: string | null;
}

/**
 * Runs open suspended records through mediation again, with the lines and catalog as they are
 * now: after the operator edited a record, fixed a tariff or added the subscriber. A record that
 * rates is stored as rated usage under its original natural key, file and line, and resolved; one
 * that fails again stays open with its new reason. Every attempt is kept.
 */
export async function reprocessSuspendedRecords(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  selection: ReprocessSelection,
  tariffs: CompiledTariffCache = compiledTariffCache,
): Promise<ReprocessSummary> {
  const limit = Math.min(selection.limit ?? MAX_REPROCESS_RECORDS, MAX_REPROCESS_RECORDS);
  const summary = { examined: 0, loaded: 0, duplicate: 0, suspended: 0 };
  const sources = new Map<string, { source: UsageSource; directory: LineDirectory }>();
  const numbering = await numberingContextOf(db, tenantId);
  let afterId = '';
  while (summary.examined < limit) {
    const batch = await openRecords(
      db,
      tenantId,
      selection,
      afterId,
      Math.min(REPROCESS_BATCH_SIZE, limit - summary.examined),
    );
    if (batch.length === 0) break;
    afterId = batch[batch.length - 1]!.id;
    summary.examined += batch.length;
    for (const group of groupBy(batch, (r) => `${r.source_id}/${r.file_id ?? ''}`)) {
      const first = group[0]!;
      let known = sources.get(first.source_id);
      if (known === undefined) {
        const source = (await findUsageSourceById(db, tenantId, first.source_id))!;
        known = { source, directory: new LineDirectory(db, tenantId) };
        sources.set(first.source_id, known);
      }
      const outcome = await reprocessGroup(db, tenantId, actor, known, group, {
        numbering: known.source.numbering ?? numbering,
        tariff: (versionId) => tariffs.get(versionId, () => readTariffDocument(db, versionId)),
      });
      summary.loaded += outcome.loaded;
      summary.duplicate += outcome.duplicate;
      summary.suspended += outcome.suspended;
    }
  }
  if (summary.examined > 0) {
    await db.transaction().execute((trx) =>
      recordAuditEntry(trx, {
        tenantId,
        actor,
        action: 'suspended_records.reprocessed',
        objectType: 'suspended_records',
        objectId: selection.ids?.length === 1 ? selection.ids[0]! : 'selection',
        before: null,
        after: { selection, summary },
        occurredAt: new Date(),
      }),
    );
  }
  return summary;
}

async function openRecords(
  db: Kysely<Database>,
  tenantId: string,
  selection: ReprocessSelection,
  afterId: string,
  limit: number,
): Promise<OpenRecord[]> {
  const { rows } = await sql<OpenRecord>`
    select r.id, r.source_id, r.file_id, r.record_key, r.line_number, r.raw, r.attempts, f.header
    from suspended_records r left join usage_files f on f.id = r.file_id
    where r.tenant_id = ${tenantId} and r.status = 'open' and r.id::text > ${afterId}
      ${selection.ids === undefined ? sql`` : sql`and r.id = any(${[...selection.ids]}::uuid[])`}
      ${selection.sourceId === undefined ? sql`` : sql`and r.source_id = ${selection.sourceId}`}
      ${selection.fileId === undefined ? sql`` : sql`and r.file_id = ${selection.fileId}`}
      ${selection.reason === undefined ? sql`` : sql`and r.reason = ${selection.reason}`}
    order by r.id::text
    limit ${limit}`.execute(db);
  return rows;
}

async function reprocessGroup(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  known: { source: UsageSource; directory: LineDirectory },
  group: readonly OpenRecord[],
  context: Omit<Parameters<typeof rateSourceRecords>[1], 'directory'>,
): Promise<{ loaded: number; duplicate: number; suspended: number }> {
  const { source, directory } = known;
  const records: SourceRecord[] = [];
  for (const [index, record] of group.entries()) records.push(await readAgain(source, record, index + 1));
  const rated = await rateSourceRecords(records, { ...context, directory });
  // The record keeps the key it was suspended under, and its place in its file.
  const original = (line: number | null) => group[line! - 1]!;
  const placed: RatedBatch = {
    rated: rated.rated.map((d) => ({
      ...d,
      recordKey: original(d.lineNumber).record_key,
      lineNumber: lineOf(original(d.lineNumber)),
    })),
    suspended: rated.suspended.map((d) => ({
      ...d,
      recordKey: original(d.lineNumber).record_key,
      lineNumber: lineOf(original(d.lineNumber)),
    })),
    skipped: rated.skipped,
  };
  const first = group[0]!;
  const counts = { loaded: 0, duplicate: 0, suspended: 0 };
  await storeUsageBatch(
    db,
    { tenantId, sourceId: source.id, fileId: first.file_id, reference: `usage-reprocess:${first.id}` },
    placed,
    async (trx, stored) => {
      const outcomes = group.map((record) => outcomeOf(record, stored));
      for (const outcome of outcomes) counts[outcome.outcome]++;
      await recordAttempts(trx, tenantId, actor, group, outcomes);
    },
  );
  return counts;
}

function lineOf(record: OpenRecord): number | null {
  return record.line_number === null ? null : Number(record.line_number);
}

/** The record's raw text read again by its source's format; a header-named CSV gets its file's header. */
async function readAgain(source: UsageSource, record: OpenRecord, lineNumber: number): Promise<SourceRecord> {
  const text = record.header === null ? `${record.raw}\n` : `${record.header}\n${record.raw}\n`;
  for await (const batch of readSourceRecords(Readable.from([Buffer.from(text, 'utf8')]), source.profile, {
    batchSize: 1,
  })) {
    const read = batch[0];
    if (read !== undefined) return { ...read, lineNumber, raw: record.raw };
  }
  return {
    lineNumber,
    raw: record.raw,
    outcome: {
      kind: 'reject',
      reason: 'malformed_record',
      field: null,
      message: 'the record is empty',
      recordId: null,
    },
  };
}

interface AttemptOutcome {
  readonly outcome: 'loaded' | 'duplicate' | 'suspended';
  readonly ratedUsageId: bigint | null;
  readonly reason: string | null;
  readonly field: string | null;
  readonly message: string | null;
}

function outcomeOf(record: OpenRecord, stored: StoredBatch): AttemptOutcome {
  const loaded = stored.loaded.get(record.record_key);
  if (loaded !== undefined)
    return { outcome: 'loaded', ratedUsageId: loaded, reason: null, field: null, message: null };
  const failure = stored.failures.get(record.record_key);
  if (failure !== undefined)
    return {
      outcome: 'suspended',
      ratedUsageId: null,
      reason: failure.reason,
      field: failure.field,
      message: failure.message,
    };
  return {
    outcome: 'duplicate',
    ratedUsageId: null,
    reason: null,
    field: null,
    message: 'the record is stored as rated usage already',
  };
}

/** Keeps each attempt and moves each record on, two statements for the whole group. */
async function recordAttempts(
  trx: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  records: readonly OpenRecord[],
  outcomes: readonly AttemptOutcome[],
): Promise<void> {
  const ids = records.map((r) => r.id);
  const attempts = records.map((r) => r.attempts + 1);
  await sql`
    insert into suspense_attempts (tenant_id, suspended_record_id, attempt, raw, outcome, reason, message, actor_type, actor_id)
    select ${tenantId}::uuid, a.id, a.attempt, a.raw, a.outcome, a.reason, a.message, ${actor.type}, ${actor.id}
    from unnest(${ids}::uuid[], ${attempts}::int4[], ${records.map((r) => r.raw)}::text[],
      ${outcomes.map((o) => o.outcome)}::text[], ${outcomes.map((o) => o.reason)}::text[],
      ${outcomes.map((o) => o.message)}::text[]) as a(id, attempt, raw, outcome, reason, message)`.execute(
    trx,
  );
  await sql`
    update suspended_records r set attempts = a.attempt,
      status = case when a.outcome = 'suspended' then 'open' else 'resolved' end,
      rated_usage_id = a.rated_usage_id,
      -- A record that fails again shows its new reason; a resolved one keeps why it was suspended.
      reason = case when a.outcome = 'suspended' then a.reason else r.reason end,
      field = case when a.outcome = 'suspended' then a.field else r.field end,
      message = case when a.outcome = 'suspended' then a.message else r.message end, updated_at = now()
    from unnest(${ids}::uuid[], ${attempts}::int4[], ${outcomes.map((o) => o.outcome)}::text[],
      ${outcomes.map((o) => o.ratedUsageId?.toString() ?? null)}::int8[], ${outcomes.map((o) => o.reason)}::text[],
      ${outcomes.map((o) => o.field)}::text[], ${outcomes.map((o) => o.message)}::text[])
      as a(id, attempt, outcome, rated_usage_id, reason, field, message)
    where r.id = a.id and r.tenant_id = ${tenantId}`.execute(trx);
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key) ?? [];
    list.push(item);
    groups.set(key, list);
  }
  return [...groups.values()];
}
