import { MemorySampler } from './memory-sampler.js';

/** What a workload reports of each phase: how long it took and its peak memory. */
export interface PhaseSummary {
  readonly phase: string;
  readonly elapsedMs: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

export interface PhaseOutcome<T> {
  readonly value: T;
  readonly summary: PhaseSummary;
}

/**
 * Lets a synchronous loop record memory between its slices (the sampler's timer cannot run); a
 * phase running worker threads also passes the heap use they last reported (see MemorySampler).
 */
export type SampleMemory = (workerHeapsUsedBytes?: number) => void;

/**
 * Runs one phase after a full garbage collection, so that its peak memory is its own and not the
 * garbage of the phase before (needs `node --expose-gc`; without it the peaks overlap).
 */
export async function runPhase<T>(
  phase: string,
  body: (sample: SampleMemory) => Promise<T> | T,
): Promise<PhaseOutcome<T>> {
  globalThis.gc?.();
  const sampler = new MemorySampler();
  sampler.start();
  const startedMs = performance.now();
  try {
    const value = await body((workerHeapsUsedBytes) => sampler.sample(workerHeapsUsedBytes));
    const elapsedMs = performance.now() - startedMs;
    return { value, summary: { phase, elapsedMs, ...sampler.stop() } };
  } catch (error) {
    sampler.stop();
    throw error;
  }
}

export function gcExposed(): boolean {
  return typeof globalThis.gc === 'function';
}
