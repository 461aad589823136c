import { answerTo, errorAnswerTo } from './answer-message.js';
import type { AddressValue, Avp } from './avp.js';
import { makeAvp } from './avp-definition.js';
import { BASE_AVPS } from './base-avps.js';
import { APPLICATION } from './command-codes.js';
import type { DiameterMessage } from './diameter-message.js';
import { findAllAvps, findValue } from './find-avp.js';
import type { LocalIdentity } from './local-identity.js';
import { missingAvp } from './missing-avp.js';
import { RESULT_CODE } from './result-codes.js';

export interface DiameterPeer {
  readonly originHost: string;
  readonly originRealm: string;
}

export interface CapabilitiesContext {
  readonly identity: LocalIdentity;
  readonly hostIpAddress: AddressValue;
  readonly vendorId: number;
  readonly resolveTenant: (peer: DiameterPeer) => string | undefined;
}

export type CapabilitiesOutcome =
  | {
      readonly ok: true;
      readonly answer: DiameterMessage;
      readonly peer: DiameterPeer;
      readonly tenantId: string;
    }
  | { readonly ok: false; readonly answer: DiameterMessage; readonly reason: string };

/**
 * Answers a CER (RFC 6733 5.3): the peer must name itself, be known to a tenant (3010
 * otherwise) and share the credit-control application with us (5010 otherwise, 5.3).
 */
export function answerCapabilitiesExchange(
  request: DiameterMessage,
  context: CapabilitiesContext,
): CapabilitiesOutcome {
  const originHost = findValue(request.avps, BASE_AVPS.originHost);
  const originRealm = findValue(request.avps, BASE_AVPS.originRealm);
  if (originHost === undefined || originRealm === undefined) {
    const failedAvp = missingAvp(originHost === undefined ? BASE_AVPS.originHost : BASE_AVPS.originRealm);
    const details = {
      resultCode: RESULT_CODE.missingAvp,
      sessionId: undefined,
      failedAvp,
      message: 'CER without origin',
    };
    return {
      ok: false,
      answer: errorAnswerTo(request, request.avps, context.identity, details),
      reason: details.message,
    };
  }
  const peer = { originHost, originRealm };
  if (!advertisesCreditControl(request.avps)) {
    const answer = capabilitiesAnswer(request, context, RESULT_CODE.noCommonApplication);
    return { ok: false, answer, reason: `${originHost} does not advertise credit control (application 4)` };
  }
  const tenantId = context.resolveTenant(peer);
  if (tenantId === undefined) {
    const message = `${originHost} (${originRealm}) is not a known peer`;
    const details = { resultCode: RESULT_CODE.unknownPeer, sessionId: undefined, message };
    return {
      ok: false,
      answer: errorAnswerTo(request, request.avps, context.identity, details),
      reason: message,
    };
  }
  return { ok: true, answer: capabilitiesAnswer(request, context, RESULT_CODE.success), peer, tenantId };
}

/** RFC 6733 5.3.2 CEA. */
function capabilitiesAnswer(request: DiameterMessage, context: CapabilitiesContext, resultCode: number) {
  const avps: Avp[] = [
    makeAvp(BASE_AVPS.hostIpAddress, context.hostIpAddress),
    makeAvp(BASE_AVPS.vendorId, context.vendorId),
    makeAvp(BASE_AVPS.productName, 'Tollgate'),
    makeAvp(BASE_AVPS.originStateId, context.identity.originStateId),
    makeAvp(BASE_AVPS.authApplicationId, APPLICATION.creditControl),
  ];
  return answerTo(request, request.avps, context.identity, { resultCode, sessionId: undefined, avps });
}

/** Application 4 or the relay application, plainly or inside Vendor-Specific-Application-Id. */
function advertisesCreditControl(avps: readonly Avp[]): boolean {
  const candidates = [...avps];
  for (const group of findAllAvps(avps, BASE_AVPS.vendorSpecificApplicationId))
    if (group.type === 'Grouped') candidates.push(...group.value);
  for (const definition of [BASE_AVPS.authApplicationId, BASE_AVPS.acctApplicationId])
    for (const avp of findAllAvps(candidates, definition))
      if (
        avp.type === 'Unsigned32' &&
        (avp.value === APPLICATION.creditControl || avp.value === APPLICATION.relay)
      )
        return true;
  return false;
}
