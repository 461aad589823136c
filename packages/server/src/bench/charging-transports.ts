import { Agent, request } from 'node:http';
import { DiameterClient } from '../diameter/diameter-client.js';
import { RESULT_CODE } from '../diameter/result-codes.js';

/** A request's outcome as the load generator counts it. */
export type Outcome =
  | { readonly kind: 'ok' }
  /** The balance could not pay (HTTP 422 insufficient_balance, Diameter 4012). */
  | { readonly kind: 'refused' }
  /** Any other answer, or no answer: `reason` groups them in the report. */
  | { readonly kind: 'failed'; readonly reason: string };

const OK: Outcome = { kind: 'ok' };
const REFUSED: Outcome = { kind: 'refused' };

/** The voice destination of every session, and the SMS destination of every event. */
export const CALLED_NUMBER = '+4930123456';
export const SMS_DESTINATION = '+4917612345678';
/** Units of the session script: each request reserves a minute; the terminate reports half of one. */
export const GRANT_SECONDS = 60;
export const FINAL_USED_SECONDS = 30;

/** One network interface of the charging engine, as the load generator drives it. */
export interface ChargingTransport {
  readonly name: string;
  newSessionId(): string;
  initiate(sessionId: string, msisdn: string): Promise<Outcome>;
  update(sessionId: string, requestNumber: number): Promise<Outcome>;
  terminate(sessionId: string, requestNumber: number): Promise<Outcome>;
  /** One SMS (rating group 2), charged at once. */
  event(eventId: string, msisdn: string): Promise<Outcome>;
  close(): Promise<void>;
}

/** POST /v1/charging/... over keep-alive HTTP/1.1 connections (node:http; undici is not installed). */
export class HttpChargingTransport implements ChargingTransport {
  readonly name = 'JSON API';
  readonly #agent: Agent;
  readonly #host: string;
  readonly #port: number;
  readonly #authorization: string;
  readonly #prefix = `bench-${process.pid}-${Date.now().toString(36)}`;
  #counter = 0;

  constructor(url: string, key: string, connections: number) {
    const parsed = new URL(url);
    this.#host = parsed.hostname;
    this.#port = Number(parsed.port);
    this.#authorization = `Bearer ${key}`;
    this.#agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  }

  newSessionId(): string {
    this.#counter += 1;
    return `${this.#prefix}-${this.#counter}`;
  }

  initiate(sessionId: string, msisdn: string): Promise<Outcome> {
    return this.#charge('/v1/charging/sessions', {
      sessionId,
      subscriber: { kind: 'msisdn', value: msisdn },
      services: [{ ratingGroup: 1, destination: CALLED_NUMBER, requestedUnits: GRANT_SECONDS }],
    });
  }

  update(sessionId: string, requestNumber: number): Promise<Outcome> {
    return this.#charge(`/v1/charging/sessions/${encodeURIComponent(sessionId)}/updates`, {
      requestNumber,
      services: [{ ratingGroup: 1, usedUnits: GRANT_SECONDS, requestedUnits: GRANT_SECONDS }],
    });
  }

  terminate(sessionId: string, requestNumber: number): Promise<Outcome> {
    return this.#charge(`/v1/charging/sessions/${encodeURIComponent(sessionId)}/termination`, {
      requestNumber,
      services: [{ ratingGroup: 1, usedUnits: FINAL_USED_SECONDS }],
    });
  }

  event(eventId: string, msisdn: string): Promise<Outcome> {
    return this.#charge('/v1/charging/events', {
      eventId,
      subscriber: { kind: 'msisdn', value: msisdn },
      services: [{ ratingGroup: 2, destination: SMS_DESTINATION, requestedUnits: 1 }],
    });
  }

  async close(): Promise<void> {
    this.#agent.destroy();
  }

  async #charge(path: string, body: unknown): Promise<Outcome> {
    let answer: { status: number; body: string };
    try {
      answer = await this.#post(path, JSON.stringify(body));
    } catch (error) {
      return { kind: 'failed', reason: `no answer: ${(error as Error).message}` };
    }
    let parsed: { code?: string; services?: { resultCode?: string }[] };
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      return { kind: 'failed', reason: `HTTP ${answer.status}, not JSON` };
    }
    if (answer.status === 200) {
      const refusal = parsed.services?.find((s) => s.resultCode !== 'success');
      if (refusal === undefined) return OK;
      return refusal.resultCode === 'insufficient_balance'
        ? REFUSED
        : { kind: 'failed', reason: `service ${refusal.resultCode}` };
    }
    if (parsed.code === 'insufficient_balance') return REFUSED;
    return { kind: 'failed', reason: `HTTP ${answer.status} ${parsed.code ?? ''}`.trim() };
  }

  #post(path: string, payload: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          agent: this.#agent,
          host: this.#host,
          port: this.#port,
          method: 'POST',
          path,
          headers: {
            authorization: this.#authorization,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          },
        },
        (incoming) => {
          let text = '';
          incoming.setEncoding('utf8');
          incoming.on('data', (chunk: string) => {
            text += chunk;
          });
          incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body: text }));
          incoming.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }
}

