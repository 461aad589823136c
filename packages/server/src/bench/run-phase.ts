import { type MemoryPeak, MemorySampler } from './memory-sampler.js';

export interface PhaseMemory extends MemoryPeak {
  readonly phase: string;
}

/** A step of a workload: its result, its wall time and its peak memory. */
export interface PhaseOutcome<T> {
  readonly value: T;
  readonly elapsedMs: number;
  readonly memory: PhaseMemory;
}

/** Lets a synchronous loop record memory between its slices (the sampler's timer cannot run). */
export type SampleMemory = () => void;

/**
 * Runs one phase after a full garbage collection, so its peak memory is its own and not the
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
    const value = await body(() => sampler.sample());
    const elapsedMs = performance.now() - startedMs;
    return { value, elapsedMs, memory: { phase, ...sampler.stop() } };
  } catch (error) {
    sampler.stop();
    throw error;
  }
}

export function gcExposed(): boolean {
  return typeof globalThis.gc === 'function';
}
