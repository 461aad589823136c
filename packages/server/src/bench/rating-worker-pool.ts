import { open } from 'node:fs/promises';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import type { TariffSource } from '../tariffs/load-tariff.js';
import type { CdrContext } from './cdr-rating-request.js';
import { FileSink } from './file-sink.js';
import type { FileRatingRun } from './rate-cdr-file.js';
import { RATED_COLUMNS } from './rate-cdr-records.js';
import { RatingTally } from './rating-tally.js';
import type { ChunkRequest, RatingWorkerData, WorkerReply } from './rating-worker-protocol.js';
import { DEFAULT_CHUNK_BYTES } from './read-csv-batches.js';
import { readLineChunks } from './read-line-chunks.js';
import type { SampleMemory } from './run-phase.js';

export interface RatingWorkerPoolOptions {
  readonly source: TariffSource;
  readonly context: CdrContext;
  readonly workers: number;
}

export interface WorkerStartUp {
  /** From spawning the first worker until the last one is ready. */
  readonly wallMs: number;
  /** Each worker's own time to load the tariff. */
  readonly loadMs: readonly number[];
}

export interface ParallelFileRatingRun extends FileRatingRun {
  readonly workers: number;
  readonly chunks: number;
  /** Each worker's time spent rating chunks, of the run's elapsedMs. */
  readonly busyMs: readonly number[];
}

/** Chunks handed out and not yet written, per worker: one being rated, one waiting for it. */
export const CHUNKS_IN_FLIGHT_PER_WORKER = 2;

/**
 * The file path on several threads: worker threads that each load the tariff once, and a main
 * thread that only moves bytes. The main thread reads the CDR file in raw chunks of whole lines,
 * transfers them (no copy, no structured clone of records) round-robin to the workers, and writes
 * the outputs they transfer back strictly in input order, through a reorder buffer. At most
 * CHUNKS_IN_FLIGHT_PER_WORKER chunks per worker are read and not yet written, and the output waits
 * for the file to drain, so memory stays bounded whatever the file size.
 */
export class RatingWorkerPool {
  private readonly replies: { readonly index: number; readonly reply: WorkerReply }[] = [];
  private readonly heapUsedBytes: number[];
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private closing = false;
  private startedUp: WorkerStartUp | null = null;

  private constructor(private readonly workers: readonly Worker[]) {
    this.heapUsedBytes = workers.map(() => 0);
    workers.forEach((worker, index) => {
      this.listen(worker, index);
    });
  }

  get startUp(): WorkerStartUp {
    if (this.startedUp === null) throw new Error('RatingWorkerPool: not started');
    return this.startedUp;
  }

  /** Starts the workers and waits until every one has loaded the tariff. */
  static async start(options: RatingWorkerPoolOptions, sample?: SampleMemory): Promise<RatingWorkerPool> {
    if (!Number.isInteger(options.workers) || options.workers < 1) {
      throw new Error(`RatingWorkerPool: workers must be a whole number >= 1, not ${options.workers}`);
    }
    const startedMs = performance.now();
    const data: RatingWorkerData = { source: options.source, context: options.context };
    const pool = new RatingWorkerPool(Array.from({ length: options.workers }, () => spawnRatingWorker(data)));
    const loadMs = pool.workers.map(() => 0);
    try {
      for (let ready = 0; ready < pool.workers.length; ready++) {
        const { index, reply } = await pool.nextReply();
        if (reply.kind !== 'ready') throw new Error(`rating worker ${index}: ${reply.kind} before ready`);
        loadMs[index] = reply.loadMs;
        pool.heapUsedBytes[index] = reply.heapUsedBytes;
      }
    } catch (error) {
      await pool.close();
      throw error;
    }
    pool.startedUp = { wallMs: performance.now() - startedMs, loadMs };
    sample?.(pool.workerHeapsUsedBytes());
    return pool;
  }