/** Gy credit control over a few pipelined Diameter connections (our DiameterClient), round robin. */
export class DiameterChargingTransport implements ChargingTransport {
  readonly name = 'Diameter';
  #next = 0;

  private constructor(private readonly clients: readonly DiameterClient[]) {}

  static async connect(port: number, connections: number): Promise<DiameterChargingTransport> {
    const clients = await Promise.all(
      Array.from({ length: connections }, (_, i) =>
        DiameterClient.connect({
          port,
          originHost: `bench-pgw-${i}.bench.example`,
          originRealm: 'bench.example',
          destinationRealm: 'localdomain',
          timeoutMs: 30_000,
        }),
      ),
    );
    return new DiameterChargingTransport(clients);
  }

  newSessionId(): string {
    return this.#client().newSessionId();
  }

  initiate(sessionId: string, msisdn: string): Promise<Outcome> {
    return this.#call({
      sessionId,
      requestType: 'initial',
      requestNumber: 0,
      subscriber: { kind: 'msisdn', value: msisdn },
      destination: CALLED_NUMBER,
      services: [{ ratingGroup: 1, unit: 'seconds', requestedUnits: BigInt(GRANT_SECONDS) }],
    });
  }

  update(sessionId: string, requestNumber: number): Promise<Outcome> {
    return this.#call({
      sessionId,
      requestType: 'update',
      requestNumber,
      services: [
        {
          ratingGroup: 1,
          unit: 'seconds',
          usedUnits: BigInt(GRANT_SECONDS),
          requestedUnits: BigInt(GRANT_SECONDS),
        },
      ],
    });
  }

  terminate(sessionId: string, requestNumber: number): Promise<Outcome> {
    return this.#call({
      sessionId,
      requestType: 'termination',
      requestNumber,
      services: [{ ratingGroup: 1, unit: 'seconds', usedUnits: BigInt(FINAL_USED_SECONDS) }],
    });
  }

  event(eventId: string, msisdn: string): Promise<Outcome> {
    return this.#call({
      sessionId: eventId,
      requestType: 'event',
      requestNumber: 0,
      subscriber: { kind: 'msisdn', value: msisdn },
      destination: SMS_DESTINATION,
      services: [{ ratingGroup: 2, unit: 'messages', requestedUnits: 1n }],
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.close()));
  }

  #client(): DiameterClient {
    this.#next = (this.#next + 1) % this.clients.length;
    return this.clients[this.#next]!;
  }

  async #call(call: Parameters<DiameterClient['creditControl']>[0]): Promise<Outcome> {
    let result: Awaited<ReturnType<DiameterClient['creditControl']>>;
    try {
      result = await this.#client().creditControl(call);
    } catch (error) {
      return { kind: 'failed', reason: `no answer: ${(error as Error).message}` };
    }
    if (result.resultCode === RESULT_CODE.creditLimitReached) return REFUSED;
    if (result.resultCode !== RESULT_CODE.success)
      return { kind: 'failed', reason: `Result-Code ${result.resultCode}` };
    const refusal = result.services.find(
      (s) => s.resultCode !== undefined && s.resultCode !== RESULT_CODE.success,
    );
    if (refusal === undefined) return OK;
    return refusal.resultCode === RESULT_CODE.creditLimitReached
      ? REFUSED
      : { kind: 'failed', reason: `MSCC Result-Code ${refusal.resultCode}` };
  }
}
