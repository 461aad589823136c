import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import type { BenchOptions } from './workload.js';

export interface BenchArgs {
  /** Workload names as given; empty means every workload. */
  readonly workloads: readonly string[];
  readonly options: BenchOptions;
  readonly help: boolean;
}

export const DEFAULT_BENCH_OPTIONS: BenchOptions = {
  seed: 20_260_309,
  cdrs: 1_000_000,
  ingestCdrs: 10_000_000,
  pgliteIngestCdrs: 1_000_000,
  prefixes: 200_000,
  workers: availableParallelism(),
  keepFiles: false,
};

/** Bounds that keep a mistyped size from filling the disk or the heap. */
const MAX_CDRS = 100_000_000;
const MAX_PREFIXES = 2_000_000;
const MAX_WORKERS = 64;
/** The generator keeps 32 bits of state. */
const MAX_SEED = 0xffff_ffff;

export const BENCH_USAGE = `usage: npm run bench -- [workload ...] [--cdrs N] [--pglite-cdrs N] [--prefixes N] [--seed N] [--workers N] [--keep]
  workloads run in the order given (all when none is named)
  --cdrs N         CDRs to generate and rate (default ${DEFAULT_BENCH_OPTIONS.cdrs}; ingest: ${DEFAULT_BENCH_OPTIONS.ingestCdrs})
  --pglite-cdrs N  CDRs the ingest workload loads into PGlite (default ${DEFAULT_BENCH_OPTIONS.pgliteIngestCdrs}; never more than on PostgreSQL)
  --prefixes N     prefixes in the generated deck (default ${DEFAULT_BENCH_OPTIONS.prefixes})
  --seed N         seed of the generated data (default ${DEFAULT_BENCH_OPTIONS.seed})
  --workers N      rating worker threads of the parallel file path (default: available parallelism, ${DEFAULT_BENCH_OPTIONS.workers} here)
  --keep           keep the generated files in the temporary folder`;

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Reads the command line; a problem is returned as a message for the user. */
export function parseBenchArgs(argv: readonly string[]): Parsed<BenchArgs> {
  let parsed: ReturnType<typeof parseWith>;
  try {
    parsed = parseWith(argv);
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  const { values, positionals } = parsed;
  const cdrs = wholeNumber('--cdrs', values.cdrs, DEFAULT_BENCH_OPTIONS.cdrs, 1, MAX_CDRS);
  if (!cdrs.ok) return cdrs;
  // The ingest workload's file defaults to its own size, ten times the rating workload's.
  const ingestCdrs = values.cdrs === undefined ? DEFAULT_BENCH_OPTIONS.ingestCdrs : cdrs.value;
  const pgliteCdrs = wholeNumber(
    '--pglite-cdrs',
    values['pglite-cdrs'],
    DEFAULT_BENCH_OPTIONS.pgliteIngestCdrs,
    1,
    MAX_CDRS,
  );
  if (!pgliteCdrs.ok) return pgliteCdrs;
  const prefixes = wholeNumber(
    '--prefixes',
    values.prefixes,
    DEFAULT_BENCH_OPTIONS.prefixes,
    1,
    MAX_PREFIXES,
  );
  if (!prefixes.ok) return prefixes;
  const seed = wholeNumber('--seed', values.seed, DEFAULT_BENCH_OPTIONS.seed, 0, MAX_SEED);
  if (!seed.ok) return seed;
  const workers = wholeNumber('--workers', values.workers, DEFAULT_BENCH_OPTIONS.workers, 1, MAX_WORKERS);
  if (!workers.ok) return workers;
  const options = {
    cdrs: cdrs.value,
    ingestCdrs,
    pgliteIngestCdrs: Math.min(pgliteCdrs.value, ingestCdrs),
    prefixes: prefixes.value,
    seed: seed.value,
    workers: workers.value,
    keepFiles: values.keep === true,
  };
  return { ok: true, value: { workloads: positionals, help: values.help === true, options } };
}

function parseWith(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      cdrs: { type: 'string' },
      'pglite-cdrs': { type: 'string' },
      prefixes: { type: 'string' },
      seed: { type: 'string' },
      workers: { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** A whole number from min to max; underscores and commas may group digits (1_000_000). */
function wholeNumber(
  flag: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
): Parsed<number> {
  if (text === undefined) return { ok: true, value: fallback };
  const digits = text.replace(/[_,]/g, '');
  const value = /^\d{1,12}$/.test(digits) ? Number(digits) : Number.NaN;
  if (value >= min && value <= max) return { ok: true, value };
  return { ok: false, error: `${flag} must be a whole number from ${min} to ${max}, not "${text}"` };
}