  /**
   * Rates a CDR file into `id,cost,error` lines, as rateCdrFile does on one thread, with the same
   * header handling and byte for byte the same output.
   */
  async rateFile(
    inputPath: string,
    outputPath: string,
    sample: SampleMemory,
    chunkBytes = DEFAULT_CHUNK_BYTES,
  ): Promise<ParallelFileRatingRun> {
    const count = this.workers.length;
    const maxInFlight = count * CHUNKS_IN_FLIGHT_PER_WORKER;
    const tally = new RatingTally();
    const busyMs = this.workers.map(() => 0);
    /** Rated chunks that arrived before a chunk ahead of them: the reorder buffer. */
    const arrived = new Map<number, Extract<WorkerReply, { kind: 'rated' }>>();
    let sent = 0;
    let written = 0;
    const startedMs = performance.now();
    const input = await open(inputPath, 'r');
    const sink = new FileSink(outputPath);
    /** Waits for one rated chunk, then writes every chunk that is next in order. */
    const settleOne = async (): Promise<void> => {
      const { index, reply } = await this.nextReply();
      if (reply.kind !== 'rated') throw new Error(`rating worker ${index}: unexpected ${reply.kind}`);
      busyMs[index] = (busyMs[index] ?? 0) + reply.busyMs;
      this.heapUsedBytes[index] = reply.heapUsedBytes;
      arrived.set(reply.seq, reply);
      for (let next = arrived.get(written); next !== undefined; next = arrived.get(written)) {
        arrived.delete(written);
        written++;
        tally.addCounts(next.tally);
        await sink.write(new Uint8Array(next.output, next.outputOffset, next.outputLength));
      }
      sample(this.workerHeapsUsedBytes());
    };
    try {
      await sink.write(`${RATED_COLUMNS.join(',')}\n`);
      for await (const chunk of readLineChunks(input, inputPath, chunkBytes)) {
        while (sent - written >= maxInFlight) await settleOne();
        const request: ChunkRequest = {
          seq: sent,
          buffer: chunk.buffer,
          length: chunk.length,
          first: sent === 0,
          path: inputPath,
        };
        this.workers[sent % count]!.postMessage(request, [chunk.buffer]);
        sent++;
      }
      while (written < sent) await settleOne();
    } catch (error) {
      sink.abort();
      throw error;
    } finally {
      await input.close();
    }
    const outputBytes = await sink.close();
    const elapsedMs = performance.now() - startedMs;
    return { tally, outputBytes, elapsedMs, workers: count, chunks: sent, busyMs };
  }

  /** Stops the workers; a pool whose worker failed must be closed too. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private listen(worker: Worker, index: number): void {
    worker.on('message', (reply: WorkerReply) => this.receive(index, reply));
    worker.on('error', (error: Error) => {
      this.fail(new Error(`rating worker ${index} failed: ${error.message}`, { cause: error }));
    });
    worker.on('exit', (code: number) => {
      if (!this.closing) this.fail(new Error(`rating worker ${index} exited (code ${code})`));
    });
  }

  private receive(index: number, reply: WorkerReply): void {
    if (reply.kind === 'failed') this.fail(new Error(`rating worker ${index}: ${reply.message}`));
    else this.replies.push({ index, reply });
    this.signal();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.signal();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private async nextReply(): Promise<{ readonly index: number; readonly reply: WorkerReply }> {
    for (;;) {
      if (this.failure !== null) throw this.failure;
      const next = this.replies.shift();
      if (next !== undefined) return next;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private workerHeapsUsedBytes(): number {
    return this.heapUsedBytes.reduce((sum, bytes) => sum + bytes, 0);
  }
}

/** Workers get the young generation the main thread was given (--max-semi-space-size). */
export function workerResourceLimits(execArgv: readonly string[] = process.execArgv): ResourceLimits {
  const semiSpaceMb = semiSpaceSizeMb(execArgv);
  // V8 sizes the young generation as two semi-spaces plus a new large-object space of one.
  return semiSpaceMb === null ? {} : { maxYoungGenerationSizeMb: 3 * semiSpaceMb };
}

function semiSpaceSizeMb(execArgv: readonly string[]): number | null {
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] ?? '';
    const match = /^--max[-_]semi[-_]space[-_]size(?:=(\d+))?$/.exec(arg);
    if (match === null) continue;
    const value = Number(match[1] ?? execArgv[i + 1]);
    return Number.isInteger(value) && value > 0 ? value : null;
  }
  return null;
}

/**
 * From compiled JavaScript (dist) the worker is plain JS and inherits the main thread's node
 * options. From TypeScript source (vitest, tsx) it must load TypeScript itself: Node 20 runs no
 * `--import` preload in a worker, so a tiny script registers tsx's loader, then imports the source,
 * with the condition that resolves workspace packages to their sources.
 */
function spawnRatingWorker(workerData: RatingWorkerData): Worker {
  const resourceLimits = workerResourceLimits();
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./rating-worker.js', import.meta.url), { workerData, resourceLimits });
  }
  const tsxApi = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const source = JSON.stringify(new URL('./rating-worker.ts', import.meta.url).href);
  const script = `import(${tsxApi}).then(({ register }) => { register(); return import(${source}); });`;
  return new Worker(script, {
    eval: true,
    workerData,
    resourceLimits,
    execArgv: ['--conditions=tollgate-source'],
  });
}
