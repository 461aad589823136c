import type {
  CreditControl,
  CreditControlAnswer,
  CreditControlRequest,
  ServiceUnitKind,
  ServiceUsageAnswer,
  ServiceUsageRequest,
} from '../../src/charging/credit-control.js';

/** Rating group -> unit, as a tenant's charging settings would say. */
const UNITS: ReadonlyMap<number, ServiceUnitKind> = new Map([
  [0, 'units'],
  [1, 'seconds'],
  [2, 'bytes'],
  [3, 'messages'],
]);
const DEFAULT_GRANT = 60n;
const VALIDITY_SECONDS = 600;

interface Session {
  readonly subscriber: string;
  readonly reserved: Map<number, bigint>;
  ended: boolean;
}

/**
 * A test double of the charging port: one balance of abstract units per subscriber; a grant is
 * min(requested, what is left) and is taken from the balance at once; used units are settled
 * against the reservation. Subscriber "boom" makes the port throw, "busy" makes it unavailable.
 */
export class InMemoryCreditControl implements CreditControl {
  readonly balances = new Map<string, bigint>();
  readonly sessions = new Map<string, Session>();
  readonly calls: Array<{ readonly operation: string; readonly request: CreditControlRequest }> = [];

  constructor(balances: Record<string, bigint> = {}) {
    for (const [subscriber, units] of Object.entries(balances)) this.balances.set(subscriber, units);
  }

  async initiate(request: CreditControlRequest): Promise<CreditControlAnswer> {
    this.calls.push({ operation: 'initiate', request });
    const subscriber = (request.subscriber?.value ?? '').replace(/^\+/, '');
    const refusal = this.refusal(request, subscriber);
    if (refusal !== undefined) return refusal;
    const session: Session = { subscriber, reserved: new Map(), ended: false };
    this.sessions.set(request.sessionId, session);
    return this.ok(
      request,
      request.services.map((service) => this.settle(session, service)),
    );
  }

  async update(request: CreditControlRequest): Promise<CreditControlAnswer> {
    this.calls.push({ operation: 'update', request });
    const session = this.sessions.get(request.sessionId);
    if (session === undefined || session.ended) return this.fail(request, 'unknown_session');
    return this.ok(
      request,
      request.services.map((service) => this.settle(session, service)),
    );
  }

  async terminate(request: CreditControlRequest): Promise<CreditControlAnswer> {
    this.calls.push({ operation: 'terminate', request });
    const session = this.sessions.get(request.sessionId);
    if (session === undefined || session.ended) return this.fail(request, 'unknown_session');
    const services = request.services.map((service) =>
      this.settle(session, { ...service, requestedUnits: 0n }),
    );
    for (const [ratingGroup, units] of session.reserved) this.release(session, ratingGroup, units);
    session.ended = true;
    return this.ok(request, services);
  }

  async event(request: CreditControlRequest): Promise<CreditControlAnswer> {
    this.calls.push({ operation: 'event', request });
    const subscriber = (request.subscriber?.value ?? '').replace(/^\+/, '');
    const refusal = this.refusal(request, subscriber);
    if (refusal !== undefined) return refusal;
    const wanted = request.services.reduce((sum, service) => sum + (service.requestedUnits ?? 1n), 0n);
    const balance = this.balances.get(subscriber) ?? 0n;
    if (wanted > balance) return this.fail(request, 'insufficient_balance');
    this.balances.set(subscriber, balance - wanted);
    return this.ok(
      request,
      request.services.map((service) => this.answer(service, service.requestedUnits ?? 1n, false)),
    );
  }

  private refusal(request: CreditControlRequest, subscriber: string): CreditControlAnswer | undefined {
    if (subscriber === 'boom') throw new Error('the balance store exploded');
    if (subscriber === 'busy') return this.fail(request, 'charging_unavailable');
    if (!this.balances.has(subscriber)) return this.fail(request, 'unknown_subscriber');
    return undefined;
  }

  private settle(session: Session, service: ServiceUsageRequest): ServiceUsageAnswer {
    const reserved = session.reserved.get(service.ratingGroup) ?? 0n;
    const used = service.usedUnits ?? 0n;
    this.release(session, service.ratingGroup, reserved > used ? reserved - used : 0n);
    session.reserved.delete(service.ratingGroup);
    if (!UNITS.has(service.ratingGroup))
      return { ...this.answer(service, 0n, false), resultCode: 'service_denied' };
    const requested = service.requestedUnits ?? DEFAULT_GRANT;
    const balance = this.balances.get(session.subscriber) ?? 0n;
    const granted = requested < balance ? requested : balance;
    this.balances.set(session.subscriber, balance - granted);
    if (granted > 0n) session.reserved.set(service.ratingGroup, granted);
    const answer = this.answer(service, granted, granted < requested);
    return requested > 0n && granted === 0n ? { ...answer, resultCode: 'insufficient_balance' } : answer;
  }

  private release(session: Session, ratingGroup: number, units: bigint): void {
    this.balances.set(session.subscriber, (this.balances.get(session.subscriber) ?? 0n) + units);
    session.reserved.delete(ratingGroup);
  }

  private answer(service: ServiceUsageRequest, grantedUnits: bigint, finalUnit: boolean): ServiceUsageAnswer {
    return {
      ratingGroup: service.ratingGroup,
      resultCode: 'success',
      unit: UNITS.get(service.ratingGroup) ?? 'units',
      grantedUnits,
      finalUnit: finalUnit && grantedUnits > 0n,
      validityTimeSeconds: VALIDITY_SECONDS,
      chargedMicros: 0n,
    };
  }

  private ok(request: CreditControlRequest, services: readonly ServiceUsageAnswer[]): CreditControlAnswer {
    return {
      ok: true,
      sessionId: request.sessionId,
      requestNumber: request.requestNumber,
      accountId: 'acc-1',
      currency: 'EUR',
      services,
    };
  }

  private fail(
    request: CreditControlRequest,
    code: Exclude<CreditControlAnswer, { ok: true }>['code'],
  ): CreditControlAnswer {
    return {
      ok: false,
      sessionId: request.sessionId,
      requestNumber: request.requestNumber,
      code,
      message: code,
    };
  }
}
