import type { ErrorDetails } from './answer-message.js';
import { BASE_AVPS } from './base-avps.js';
import { APPLICATION, COMMAND } from './command-codes.js';
import type { DecodedMessage } from './decode-message.js';
import { findValue } from './find-avp.js';
import { RESULT_CODE } from './result-codes.js';

/** The application each command we serve belongs to (RFC 6733 2.4, RFC 4006 3). */
const APPLICATION_OF: ReadonlyMap<number, number> = new Map([
  [COMMAND.capabilitiesExchange, APPLICATION.common],
  [COMMAND.deviceWatchdog, APPLICATION.common],
  [COMMAND.disconnectPeer, APPLICATION.common],
  [COMMAND.creditControl, APPLICATION.creditControl],
]);

export interface PeerState {
  readonly open: boolean;
  readonly inFlight: number;
  readonly maxInFlight: number;
}

/**
 * Why a request cannot be served, checked in the order a server meets the faults: header bits,
 * the AVPs' encoding, the command, its application, unsupported mandatory AVPs, the peer's
 * state and its load. Undefined when the request may be served.
 */
export function requestRefusal(decoded: DecodedMessage, peer: PeerState): ErrorDetails | undefined {
  const header = decoded.ok ? decoded.message : decoded.header;
  const sessionId = decoded.ok ? findValue(decoded.message.avps, BASE_AVPS.sessionId) : decoded.sessionId;
  const refuse = (resultCode: number, message: string, failedAvp?: ErrorDetails['failedAvp']) => ({
    resultCode,
    sessionId,
    message,
    failedAvp,
  });
  // RFC 6733 3: the E bit MUST NOT be set in a request; base commands are not proxiable (5.3-5.5).
  if (header.error) return refuse(RESULT_CODE.invalidHeaderBits, 'the E bit is set in a request');
  const application = APPLICATION_OF.get(header.commandCode);
  if (application === APPLICATION.common && header.proxiable)
    return refuse(RESULT_CODE.invalidHeaderBits, 'the P bit is set in a base protocol request');
  if (!decoded.ok) return refuse(decoded.resultCode, decoded.reason, decoded.failedAvp);
  if (application === undefined)
    return refuse(RESULT_CODE.commandUnsupported, `command ${header.commandCode} is not supported`);
  if (header.applicationId !== application)
    return refuse(
      RESULT_CODE.applicationUnsupported,
      `application ${header.applicationId} is not supported here`,
    );
  // RFC 6733 4.1: an AVP with the M bit that we do not understand fails the whole request.
  if (decoded.unsupportedAvp !== undefined)
    return refuse(
      RESULT_CODE.avpUnsupported,
      `AVP ${decoded.unsupportedAvp.code} is not supported`,
      decoded.unsupportedAvp,
    );
  if (!peer.open && header.commandCode !== COMMAND.capabilitiesExchange)
    return refuse(RESULT_CODE.unknownPeer, 'the first request must be a CER (RFC 6733 5.3)');
  if (header.commandCode === COMMAND.creditControl && peer.inFlight >= peer.maxInFlight)
    return refuse(RESULT_CODE.tooBusy, 'too many requests in flight on this connection');
  return undefined;
}
