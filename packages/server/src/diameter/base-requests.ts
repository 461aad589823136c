import type { AddressValue, Avp } from './avp.js';
import { makeAvp } from './avp-definition.js';
import { BASE_AVPS } from './base-avps.js';
import { APPLICATION, COMMAND } from './command-codes.js';
import type { DiameterMessage } from './diameter-message.js';
import type { LocalIdentity } from './local-identity.js';
import type { RequestIdentifiers } from './request-identifiers.js';

/** A request header with fresh identifiers; base protocol requests are not proxiable (RFC 6733 5). */
export function newRequest(
  commandCode: number,
  applicationId: number,
  ids: RequestIdentifiers,
  avps: readonly Avp[],
  proxiable = false,
): DiameterMessage {
  return {
    commandCode,
    applicationId,
    request: true,
    proxiable,
    error: false,
    retransmitted: false,
    hopByHopId: ids.nextHopByHopId(),
    endToEndId: ids.nextEndToEndId(),
    avps,
  };
}

function originAvps(identity: LocalIdentity): Avp[] {
  return [
    makeAvp(BASE_AVPS.originHost, identity.originHost),
    makeAvp(BASE_AVPS.originRealm, identity.originRealm),
  ];
}

/** RFC 6733 5.5.1 DWR. */
export function watchdogRequest(identity: LocalIdentity, ids: RequestIdentifiers): DiameterMessage {
  const avps = [...originAvps(identity), makeAvp(BASE_AVPS.originStateId, identity.originStateId)];
  return newRequest(COMMAND.deviceWatchdog, APPLICATION.common, ids, avps);
}

/** RFC 6733 5.4.1 DPR. */
export function disconnectRequest(
  identity: LocalIdentity,
  ids: RequestIdentifiers,
  cause: number,
): DiameterMessage {
  const avps = [...originAvps(identity), makeAvp(BASE_AVPS.disconnectCause, cause)];
  return newRequest(COMMAND.disconnectPeer, APPLICATION.common, ids, avps);
}

/** RFC 6733 5.3.1 CER, advertising the credit-control application (RFC 4006 1.3). */
export function capabilitiesRequest(
  identity: LocalIdentity,
  hostIpAddress: AddressValue,
  ids: RequestIdentifiers,
): DiameterMessage {
  const avps = [
    ...originAvps(identity),
    makeAvp(BASE_AVPS.hostIpAddress, hostIpAddress),
    makeAvp(BASE_AVPS.vendorId, 0),
    makeAvp(BASE_AVPS.productName, 'Tollgate'),
    makeAvp(BASE_AVPS.originStateId, identity.originStateId),
    makeAvp(BASE_AVPS.authApplicationId, APPLICATION.creditControl),
  ];
  return newRequest(COMMAND.capabilitiesExchange, APPLICATION.common, ids, avps);
}
