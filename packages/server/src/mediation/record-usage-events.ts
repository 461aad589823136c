import type { Kysely } from 'kysely';
import { numberingContextOf } from '../accounts/subscription-store.js';
import type { Actor } from '../audit/record-audit-entry.js';
import { type CompiledTariffCache, compiledTariffCache } from '../catalog/compiled-tariff-cache.js';
import { readTariffDocument } from '../catalog/tariff-store.js';
import type { Database } from '../db/database-schema.js';
import { usageEventOutcome } from './formats/usage-event.js';
import { LineDirectory } from './line-directory.js';
import { rateSourceRecords } from './rate-source-records.js';
import { apiUsageSource } from './save-usage-source.js';
import { type AfterUsageCommit, storeUsageBatch } from './store-usage-batch.js';
import type { SourceRecord } from './usage-record.js';

/** A bound on one request: a batch is one transaction, and a client retries a whole request. */
export const MAX_USAGE_EVENTS_PER_REQUEST = 1_000;

export type UsageEventResult =
  | {
      readonly index: number;
      readonly recordKey: string;
      readonly status: 'loaded';
      readonly ratedUsageId: string;
    }
  | {
      readonly index: number;
      readonly recordKey: string;
      readonly status: 'duplicate';
      readonly ratedUsageId: string | null;
    }
  | {
      readonly index: number;
      readonly recordKey: string;
      readonly status: 'suspended';
      readonly suspendedRecordId: string | null;
      readonly reason: string;
      readonly field: string | null;
      readonly message: string;
    }
  | {
      readonly index: number;
      readonly recordKey: string | null;
      readonly status: 'skipped';
      readonly reason: string;
    };

export type RecordUsageEventsResult =
  | { readonly ok: true; readonly results: readonly UsageEventResult[] }
  | { readonly ok: false; readonly code: 'unknown_source'; readonly message: string };

/**
 * Takes a batch of usage events from the API, rated and stored as one transaction exactly as a
 * file's batch is. Each event is idempotent by its id within its source: sent again, it is a
 * duplicate and points at the rated usage stored the first time. Bad events are suspended with
 * their reason, like bad file records; the good events of the same request load.
 */
export async function recordUsageEvents(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  request: { readonly sourceName: string; readonly events: readonly unknown[] },
  tariffs: CompiledTariffCache = compiledTariffCache,
  afterCommit?: AfterUsageCommit,
): Promise<RecordUsageEventsResult> {
  if (request.events.length > MAX_USAGE_EVENTS_PER_REQUEST)
    throw new Error(
      `at most ${MAX_USAGE_EVENTS_PER_REQUEST} events per request; the schema should have refused`,
    );
  const found = await apiUsageSource(db, tenantId, request.sourceName, actor);
  if (!found.ok) return found;
  const { source } = found;
  const records: SourceRecord[] = request.events.map((event, index) => ({
    lineNumber: index + 1,
    raw: JSON.stringify(event),
    outcome: usageEventOutcome(event, source.profile),
  }));
  const directory = new LineDirectory(db, tenantId);
  const numbering = source.numbering ?? (await numberingContextOf(db, tenantId));
  const rated = await rateSourceRecords(records, {
    directory,
    numbering,
    tariff: (versionId) => tariffs.get(versionId, () => readTariffDocument(db, versionId)),
  });
  const stored = await storeUsageBatch(
    db,
    { tenantId, sourceId: source.id, fileId: null, reference: `usage-api:${source.name}` },
    {
      rated: rated.rated.map((d) => ({ ...d, lineNumber: null })),
      suspended: rated.suspended.map((d) => ({ ...d, lineNumber: null })),
      skipped: rated.skipped,
    },
  );
  if (stored.touched.length > 0) await afterCommit?.(stored.touched);
  const existing = await existingRatedIds(db, tenantId, source.id, [...stored.duplicates]);
  // Each event's draft by its position, and the first position of each key: the second event
  // with an id already in the request is its duplicate.
  const drafts = new Map<number, { readonly recordKey: string }>();
  const firstLine = new Map<string, number>();
  for (const draft of [...rated.rated, ...rated.suspended]) {
    drafts.set(draft.lineNumber!, draft);
    const first = firstLine.get(draft.recordKey);
    if (first === undefined || draft.lineNumber! < first) firstLine.set(draft.recordKey, draft.lineNumber!);
  }
  const results: UsageEventResult[] = records.map((record, index) => {
    if (record.outcome.kind === 'skip')
      return { index, recordKey: null, status: 'skipped', reason: record.outcome.reason };
    const key = drafts.get(index + 1)!.recordKey;
    return resultOf(index, key, firstLine.get(key) === index + 1, stored, existing);
  });
  return { ok: true, results };
}

function resultOf(
  index: number,
  key: string,
  first: boolean,
  stored: Awaited<ReturnType<typeof storeUsageBatch>>,
  existing: ReadonlyMap<string, string>,
): UsageEventResult {
  const loadedId = stored.loaded.get(key);
  if (loadedId !== undefined && first)
    return { index, recordKey: key, status: 'loaded', ratedUsageId: loadedId.toString() };
  const suspendedId = stored.suspended.get(key);
  const failure = stored.failures.get(key);
  if (failure !== undefined && suspendedId !== undefined && first)
    return {
      index,
      recordKey: key,
      status: 'suspended',
      suspendedRecordId: suspendedId,
      reason: failure.reason,
      field: failure.field,
      message: failure.message,
    };
  return {
    index,
    recordKey: key,
    status: 'duplicate',
    ratedUsageId: loadedId?.toString() ?? existing.get(key) ?? null,
  };
}

async function existingRatedIds(
  db: Kysely<Database>,
  tenantId: string,
  sourceId: string,
  keys: readonly string[],
): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .selectFrom('rated_usage')
    .select(['record_key', 'id'])
    .where('tenant_id', '=', tenantId)
    .where('source_id', '=', sourceId)
    .where('record_key', 'in', keys)
    .where('entry', '=', 'charge')
    .where('rerate_id', 'is', null)
    .execute();
  return new Map(rows.map((row) => [row.record_key, String(row.id)]));
}
