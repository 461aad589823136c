import { parentPort, workerData } from 'node:worker_threads';
import type { CompiledTariff } from '@tollgate/core';
import { formatTariffIssue, loadTariff } from '../tariffs/load-tariff.js';
import { rateCdrChunk } from './rate-cdr-chunk.js';
import { RatingTally } from './rating-tally.js';
import type { ChunkRequest, RatingWorkerData, WorkerReply } from './rating-worker-protocol.js';

/**
 * A rating worker thread of the parallel file path (RatingWorkerPool starts it): loads the tariff
 * once, says it is ready, then rates each chunk it receives and transfers the output back.
 */
const port = parentPort;
if (port === null) throw new Error('rating-worker runs as a worker thread (see rating-worker-pool.ts)');
const { source, context } = workerData as RatingWorkerData;
const reply = (message: WorkerReply, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);

const startedMs = performance.now();
const tariff = await loadRatingTariff();
if (typeof tariff === 'string') {
  reply({ kind: 'failed', message: tariff });
} else {
  // The parsed document is garbage now: collect it (with --expose-gc) so the heap use reported
  // at ready is the tariff's, as the main thread collects before each phase.
  globalThis.gc?.();
  port.on('message', (request: ChunkRequest) => {
    try {
      const chunkStartedMs = performance.now();
      const tally = new RatingTally();
      const chunk = new Uint8Array(request.buffer, 0, request.length);
      const output = rateCdrChunk(tariff, context, chunk, request.first, request.path, tally);
      const busyMs = performance.now() - chunkStartedMs;
      reply(
        {
          kind: 'rated',
          seq: request.seq,
          output: output.buffer as ArrayBuffer,
          outputOffset: output.byteOffset,
          outputLength: output.byteLength,
          tally: tally.toCounts(),
          busyMs,
          heapUsedBytes: process.memoryUsage().heapUsed,
        },
        [output.buffer as ArrayBuffer],
      );
    } catch (error) {
      reply({ kind: 'failed', message: `chunk ${request.seq}: ${(error as Error).message}` });
    }
  });
  reply({
    kind: 'ready',
    loadMs: performance.now() - startedMs,
    heapUsedBytes: process.memoryUsage().heapUsed,
  });
}

/** The compiled tariff alone (the document it was compiled from is not kept), or why not. */
async function loadRatingTariff(): Promise<CompiledTariff | string> {
  const loaded = await loadTariff(source);
  if (loaded.ok) return loaded.tariff;
  const shown = loaded.errors.slice(0, 5).map(formatTariffIssue).join('\n');
  return `the ${source.format} deck ${source.path} does not load (${loaded.errors.length} errors):\n${shown}`;
}
