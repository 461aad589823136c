import type { Selectable } from 'kysely';
import type { UsageFileStatus, UsageFileTable } from './mediation-tables.js';

export interface FileRunCounts {
  /** The last line of the last committed batch: where a resumed run starts again. */
  readonly linesDone: bigint;
  readonly read: bigint;
  readonly loaded: bigint;
  readonly duplicate: bigint;
  readonly suspended: bigint;
  readonly skipped: bigint;
  /** Money charged by the loaded records, per currency, as decimal text of micro-units. */
  readonly ratedMicros: Readonly<Record<string, string>>;
}

/** One run over a usage file, as stored in usage_files. */
export interface FileRun {
  readonly id: string;
  readonly sourceId: string;
  readonly fileName: string;
  readonly contentSha256: string;
  readonly sizeBytes: bigint;
  readonly status: UsageFileStatus;
  readonly counts: FileRunCounts;
  readonly error: string | null;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
}

export function fileRunOf(row: Selectable<UsageFileTable>): FileRun {
  const rated = typeof row.rated_micros === 'string' ? JSON.parse(row.rated_micros) : row.rated_micros;
  return {
    id: row.id,
    sourceId: row.source_id,
    fileName: row.file_name,
    contentSha256: row.content_sha256.trim(),
    sizeBytes: BigInt(row.size_bytes),
    status: row.status,
    counts: {
      linesDone: BigInt(row.lines_done),
      read: BigInt(row.records_read),
      loaded: BigInt(row.records_loaded),
      duplicate: BigInt(row.records_duplicate),
      suspended: BigInt(row.records_suspended),
      skipped: BigInt(row.records_skipped),
      ratedMicros: rated as Record<string, string>,
    },
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
