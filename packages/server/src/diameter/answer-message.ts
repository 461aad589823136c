import type { Avp } from './avp.js';
import { makeAvp } from './avp-definition.js';
import { BASE_AVPS } from './base-avps.js';
import type { DiameterHeader, DiameterMessage } from './diameter-message.js';
import { findAllAvps } from './find-avp.js';
import type { LocalIdentity } from './local-identity.js';
import { isProtocolError } from './result-codes.js';

export interface AnswerContent {
  readonly resultCode: number;
  /** RFC 6733 8.8: Session-Id goes first, when the request had one. */
  readonly sessionId: string | undefined;
  /** The AVPs after Session-Id, Result-Code, Origin-Host and Origin-Realm. */
  readonly avps?: readonly Avp[];
}

/**
 * An answer to `request` (RFC 6733 6.2): the same command code, application and identifiers;
 * the P bit copied; the E bit set for a protocol error (7.1.3); Proxy-Info copied in order.
 */
export function answerTo(
  request: DiameterHeader,
  requestAvps: readonly Avp[],
  identity: LocalIdentity,
  content: AnswerContent,
): DiameterMessage {
  const avps: Avp[] = [];
  if (content.sessionId !== undefined) avps.push(makeAvp(BASE_AVPS.sessionId, content.sessionId));
  avps.push(
    makeAvp(BASE_AVPS.resultCode, content.resultCode),
    makeAvp(BASE_AVPS.originHost, identity.originHost),
    makeAvp(BASE_AVPS.originRealm, identity.originRealm),
  );
  if (content.avps !== undefined) avps.push(...content.avps);
  avps.push(...findAllAvps(requestAvps, BASE_AVPS.proxyInfo));
  return {
    commandCode: request.commandCode,
    applicationId: request.applicationId,
    request: false,
    proxiable: request.proxiable,
    error: isProtocolError(content.resultCode),
    retransmitted: false,
    hopByHopId: request.hopByHopId,
    endToEndId: request.endToEndId,
    avps,
  };
}

export interface ErrorDetails {
  readonly resultCode: number;
  readonly sessionId: string | undefined;
  readonly message: string;
  readonly failedAvp?: Avp | undefined;
}

/** RFC 6733 7.2: the generic error answer, with Error-Message and Failed-AVP (7.5). */
export function errorAnswerTo(
  request: DiameterHeader,
  requestAvps: readonly Avp[],
  identity: LocalIdentity,
  details: ErrorDetails,
): DiameterMessage {
  const avps: Avp[] = [
    makeAvp(BASE_AVPS.originStateId, identity.originStateId),
    makeAvp(BASE_AVPS.errorMessage, details.message),
  ];
  if (details.failedAvp !== undefined) avps.push(makeAvp(BASE_AVPS.failedAvp, [details.failedAvp]));
  return answerTo(request, requestAvps, identity, { ...details, avps });
}
