import { mkdir, readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { UsageMetrics } from '../metrics/usage-metrics.js';
import { type IngestOutcome, ingestUsageFile } from './ingest-usage-file.js';
import type { AfterUsageCommit } from './store-usage-batch.js';
import { findUsageSource } from './usage-source-store.js';

export interface DropDirectoryOptions {
  readonly root: string;
  readonly tenantId: string;
  /** How often the directory is scanned. */
  readonly pollMs?: number;
  /** A file is taken once it has not changed for this long (its writer is done with it). */
  readonly settleMs?: number;
  /** Told the accounts of each stored batch (bill-shock thresholds). */
  readonly afterCommit?: AfterUsageCommit;
  /** Counts the records of each stored batch (GET /metrics). */
  readonly metrics?: UsageMetrics;
  readonly log: {
    info(fields: object, message: string): void;
    error(fields: object, message: string): void;
  };
}

export interface DropDirectoryWatcher {
  /** Stops scanning; resolves when the file being loaded (if any) is finished. */
  stop(): Promise<void>;
  /** Scans once now and loads what it finds (tests and the first scan use it). */
  scan(): Promise<void>;
}

/** The folders of a source's drop directory that hold files in their other states. */
export const DROP_SUBDIRECTORIES = { processing: '.processing', done: 'done', failed: 'failed' } as const;
/** A bound on files taken per scan, so a flood of files does not starve stopping. */
const MAX_FILES_PER_SCAN = 1_000;

/**
 * Watches a drop directory: `<root>/<source>/` per usage source. A new file (not hidden, not
 * `.part` or `.tmp`, unchanged for `settleMs`) is claimed by renaming it into `.processing/` (a
 * rename is atomic, so two processes never take the same file), loaded, and moved to `done/` or
 * `failed/`. Files left in `.processing/` by a process that died are loaded again at start, and
 * their run resumes where it stopped. Polling, not fs.watch: it behaves the same on every file
 * system, network mounts included.
 */
export function watchDropDirectory(
  db: Kysely<Database>,
  options: DropDirectoryOptions,
): DropDirectoryWatcher {
  const pollMs = options.pollMs ?? 2_000;
  const settleMs = options.settleMs ?? 2_000;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let recovered = false;

  const scan = async (): Promise<void> => {
    const sources = await readdir(options.root, { withFileTypes: true }).catch(() => []);
    let taken = 0;
    for (const entry of sources) {
      if (stopped || !entry.isDirectory() || entry.name.startsWith('.')) continue;
      const source = await findUsageSource(db, options.tenantId, entry.name);
      if (source === undefined) continue;
      const folder = join(options.root, entry.name);
      const processing = join(folder, DROP_SUBDIRECTORIES.processing);
      await mkdir(processing, { recursive: true });
      const claimed: string[] = [];
      if (!recovered) claimed.push(...(await fileNames(processing)));
      for (const name of await fileNames(folder)) {
        if (taken + claimed.length >= MAX_FILES_PER_SCAN) break;
        if (!(await settled(join(folder, name), settleMs))) continue;
        try {
          await rename(join(folder, name), join(processing, name));
          claimed.push(name);
        } catch {
          // Another process claimed it first.
        }
      }
      for (const name of claimed) {
        if (stopped) return;
        taken++;
        const path = join(processing, name);
        let outcome: IngestOutcome | undefined;
        try {
          outcome = await ingestUsageFile(db, {
            tenantId: options.tenantId,
            source,
            path,
            ...(options.afterCommit === undefined ? {} : { afterCommit: options.afterCommit }),
            ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
          });
        } catch (error) {
          // The database failed, not the file: leave it in .processing for the next start to resume.
          options.log.error(
            { file: path, err: error },
            'usage file could not be loaded; it stays to be resumed',
          );
          continue;
        }
        if (!outcome.ok && outcome.code === 'file_busy') continue;
        const target = join(folder, outcome.ok ? DROP_SUBDIRECTORIES.done : DROP_SUBDIRECTORIES.failed);
        await mkdir(target, { recursive: true });
        await rename(path, join(target, name));
        options.log.info(
          {
            file: name,
            source: source.name,
            run: outcome.run.id,
            status: outcome.run.status,
            counts: countsOf(outcome),
          },
          'usage file loaded',
        );
      }
    }
    recovered = true;
  };

  const tick = () => {
    running = running
      .then(scan)
      .catch((error) => options.log.error({ err: error }, 'drop directory scan failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, pollMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    scan: () => {
      running = running.then(scan);
      return running;
    },
    stop: async () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
  };
}

function countsOf(outcome: Exclude<IngestOutcome, { code: 'file_busy' }>) {
  const { counts } = outcome.run;
  return {
    read: counts.read.toString(),
    loaded: counts.loaded.toString(),
    duplicate: counts.duplicate.toString(),
    suspended: counts.suspended.toString(),
  };
}

async function fileNames(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.') && !/\.(part|tmp)$/i.test(e.name))
    .map((e) => e.name)
    .sort();
}

async function settled(path: string, settleMs: number): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs >= settleMs;
}
