import { Counter, Histogram, type Registry } from 'prom-client';
import type { CreditControlAnswer, ServiceUnitKind } from '../charging/credit-control.js';

/** The credit-control operations as the engine names them (RFC 4006 CC-Request-Type). */
export type ChargingKind = 'initiate' | 'update' | 'terminate' | 'event';

const KINDS: readonly ChargingKind[] = ['initiate', 'update', 'terminate', 'event'];

/**
 * What the charging engine answered. The engine calls `answered` once for every answer it gives,
 * on the charging path, so it only adds to plain numbers kept per kind and result (no label
 * objects, no strings built, no prom-client calls); the counters are filled from those numbers
 * when Prometheus scrapes. Batches are observed directly: there is one per group commit.
 */
export class ChargingMetrics {
  readonly #requests = tallies();
  readonly #services = tallies();
  readonly #grantedUnits = new Map<ServiceUnitKind, number>();
  readonly #batchSeconds: Histogram<never>;
  readonly #batchSize: Histogram<never>;

  constructor(registry: Registry) {
    const requests = this.#requests;
    const services = this.#services;
    const grantedUnits = this.#grantedUnits;
    new Counter({
      name: 'tollgate_charging_requests_total',
      help: 'Credit-control requests answered, by operation and result (success, or the refusal code: insufficient_balance, unknown_subscriber, ...)',
      labelNames: ['kind', 'result'],
      registers: [registry],
      collect() {
        fill(this, requests);
      },
    });
    new Counter({
      name: 'tollgate_charging_services_total',
      help: 'Services (rating groups) in successful credit-control answers, by operation and result (success, insufficient_balance, rating_failed, service_denied)',
      labelNames: ['kind', 'result'],
      registers: [registry],
      collect() {
        fill(this, services);
      },
    });
    new Counter({
      name: 'tollgate_charging_granted_units_total',
      help: 'Units granted to the network (Granted-Service-Unit), by unit: seconds, bytes, messages or units',
      labelNames: ['unit'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [unit, total] of grantedUnits) this.inc({ unit }, total);
      },
    });
    this.#batchSeconds = new Histogram({
      name: 'tollgate_charging_batch_commit_duration_seconds',
      help: 'Time to apply and commit one charging batch (one database transaction of group commit)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    this.#batchSize = new Histogram({
      name: 'tollgate_charging_batch_size',
      help: 'Requests (and session expiries) per committed charging batch',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    });
  }

  /** Counts one answer the engine gave: called on the charging path, so it only adds. */
  answered(kind: ChargingKind, answer: CreditControlAnswer): void {
    if (!answer.ok) {
      add(this.#requests[kind], answer.code);
      return;
    }
    add(this.#requests[kind], 'success');
    for (const service of answer.services) {
      add(this.#services[kind], service.resultCode);
      if (service.grantedUnits > 0n) add(this.#grantedUnits, service.unit, Number(service.grantedUnits));
    }
  }

  /** One committed batch: how long its transaction took and how much work it held. */
  batchCommitted(durationSeconds: number, size: number): void {
    this.#batchSeconds.observe(durationSeconds);
    this.#batchSize.observe(size);
  }
}

type Tallies = Readonly<Record<ChargingKind, Map<string, number>>>;

function tallies(): Tallies {
  return Object.fromEntries(KINDS.map((kind) => [kind, new Map<string, number>()])) as unknown as Tallies;
}

function add<K>(tally: Map<K, number>, key: K, amount = 1): void {
  tally.set(key, (tally.get(key) ?? 0) + amount);
}

function fill(counter: Counter<'kind' | 'result'>, from: Tallies): void {
  counter.reset();
  for (const kind of KINDS) for (const [result, total] of from[kind]) counter.inc({ kind, result }, total);
}
