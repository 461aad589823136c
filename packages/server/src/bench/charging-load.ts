import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChargingTransport, Outcome } from './charging-transports.js';

/** Latencies in milliseconds, kept whole (a few hundred thousand numbers) and sorted once. */
export class LatencyRecorder {
  readonly #values: number[] = [];

  record(ms: number): void {
    this.#values.push(ms);
  }

  get count(): number {
    return this.#values.length;
  }

  summary(): LatencySummary {
    const sorted = Float64Array.from(this.#values).sort();
    const at = (q: number) =>
      sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
    return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: at(1) };
  }
}

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** Answers of a run by outcome; failures by reason. */
export class OutcomeTally {
  sent = 0;
  ok = 0;
  refused = 0;
  failed = 0;
  readonly reasons = new Map<string, number>();

  add(outcome: Outcome): void {
    if (outcome.kind === 'ok') this.ok += 1;
    else if (outcome.kind === 'refused') this.refused += 1;
    else {
      this.failed += 1;
      this.reasons.set(outcome.reason, (this.reasons.get(outcome.reason) ?? 0) + 1);
    }
  }

  get answered(): number {
    return this.ok + this.refused + this.failed;
  }

  describeFailures(): string {
    return [...this.reasons]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([reason, count]) => `${count}× ${reason}`)
      .join('; ');
  }
}

export interface SessionLoadOptions {
  /** Sessions open at once; each starts a new one as it ends. */
  readonly sessions: number;
  /** Requests per second the sessions send together: it sets their think time. */
  readonly offeredRate: number;
  readonly warmupS: number;
  readonly measureS: number;
  readonly subscribers: number;
  readonly msisdnOf: (i: number) => string;
  /** Updates between the initiate and the terminate. */
  readonly updates: number;
  /** Called as the measured window opens and as it closes (to sample CPU use). */
  readonly onWindow?: (edge: 'start' | 'end') => void;
}

export interface SessionLoadResult {
  /** Requests answered within the measured window, per second. */
  readonly ratePerS: number;
  readonly latency: LatencySummary;
  /** Every request of the run, warm-up and drain included. */
  readonly tally: OutcomeTally;
  readonly sessionsCompleted: number;
  /** The bench process's event loop utilisation over the window (0..1): is the generator the limit? */
  readonly clientEventLoopUtilisation: number;
}

/**
 * `sessions` concurrent charging sessions, each initiate, `updates` updates and a terminate with
 * a think time between requests (the network reporting a call's usage), a new session starting
 * as one ends, on a line no other open session uses. The think time is sessions / offeredRate
 * on average (uniform within ±50 %, so the sessions do not march in step), so the offered load
 * is `offeredRate` requests per second as long as answers come fast; the achieved rate and the
 * latencies are those of the requests answered within the window after the warm-up. At the end
 * no new sessions start and the open ones go straight on to their terminate (after their think
 * time), so every reservation is resolved when the run returns.
 */
export async function runSessionLoad(
  transport: ChargingTransport,
  options: SessionLoadOptions,
): Promise<SessionLoadResult> {
  const thinkMs = (options.sessions / options.offeredRate) * 1000;
  const startedMs = performance.now();
  const windowStartMs = startedMs + options.warmupS * 1000;
  const windowEndMs = windowStartMs + options.measureS * 1000;
  const latencies = new LatencyRecorder();
  const tally = new OutcomeTally();
  let inWindow = 0;
  let stopping = false;
  let sessionsCompleted = 0;

  const timed = async (send: () => Promise<Outcome>): Promise<Outcome> => {
    tally.sent += 1;
    const sentMs = performance.now();
    const outcome = await send();
    const doneMs = performance.now();
    tally.add(outcome);
    if (doneMs >= windowStartMs && doneMs < windowEndMs) {
      inWindow += 1;
      latencies.record(doneMs - sentMs);
    }
    return outcome;
  };
  const think = () => sleep(thinkMs * (0.5 + Math.random()));

  const runSlot = async (slot: number): Promise<void> => {
    await sleep(Math.random() * thinkMs);
    for (let cycle = 0; !stopping; cycle++) {
      const msisdn = options.msisdnOf((slot + cycle * options.sessions) % options.subscribers);
      const sessionId = transport.newSessionId();
      const initiated = await timed(() => transport.initiate(sessionId, msisdn));
      if (initiated.kind !== 'ok') {
        await think();
        continue;
      }
      let requestNumber = 1;
      for (; requestNumber <= options.updates && !stopping; requestNumber++) {
        await think();
        await timed(() => transport.update(sessionId, requestNumber));
      }
      await think();
      await timed(() => transport.terminate(sessionId, requestNumber));
      sessionsCompleted += 1;
      await think();
    }
  };

  const slots = Array.from({ length: options.sessions }, (_, slot) => runSlot(slot));
  await sleep(windowStartMs - performance.now());
  options.onWindow?.('start');
  const eluStart = performance.eventLoopUtilization();
  await sleep(windowEndMs - performance.now());
  const elu = performance.eventLoopUtilization(eluStart);
  options.onWindow?.('end');
  stopping = true;
  await Promise.all(slots);
  return {
    ratePerS: inWindow / options.measureS,
    latency: latencies.summary(),
    tally,
    sessionsCompleted,
    clientEventLoopUtilisation: elu.utilization,
  };
}

export interface HotAccountLoadResult {
  readonly tally: OutcomeTally;
  readonly elapsedMs: number;
  /** When the first insufficient_balance answer came, from the start; null if none came. */
  readonly firstRefusalMs: number | null;
  /** Successful debits answered before the first refusal. */
  readonly okBeforeFirstRefusal: number;
  readonly latency: LatencySummary;
}

/**
 * As many SMS events as `concurrency` requests in flight allow, for `durationS`, on the lines of
 * one shared account (each event on a random line): a closed loop, to find the most debits per
 * second one account takes.
 */
export async function runHotAccountLoad(
  transport: ChargingTransport,
  options: { readonly concurrency: number; readonly durationS: number; readonly msisdns: readonly string[] },
): Promise<HotAccountLoadResult> {
  const tally = new OutcomeTally();
  const latencies = new LatencyRecorder();
  const startedMs = performance.now();
  const endMs = startedMs + options.durationS * 1000;
  let firstRefusalMs: number | null = null;
  let okBeforeFirstRefusal = 0;
  const worker = async () => {
    while (performance.now() < endMs) {
      const msisdn = options.msisdns[Math.floor(Math.random() * options.msisdns.length)]!;
      tally.sent += 1;
      const sentMs = performance.now();
      const outcome = await transport.event(transport.newSessionId(), msisdn);
      const doneMs = performance.now();
      latencies.record(doneMs - sentMs);
      tally.add(outcome);
      if (outcome.kind === 'refused' && firstRefusalMs === null) firstRefusalMs = doneMs - startedMs;
      if (outcome.kind === 'ok' && firstRefusalMs === null) okBeforeFirstRefusal += 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return {
    tally,
    elapsedMs: performance.now() - startedMs,
    firstRefusalMs,
    okBeforeFirstRefusal,
    latency: latencies.summary(),
  };
}
