import { collectDefaultMetrics, Registry } from 'prom-client';

let processRegistry: Registry | null = null;

/**
 * The process's own metrics (CPU, memory and heap, event loop lag, handles, GC): one registry per
 * process, made at the first scrape, because they describe the process whatever number of apps
 * it runs (tests build many), and collectDefaultMetrics starts an event loop monitor that is
 * never stopped.
 */
export function processMetricsRegistry(): Registry {
  if (processRegistry === null) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}
