import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { numberingContextOf } from '../accounts/subscription-store.js';
import { type CompiledTariffCache, compiledTariffCache } from '../catalog/compiled-tariff-cache.js';
import { readTariffDocument } from '../catalog/tariff-store.js';
import type { Database } from '../db/database-schema.js';
import type { UsageMetrics } from '../metrics/usage-metrics.js';
import { openUsageFile } from './formats/open-usage-file.js';
import { readSourceRecords } from './formats/read-source-records.js';
import { LineDirectory } from './line-directory.js';
import { type RatedBatch, rateSourceRecords } from './rate-source-records.js';
import { type AfterUsageCommit, storeUsageBatch } from './store-usage-batch.js';
import { type FileRun, type FileRunCounts, fileRunOf } from './usage-file-store.js';
import type { SourceRecord } from './usage-record.js';
import type { UsageSource } from './usage-source-store.js';

export interface IngestFileRequest {
  readonly tenantId: string;
  readonly source: UsageSource;
  readonly path: string;
  /** Records per batch: one database transaction each. */
  readonly batchSize?: number;
  /** Told after every stored batch. */
  readonly onProgress?: (progress: IngestProgress) => void;
  readonly tariffs?: CompiledTariffCache;
  /** Told the accounts of each batch after it commits (bill-shock thresholds); awaited. */
  readonly afterCommit?: AfterUsageCommit;
  /** Counts the records of each stored batch (GET /metrics of a serving process). */
  readonly metrics?: UsageMetrics;
}

export interface IngestProgress {
  readonly counts: FileRunCounts;
  readonly bytesRead: number;
  readonly sizeBytes: number;
}

export type IngestOutcome =
  | { readonly ok: true; readonly run: FileRun; readonly resumed: boolean }
  /** The file itself is broken (a corrupt gzip stream): what was read before the break is stored. */
  | { readonly ok: false; readonly code: 'file_failed'; readonly run: FileRun; readonly message: string }
  /** Another process is loading the same file of the same source right now. */
  | { readonly ok: false; readonly code: 'file_busy'; readonly message: string };

export const DEFAULT_INGEST_BATCH_SIZE = 5_000;

/**
 * Loads one usage file of a source: streamed a batch at a time, each batch rated, settled and
 * stored in one transaction together with the line the file run has reached. A run killed at any
 * moment resumes after its last committed line when the same file (by content) is loaded again;
 * records already stored are duplicates by their natural key, so nothing is counted twice.
 */
export async function ingestUsageFile(
  db: Kysely<Database>,
  request: IngestFileRequest,
): Promise<IngestOutcome> {
  const { tenantId, source } = request;
  const sizeBytes = (await stat(request.path)).size;
  const contentSha256 = await sha256OfFile(request.path);
  const started = await startFileRun(db, {
    tenantId,
    sourceId: source.id,
    fileName: basename(request.path),
    contentSha256,
    sizeBytes,
    header: namesColumns(source) ? await firstLine(request.path) : null,
  });
  if (!started.ok) return started;
  let run = started.run;
  const directory = new LineDirectory(db, tenantId);
  const numbering = source.numbering ?? (await numberingContextOf(db, tenantId));
  const tariffs = request.tariffs ?? compiledTariffCache;
  const tariff = (versionId: string) => tariffs.get(versionId, () => readTariffDocument(db, versionId));
  const file = await openUsageFile(request.path);
  const batches = readSourceRecords(file.records, source.profile, {
    batchSize: request.batchSize ?? DEFAULT_INGEST_BATCH_SIZE,
    afterLine: Number(run.counts.linesDone),
  });
  // Reads and rates the next batch: CPU work in this process, which overlaps the database's work
  // of storing the batch before it.
  const readAndRate = async (): Promise<{ records: readonly SourceRecord[]; rated: RatedBatch } | null> => {
    for (;;) {
      const next = await batches.next();
      if (next.done === true) return null;
      if (next.value.length === 0) continue;
      return {
        records: next.value,
        rated: await rateSourceRecords(next.value, { directory, numbering, tariff }),
      };
    }
  };
  let analysed = false;
  try {
    let pending = readAndRate();
    for (;;) {
      const batch = await pending;
      if (batch === null) break;
      pending = readAndRate();
      // Rejections of the read ahead surface at the next await; until then they are not unhandled.
      pending.catch(() => {});
      const { records, rated } = batch;
      const lastLine = BigInt(records[records.length - 1]!.lineNumber);
      const before = run;
      const stored = await storeUsageBatch(
        db,
        { tenantId, sourceId: source.id, fileId: run.id, reference: `usage-file:${run.id}:${lastLine}` },
        rated,
        async (trx, stored) => {
          run = await advanceFileRun(trx, before, {
            linesDone: lastLine,
            read: BigInt(records.length),
            loaded: BigInt(stored.loaded.size),
            duplicate: BigInt(stored.duplicateCount),
            suspended: BigInt(stored.suspended.size),
            skipped: BigInt(rated.skipped),
            chargedMicros: stored.chargedMicros,
          });
        },
      );
      request.metrics?.batchStored('file', {
        loaded: stored.loaded.size,
        duplicate: stored.duplicateCount,
        suspended: stored.suspended.size,
        skipped: rated.skipped,
      });
      if (stored.touched.length > 0) await request.afterCommit?.(stored.touched);
      if (!analysed) {
        await analyseUsageTables(db);
        analysed = true;
      }
      request.onProgress?.({ counts: run.counts, bytesRead: file.bytesRead(), sizeBytes });
    }
  } catch (error) {
    if (!isFileError(error)) throw error;
    const failed = await finishFileRun(db, run, 'failed', `${(error as Error).message}`.slice(0, 2000));
    return {
      ok: false,
      code: 'file_failed',
      run: failed,
      message: failed.error ?? 'the file could not be read',
    };
  } finally {
    await batches.return(undefined).catch(() => {});
    file.records.destroy();
  }
  return { ok: true, run: await finishFileRun(db, run, 'done', null), resumed: started.resumed };
}

