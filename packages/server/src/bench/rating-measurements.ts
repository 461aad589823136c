import type { CompiledTariff } from '@tollgate/core';
import type { TariffSource } from '../tariffs/load-tariff.js';
import type { CdrContext } from './cdr-rating-request.js';
import type { TariffComparison } from './compare-tariffs.js';
import type { RatingRun } from './measure-rating.js';
import type { FileRatingRun } from './rate-cdr-file.js';
import type { ParallelFileRatingRun, WorkerStartUp } from './rating-worker-pool.js';
import type { PhaseSummary } from './run-phase.js';
import type { ScanRun } from './scan-cdr-file.js';
import type { BenchOptions } from './workload.js';
import type { WrittenDeck } from './write-native-deck.js';

/** Everything the rating workload measured, handed to its report. */
export interface RatingMeasurements {
  readonly options: BenchOptions;
  readonly decks: WrittenDecks;
  readonly loaded: LoadedDecks;
  readonly inMemory: InMemoryResult;
  readonly filePath: FilePathResult;
  readonly phases: readonly PhaseSummary[];
}

/** The deck as written to disk, and what later phases need of it. */
export interface WrittenDecks {
  readonly native: WrittenDeck;
  readonly cgrates: WrittenDeck;
  readonly source: Omit<TariffSource, 'path' | 'format'>;
  readonly context: CdrContext;
  readonly prefixes: readonly string[];
  readonly description: string;
}

export interface LoadedDecks {
  readonly tariff: CompiledTariff;
  readonly nativeMs: number;
  readonly cgratesMs: number;
  readonly comparison: TariffComparison;
  /** Calls of the compared sample that cross a time band boundary. */
  readonly bandCrossings: number;
}

export interface InMemoryResult {
  readonly cdrFile: string;
  readonly cdrBytes: number;
  readonly meanDurationMs: number;
  readonly run: RatingRun;
}

export interface FilePathResult {
  readonly baseline: ScanRun;
  /** The file path on one thread. */
  readonly rated: FileRatingRun;
  readonly parallel: ParallelFilePathResult;
}

/** The file path on worker threads, and whether it wrote what the one-thread path wrote. */
export interface ParallelFilePathResult {
  readonly startUp: WorkerStartUp;
  readonly run: ParallelFileRatingRun;
  /** The young generation the workers were given, in MiB, or null for V8's default. */
  readonly workerYoungGenerationMb: number | null;
  readonly sameOutputAsOneThread: boolean;
}
