import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { answerTo } from './answer-message.js';
import { makeAvp } from './avp-definition.js';
import { GY_DICTIONARY } from './avp-dictionary.js';
import { BASE_AVPS } from './base-avps.js';
import { capabilitiesRequest, disconnectRequest } from './base-requests.js';
import { COMMAND, DISCONNECT_CAUSE } from './command-codes.js';
import type { CreditControlCall, CreditControlResult } from './credit-control-call.js';
import { decodeMessage } from './decode-message.js';
import { addressFromIp } from './diameter-address.js';
import type { DiameterMessage } from './diameter-message.js';
import { type CreditControlTarget, creditControlRequest } from './encode-credit-control-request.js';
import { encodeMessage } from './encode-message.js';
import { findValue } from './find-avp.js';
import type { LocalIdentity } from './local-identity.js';
import { isFramingError, MessageFramer } from './message-framer.js';
import { readCreditControlAnswer } from './read-credit-control-answer.js';
import { RequestIdentifiers } from './request-identifiers.js';
import { RESULT_CODE } from './result-codes.js';

export interface DiameterClientOptions {
  readonly host?: string | undefined;
  readonly port: number;
  readonly originHost: string;
  readonly originRealm: string;
  readonly destinationRealm: string;
  readonly destinationHost?: string | undefined;
  /** Default 32251@3gpp.org, the PS (Gy) charging context of 3GPP TS 32.299. */
  readonly serviceContextId?: string | undefined;
  /** A request unanswered for this long is rejected. Default 5 s. */
  readonly timeoutMs?: number | undefined;
}

interface PendingRequest {
  readonly resolve: (answer: DiameterMessage) => void;
  readonly reject: (error: Error) => void;
  readonly sentAtMs: number;
}

/**
 * A Diameter credit-control client: exchanges capabilities on connect, then sends requests
 * without waiting for earlier answers (pipelining); answers find their request by hop-by-hop
 * id. It answers the server's DWR and DPR. For the CLI, load generation and tests.
 */
export class DiameterClient {
  private readonly pending = new Map<number, PendingRequest>();
  private readonly framer = new MessageFramer();
  private readonly ids = new RequestIdentifiers();
  private readonly sweeper: NodeJS.Timeout;
  private readonly sessionPrefix: string;
  private sessionCounter = 0;
  private closedError: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly identity: LocalIdentity,
    private readonly target: CreditControlTarget,
    private readonly timeoutMs: number,
  ) {
    // RFC 6733 8.8: <DiameterIdentity>;<high 32 bits>;<low 32 bits>, unique over restarts.
    this.sessionPrefix = `${identity.originHost};${identity.originStateId}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('the Diameter connection closed')));
    this.sweeper = setInterval(() => this.expire(), Math.min(timeoutMs, 1000));
    this.sweeper.unref();
  }

  /** Connects and exchanges capabilities (RFC 6733 5.3); rejects unless the CEA says 2001. */
  static async connect(options: DiameterClientOptions): Promise<DiameterClient> {
    const socket = await openSocket(options.host ?? '127.0.0.1', options.port);
    const identity = {
      originHost: options.originHost,
      originRealm: options.originRealm,
      originStateId: Math.floor(Date.now() / 1000),
    };
    const target = {
      destinationRealm: options.destinationRealm,
      destinationHost: options.destinationHost,
      serviceContextId: options.serviceContextId ?? '32251@3gpp.org',
    };
    const client = new DiameterClient(socket, identity, target, options.timeoutMs ?? 5_000);
    const hostIp = addressFromIp(socket.localAddress ?? '127.0.0.1');
    const answer = await client.send(capabilitiesRequest(identity, hostIp, client.ids));
    const resultCode = findValue(answer.avps, BASE_AVPS.resultCode);
    if (resultCode !== RESULT_CODE.success) {
      socket.destroy();
      throw new Error(`the Diameter server refused the capabilities exchange with Result-Code ${resultCode}`);
    }
    return client;
  }

  /** A new Session-Id for this client (RFC 6733 8.8). */
  newSessionId(): string {
    this.sessionCounter += 1;
    return `${this.sessionPrefix};${this.sessionCounter}`;
  }

  async creditControl(call: CreditControlCall): Promise<CreditControlResult> {
    const answer = await this.send(creditControlRequest(call, this.identity, this.target, this.ids));
    return readCreditControlAnswer(answer);
  }

  /** Sends a request; its hop-by-hop id must be fresh (the builders take it from this client). */
  send(request: DiameterMessage): Promise<DiameterMessage> {
    if (this.closedError !== undefined) return Promise.reject(this.closedError);
    const bytes = encodeMessage(request);
    return new Promise((resolve, reject) => {
      this.pending.set(request.hopByHopId, { resolve, reject, sentAtMs: performance.now() });
      this.socket.write(bytes);
    });
  }

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** RFC 6733 5.4: DPR, then close once answered (or after the timeout). */
  async close(): Promise<void> {
    if (this.closedError === undefined) {
      const dpr = disconnectRequest(this.identity, this.ids, DISCONNECT_CAUSE.doNotWantToTalkToYou);
      await this.send(dpr).catch(() => undefined);
    }
    clearInterval(this.sweeper);
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.framer.push(chunk);
    for (let frame = this.framer.next(); frame !== undefined; frame = this.framer.next()) {
      if (isFramingError(frame)) {
        this.fail(new Error(`bad Diameter stream: ${frame.reason}`));
        return;
      }
      const decoded = decodeMessage(frame, GY_DICTIONARY);
      if (!decoded.ok) continue;
      const message = decoded.message;
      if (message.request) this.answerServer(message);
      else this.settle(message);
    }
  }

  private settle(answer: DiameterMessage): void {
    const request = this.pending.get(answer.hopByHopId);
    if (request === undefined) return;
    this.pending.delete(answer.hopByHopId);
    request.resolve(answer);
  }

  /** The server's DWR gets a DWA; its DPR a DPA, after which it closes (RFC 6733 5.4, 5.5). */
  private answerServer(request: DiameterMessage): void {
    const known =
      request.commandCode === COMMAND.deviceWatchdog || request.commandCode === COMMAND.disconnectPeer;
    const resultCode = known ? RESULT_CODE.success : RESULT_CODE.commandUnsupported;
    const avps = [makeAvp(BASE_AVPS.originStateId, this.identity.originStateId)];
    const answer = answerTo(request, request.avps, this.identity, { resultCode, sessionId: undefined, avps });
    this.socket.write(encodeMessage(answer));
  }

  private expire(): void {
    const now = performance.now();
    for (const [hopByHopId, request] of this.pending) {
      if (now - request.sentAtMs < this.timeoutMs) continue;
      this.pending.delete(hopByHopId);
      request.reject(new Error(`no Diameter answer within ${this.timeoutMs} ms`));
    }
  }

  private fail(error: Error): void {
    this.closedError ??= error;
    for (const request of this.pending.values()) request.reject(error);
    this.pending.clear();
    clearInterval(this.sweeper);
    this.socket.destroy();
  }
}

function openSocket(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}