/**
 * Refreshes the planner's statistics of the usage tables once a run has stored its first batch.
 * A table last analysed empty is planned as empty whatever it holds (so a duplicate check reads
 * it whole), and embedded PGlite runs no autovacuum to notice it grew; once analysed with rows,
 * the planner scales its estimates with the table's size by itself.
 */
async function analyseUsageTables(db: Kysely<Database>): Promise<void> {
  await sql`analyze rated_usage, suspended_records`.execute(db);
}

/** Errors of the file's bytes (a gzip stream cut short or corrupt), as opposed to the database's. */
function isFileError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('Z_') || code === 'ERR_INVALID_ARG_VALUE');
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

interface NewFileRun {
  readonly tenantId: string;
  readonly sourceId: string;
  readonly fileName: string;
  readonly contentSha256: string;
  readonly sizeBytes: number;
  readonly header: string | null;
}

/** A source whose files start with a header line naming the columns. */
function namesColumns(source: UsageSource): boolean {
  return source.profile.format === 'csv' && source.profile.csv?.header === true;
}

/** The header is at most a record long: 64 KiB is the bound a source puts on one record. */
const MAX_HEADER_CHARS = 65_536;

/** The file's first line (decompressed), without a byte-order mark or line break. */
async function firstLine(path: string): Promise<string | null> {
  const file = await openUsageFile(path);
  let text = '';
  try {
    for await (const chunk of file.records) {
      text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
      if (text.includes('\n') || text.length > MAX_HEADER_CHARS) break;
    }
  } finally {
    file.records.destroy();
  }
  const line = text
    .split('\n', 1)[0]!
    .replace(/^\uFEFF/, '')
    .replace(/\r$/, '');
  return line === '' ? null : line.slice(0, MAX_HEADER_CHARS);
}

/** Resumes the unfinished run over the same content of the same source, or starts a new one. */
async function startFileRun(
  db: Kysely<Database>,
  file: NewFileRun,
): Promise<{ ok: true; run: FileRun; resumed: boolean } | Extract<IngestOutcome, { code: 'file_busy' }>> {
  const existing = await db
    .selectFrom('usage_files')
    .selectAll()
    .where('tenant_id', '=', file.tenantId)
    .where('source_id', '=', file.sourceId)
    .where('content_sha256', '=', file.contentSha256)
    .where('status', '=', 'loading')
    .executeTakeFirst();
  if (existing !== undefined) return { ok: true, run: fileRunOf(existing), resumed: true };
  const inserted = await db
    .insertInto('usage_files')
    .values({
      tenant_id: file.tenantId,
      source_id: file.sourceId,
      file_name: file.fileName,
      content_sha256: file.contentSha256,
      size_bytes: BigInt(file.sizeBytes),
      header: file.header,
      status: 'loading',
      rated_micros: '{}',
      error: null,
      finished_at: null,
    })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted === undefined)
    return {
      ok: false,
      code: 'file_busy',
      message: `${file.fileName} (sha256 ${file.contentSha256.slice(0, 12)}…) is being loaded by another process`,
    };
  return { ok: true, run: fileRunOf(inserted), resumed: false };
}

interface BatchCounts {
  readonly linesDone: bigint;
  readonly read: bigint;
  readonly loaded: bigint;
  readonly duplicate: bigint;
  readonly suspended: bigint;
  readonly skipped: bigint;
  readonly chargedMicros: ReadonlyMap<string, bigint>;
}

/**
 * Moves the run past a batch, inside the batch's transaction. The update is conditional on the
 * line the run was at: if another process advanced the same run meanwhile, this batch rolls back
 * whole and the run stops, so no record is stored or counted twice.
 */
async function advanceFileRun(trx: Kysely<Database>, run: FileRun, batch: BatchCounts): Promise<FileRun> {
  const rated = { ...run.counts.ratedMicros };
  for (const [currency, micros] of batch.chargedMicros)
    rated[currency] = (BigInt(rated[currency] ?? '0') + micros).toString();
  const row = await trx
    .updateTable('usage_files')
    .set((eb) => ({
      lines_done: batch.linesDone,
      records_read: eb('records_read', '+', batch.read),
      records_loaded: eb('records_loaded', '+', batch.loaded),
      records_duplicate: eb('records_duplicate', '+', batch.duplicate),
      records_suspended: eb('records_suspended', '+', batch.suspended),
      records_skipped: eb('records_skipped', '+', batch.skipped),
      rated_micros: JSON.stringify(rated),
      updated_at: sql<Date>`now()`,
    }))
    .where('id', '=', run.id)
    .where('status', '=', 'loading')
    .where('lines_done', '=', run.counts.linesDone)
    .returningAll()
    .executeTakeFirst();
  if (row === undefined)
    throw new Error(`file run ${run.id} was advanced by another process; this process stops loading it`);
  return fileRunOf(row);
}

async function finishFileRun(
  db: Kysely<Database>,
  run: FileRun,
  status: 'done' | 'failed',
  error: string | null,
): Promise<FileRun> {
  const row = await db
    .updateTable('usage_files')
    .set({ status, error, finished_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', '=', run.id)
    .where('status', '=', 'loading')
    .returningAll()
    .executeTakeFirstOrThrow();
  return fileRunOf(row);
}
