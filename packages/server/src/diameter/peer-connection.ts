import type { Socket } from 'node:net';
import type { CreditControl } from '../charging/credit-control.js';
import { answerCreditControl } from './answer-credit-control.js';
import { answerTo, type ErrorDetails, errorAnswerTo } from './answer-message.js';
import type { Avp } from './avp.js';
import { makeAvp } from './avp-definition.js';
import { GY_DICTIONARY } from './avp-dictionary.js';
import { BASE_AVPS } from './base-avps.js';
import { disconnectRequest, watchdogRequest } from './base-requests.js';
import { answerCapabilitiesExchange, type DiameterPeer } from './capabilities-exchange.js';
import { COMMAND, DISCONNECT_CAUSE } from './command-codes.js';
import { type DecodedMessage, decodeHeader, decodeMessage } from './decode-message.js';
import { addressFromIp } from './diameter-address.js';
import type { DiameterLogger } from './diameter-logger.js';
import { type DiameterMessage, FLAG_REQUEST } from './diameter-message.js';
import { encodeMessage } from './encode-message.js';
import { findValue } from './find-avp.js';
import type { LocalIdentity } from './local-identity.js';
import { type FramingError, isFramingError, MessageFramer } from './message-framer.js';
import { RequestIdentifiers } from './request-identifiers.js';
import { requestRefusal } from './request-refusal.js';
import { RESULT_CODE } from './result-codes.js';
import { Watchdog } from './watchdog.js';

export interface PeerConnectionOptions {
  readonly identity: LocalIdentity;
  readonly vendorId: number;
  readonly resolveTenant: (peer: DiameterPeer) => string | undefined;
  readonly creditControl: CreditControl;
  readonly logger: DiameterLogger;
  readonly watchdogIntervalMs: number;
  readonly maxInFlight: number;
  readonly maxMessageBytes: number;
}

/** How long a closing connection may linger before it is destroyed. */
const CLOSE_GRACE_MS = 2_000;

/**
 * One peer's transport connection, as the responder of RFC 6733 5.6: the first request must be
 * a CER; once open it answers DWR, DPR and CCR; a watchdog (RFC 3539) probes an idle peer.
 * Every fault becomes an answer or a closed connection, never an exception out of here.
 */
export class PeerConnection {
  private open = false;
  private closing = false;
  private tenantId = '';
  private inFlight = 0;
  private readonly framer: MessageFramer;
  private readonly watchdog: Watchdog;
  private readonly ids = new RequestIdentifiers();

