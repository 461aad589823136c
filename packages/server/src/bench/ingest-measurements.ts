import type { LedgerVerification } from '../balances/verify-ledger.js';
import type { IngestOutcome } from '../mediation/ingest-usage-file.js';
import type { CpuShares } from './charging-cpu.js';
import type { CopyRun } from './copy-rated-usage.js';
import type { WrittenUsageFile } from './generate-usage-file.js';
import type { MemoryByTenth } from './progress-memory.js';
import type { PhaseSummary } from './run-phase.js';
import type { WalActivity } from './wal-counters.js';
import type { BenchOptions } from './workload.js';

/** Everything the ingest workload measured, handed to its report. */
export interface IngestMeasurements {
  readonly options: BenchOptions;
  readonly settings: IngestSettings;
  readonly deck: string;
  readonly runs: readonly DatabaseRun[];
  /** Why PostgreSQL was not measured, when it was not. */
  readonly postgresSkipped: string | null;
  /** What the PostgreSQL server runs with: its version and the settings that weigh on bulk writes. */
  readonly postgresSettings: string | null;
  readonly phases: readonly PhaseSummary[];
}

export interface IngestSettings {
  readonly subscribers: number;
  readonly allowanceLines: number;
  readonly allowanceMinutes: number;
  /** Records per batch (one transaction each), as given to ingestUsageFile. */
  readonly batchSize: number;
}

/** One database's run: the ingestion, what it stored, and on PostgreSQL the COPY baseline. */
export interface DatabaseRun {
  readonly label: 'PostgreSQL' | 'PGlite';
  readonly file: WrittenUsageFile;
  readonly ingest: IngestRun;
  readonly stored: StoredUsage;
  readonly ledger: LedgerVerification;
  readonly copy: CopyBaseline | null;
}

export interface IngestRun {
  /** From the call to ingestUsageFile to its return. */
  readonly elapsedMs: number;
  readonly outcome: IngestOutcome;
  /** Peak memory by tenth of the file read. */
  readonly memory: MemoryByTenth;
  /** Records per second by tenth of the file's records. */
  readonly ratesByTenth: readonly number[];
  readonly cpu: CpuShares;
  /** On PostgreSQL: the WAL written and the checkpoints run meanwhile. */
  readonly wal: WalActivity | null;
}

/** What the database holds after the run, counted by SQL rather than trusted from the summary. */
export interface StoredUsage {
  readonly ratedRows: number;
  readonly ratedUnits: number;
  readonly chargedMicros: bigint;
  readonly accruedRows: number;
  readonly allowanceRows: number;
  readonly allowanceUnits: number;
  /** Suspended records of the run by reason. */
  readonly suspendedByReason: ReadonlyMap<string, number>;
}

export interface CopyBaseline {
  readonly exported: CopyRun;
  readonly copied: CopyRun;
  readonly cpu: CpuShares;
  readonly wal: WalActivity;
}
