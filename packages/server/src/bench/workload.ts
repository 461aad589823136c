import type { PhaseSummary } from './run-phase.js';

/** Sizes and seed of a bench run; each workload uses the ones it needs. */
export interface BenchOptions {
  readonly seed: number;
  readonly cdrs: number;
  /** CDRs in the ingest workload's file on PostgreSQL: --cdrs when given, else its own default. */
  readonly ingestCdrs: number;
  /** CDRs in the ingest workload's file on PGlite, which loads far slower. */
  readonly pgliteIngestCdrs: number;
  readonly prefixes: number;
  /** Rating worker threads of the parallel file path. */
  readonly workers: number;
  /** Keep the generated files in the temporary folder for inspection. */
  readonly keepFiles: boolean;
}

/**
 * One measured figure. `performance` figures have a target that reports PASS or MISS but never
 * fails the run (timings depend on the machine); a failed `check` means wrong results and does.
 */
export interface Figure {
  readonly kind: 'performance' | 'check' | 'info';
  readonly name: string;
  readonly value: string;
  readonly target?: string;
  readonly pass?: boolean;
}

export interface WorkloadReport {
  /** What was measured on: seed, sizes, files. */
  readonly parameters: readonly (readonly [string, string])[];
  readonly figures: readonly Figure[];
  /** Every phase in order, with its wall time and peak memory. */
  readonly phases: readonly PhaseSummary[];
  readonly notes: readonly string[];
}

/** A named benchmark; add one as a file in this folder and list it in workloads.ts. */
export interface Workload {
  readonly name: string;
  readonly description: string;
  run(options: BenchOptions): Promise<WorkloadReport>;
}