  constructor(
    private readonly socket: Socket,
    private readonly options: PeerConnectionOptions,
  ) {
    this.framer = new MessageFramer(options.maxMessageBytes);
    this.watchdog = new Watchdog(options.watchdogIntervalMs, {
      probe: () => this.send(watchdogRequest(options.identity, this.ids)),
      fail: () => this.close('the peer stopped answering watchdog requests'),
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => options.logger.warn({ err: error }, 'Diameter connection error'));
    socket.on('close', () => {
      this.closing = true;
      this.watchdog.stop();
    });
  }

  /** Ends the connection politely: a DPR (RFC 6733 5.4) when open, then the transport. */
  disconnect(): void {
    if (this.closing) return;
    if (this.open) this.send(disconnectRequest(this.options.identity, this.ids, DISCONNECT_CAUSE.rebooting));
    this.close('the server is stopping');
  }

  private receive(chunk: Buffer): void {
    if (this.closing) return;
    this.framer.push(chunk);
    // Each turn consumes a message of at least 20 bytes, or stops: bounded by the bytes received.
    for (let frame = this.framer.next(); frame !== undefined && !this.closing; frame = this.framer.next()) {
      if (isFramingError(frame)) {
        this.refuseStream(frame);
        return;
      }
      this.handle(frame);
    }
  }

  private handle(frame: Buffer): void {
    const decoded = decodeMessage(frame, GY_DICTIONARY);
    const header = decoded.ok ? decoded.message : decoded.header;
    this.watchdog.heard(!header.request && header.commandCode === COMMAND.deviceWatchdog);
    // Answers: only DWAs to our watchdog are expected, and hearing them is all they do.
    if (!header.request) return;
    const refusal = requestRefusal(decoded, {
      open: this.open,
      inFlight: this.inFlight,
      maxInFlight: this.options.maxInFlight,
    });
    if (refusal !== undefined) {
      this.refuse(decoded, refusal);
      return;
    }
    if (decoded.ok) this.dispatch(decoded.message);
  }

  private dispatch(request: DiameterMessage): void {
    const { identity } = this.options;
    if (request.commandCode === COMMAND.capabilitiesExchange) this.exchangeCapabilities(request);
    else if (request.commandCode === COMMAND.deviceWatchdog)
      this.answerSuccess(request, [makeAvp(BASE_AVPS.originStateId, identity.originStateId)]);
    else if (request.commandCode === COMMAND.disconnectPeer) {
      this.answerSuccess(request, []);
      this.close('the peer disconnected (DPR)');
    } else this.chargeCredit(request);
  }

  /** RFC 6733 5.4.2 DPA and 5.5.2 DWA. */
  private answerSuccess(request: DiameterMessage, avps: readonly Avp[]): void {
    const content = { resultCode: RESULT_CODE.success, sessionId: undefined, avps };
    this.send(answerTo(request, request.avps, this.options.identity, content));
  }

  private exchangeCapabilities(request: DiameterMessage): void {
    const hostIpAddress = addressFromIp(this.socket.localAddress ?? '127.0.0.1');
    const outcome = answerCapabilitiesExchange(request, { ...this.options, hostIpAddress });
    this.send(outcome.answer);
    if (!outcome.ok) {
      this.close(outcome.reason);
      return;
    }
    this.open = true;
    this.tenantId = outcome.tenantId;
    this.options.logger.info({ peer: outcome.peer, tenantId: outcome.tenantId }, 'Diameter peer connected');
  }

  /** CCRs are answered as their charging completes, in any order (hop-by-hop ids match them). */
  private chargeCredit(request: DiameterMessage): void {
    this.inFlight += 1;
    // Stop reading at the limit: TCP flow control then slows the peer down.
    if (this.inFlight >= this.options.maxInFlight) this.socket.pause();
    const context = { ...this.options, tenantId: this.tenantId };
    answerCreditControl(request, context).then(
      (answer) => this.completeCharge(answer),
      (error: unknown) => {
        this.options.logger.error({ err: error }, 'answering a CCR failed');
        const details = {
          resultCode: RESULT_CODE.unableToComply,
          sessionId: findValue(request.avps, BASE_AVPS.sessionId),
          message: 'internal error',
        };
        this.completeCharge(errorAnswerTo(request, request.avps, this.options.identity, details));
      },
    );
  }

  private completeCharge(answer: DiameterMessage): void {
    this.inFlight -= 1;
    if (this.inFlight < this.options.maxInFlight && this.socket.isPaused() && !this.closing)
      this.socket.resume();
    this.send(answer);
  }

  private refuse(decoded: DecodedMessage, details: ErrorDetails): void {
    const header = decoded.ok ? decoded.message : decoded.header;
    const avps = decoded.ok ? decoded.message.avps : [];
    this.send(errorAnswerTo(header, avps, this.options.identity, details));
    // RFC 6733 5.6: a peer that has not exchanged capabilities gets no further hearing.
    if (!this.open) this.close(details.message);
  }

  /** RFC 6733 3: the stream is out of step; answer the faulty request if it is one, then close. */
  private refuseStream(error: FramingError): void {
    if (((error.header[4] ?? 0) & FLAG_REQUEST) !== 0) {
      const details = { resultCode: error.resultCode, sessionId: undefined, message: error.reason };
      this.send(errorAnswerTo(decodeHeader(error.header), [], this.options.identity, details));
    }
    this.close(error.reason);
  }

  private send(message: DiameterMessage): void {
    if (this.socket.writable) this.socket.write(encodeMessage(message));
  }

  private close(reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.watchdog.stop();
    this.options.logger.info({ reason, remote: this.socket.remoteAddress }, 'closing Diameter connection');
    this.socket.end();
    setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
  }
}
