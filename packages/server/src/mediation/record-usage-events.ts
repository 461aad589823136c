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
import { storeUsageBatch } from './store-usage-batch.js';
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
  // Events of the API have no file line: their index answers for them in the response.
  const indexOf = new Map<string, number>();
  for (const draft of [...rated.rated, ...rated.suspended])
    if (!indexOf.has(draft.recordKey)) indexOf.set(draft.recordKey, draft.lineNumber! - 1);
  const stored = await storeUsageBatch(
    db,
    { tenantId, sourceId: source.id, fileId: null, reference: `usage-api:${source.name}` },
    {
      rated: rated.rated.map((d) => ({ ...d, lineNumber: null })),
      suspended: rated.suspended.map((d) => ({ ...d, lineNumber: null })),
      skipped: rated.skipped,
    },
  );
  const existing = await existingRatedIds(db, tenantId, source.id, [...stored.duplicates]);
  const results: UsageEventResult[] = records.map((record, index) => {
    if (record.outcome.kind === 'skip')
      return { index, recordKey: null, status: 'skipped', reason: record.outcome.reason };
    return resultOf(index, rated, stored, existing);
  });
  return { ok: true, results };
}

function resultOf(
  index: number,
  rated: Awaited<ReturnType<typeof rateSourceRecords>>,
  stored: Awaited<ReturnType<typeof storeUsageBatch>>,
  existing: ReadonlyMap<string, string>,
): UsageEventResult {
  const line = index + 1;
  const draft =
    rated.rated.find((d) => d.lineNumber === line) ?? rated.suspended.find((d) => d.lineNumber === line)!;
  const key = draft.recordKey;
  const loadedId = stored.loaded.get(key);
  if (loadedId !== undefined && !isLaterRepeat(rated, line, key))
    return { index, recordKey: key, status: 'loaded', ratedUsageId: loadedId.toString() };
  const suspendedId = stored.suspended.get(key);
  const failure = stored.failures.get(key);
  if (failure !== undefined && suspendedId !== undefined && !isLaterRepeat(rated, line, key))
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

/** The second event with the same id in one request is the duplicate; the first one counts. */
function isLaterRepeat(
  rated: Awaited<ReturnType<typeof rateSourceRecords>>,
  line: number,
  key: string,
): boolean {
  const first = [...rated.rated, ...rated.suspended]
    .filter((d) => d.recordKey === key)
    .reduce((min, d) => Math.min(min, d.lineNumber!), Number.POSITIVE_INFINITY);
  return first !== line;
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
