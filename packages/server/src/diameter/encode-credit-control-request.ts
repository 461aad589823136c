import type { Avp } from './avp.js';
import { makeAvp } from './avp-definition.js';
import { BASE_AVPS } from './base-avps.js';
import { newRequest } from './base-requests.js';
import {
  APPLICATION,
  CC_REQUEST_TYPE,
  COMMAND,
  REQUESTED_ACTION,
  SUBSCRIPTION_ID_TYPE,
} from './command-codes.js';
import { CREDIT_CONTROL_AVPS as CC } from './credit-control-avps.js';
import type { CreditControlCall, ServiceUnitsCall } from './credit-control-call.js';
import type { DiameterMessage } from './diameter-message.js';
import type { LocalIdentity } from './local-identity.js';
import type { RequestIdentifiers } from './request-identifiers.js';

export interface CreditControlTarget {
  readonly destinationRealm: string;
  readonly destinationHost?: string | undefined;
  /** RFC 4006 8.42; 3GPP TS 32.299 names e.g. 32251@3gpp.org (PS) or 32260@3gpp.org (IMS). */
  readonly serviceContextId: string;
}

const SUBSCRIPTION_TYPES = {
  msisdn: SUBSCRIPTION_ID_TYPE.e164,
  imsi: SUBSCRIPTION_ID_TYPE.imsi,
  sip_uri: SUBSCRIPTION_ID_TYPE.sipUri,
  username: SUBSCRIPTION_ID_TYPE.nai,
} as const;

/** A CCR (RFC 4006 3.1) in multiple-services form: one MSCC per service. */
export function creditControlRequest(
  call: CreditControlCall,
  identity: LocalIdentity,
  target: CreditControlTarget,
  ids: RequestIdentifiers,
): DiameterMessage {
  const avps: Avp[] = [
    makeAvp(BASE_AVPS.sessionId, call.sessionId),
    makeAvp(BASE_AVPS.originHost, identity.originHost),
    makeAvp(BASE_AVPS.originRealm, identity.originRealm),
    makeAvp(BASE_AVPS.destinationRealm, target.destinationRealm),
    makeAvp(BASE_AVPS.authApplicationId, APPLICATION.creditControl),
    makeAvp(CC.serviceContextId, target.serviceContextId),
    makeAvp(CC.ccRequestType, CC_REQUEST_TYPE[call.requestType]),
    makeAvp(CC.ccRequestNumber, call.requestNumber),
  ];
  if (target.destinationHost !== undefined)
    avps.push(makeAvp(BASE_AVPS.destinationHost, target.destinationHost));
  if (call.requestType === 'event') avps.push(makeAvp(CC.requestedAction, REQUESTED_ACTION.directDebiting));
  if (call.subscriber !== undefined)
    avps.push(
      makeAvp(CC.subscriptionId, [
        makeAvp(CC.subscriptionIdType, SUBSCRIPTION_TYPES[call.subscriber.kind]),
        // END_USER_E164 is digits only (RFC 4006 8.47): "+4930..." goes out as "4930...".
        makeAvp(
          CC.subscriptionIdData,
          call.subscriber.kind === 'msisdn'
            ? call.subscriber.value.replace(/^\+/, '')
            : call.subscriber.value,
        ),
      ]),
    );
  avps.push(makeAvp(CC.multipleServicesIndicator, 1));
  for (const service of call.services)
    avps.push(makeAvp(CC.multipleServicesCreditControl, serviceAvps(service)));
  if (call.destination !== undefined) avps.push(destinationAvp(call.destination));
  return newRequest(COMMAND.creditControl, APPLICATION.creditControl, ids, avps, true);
}

function serviceAvps(service: ServiceUnitsCall): Avp[] {
  const avps: Avp[] = [];
  if (service.requestedUnits === 'default') avps.push(makeAvp(CC.requestedServiceUnit, []));
  else if (service.requestedUnits !== undefined)
    avps.push(makeAvp(CC.requestedServiceUnit, [unitsAvp(service, service.requestedUnits)]));
  if (service.usedUnits !== undefined)
    avps.push(makeAvp(CC.usedServiceUnit, [unitsAvp(service, service.usedUnits)]));
  avps.push(makeAvp(CC.ratingGroup, service.ratingGroup));
  return avps;
}

function unitsAvp(service: ServiceUnitsCall, units: bigint): Avp {
  if (service.unit === 'seconds') return makeAvp(CC.ccTime, Number(units));
  if (service.unit === 'bytes') return makeAvp(CC.ccTotalOctets, units);
  return makeAvp(CC.ccServiceSpecificUnits, units);
}

function destinationAvp(destination: string): Avp {
  const uri = /^[a-z]+:/i.test(destination) ? destination : `tel:${destination}`;
  const ims = makeAvp(CC.imsInformation, [makeAvp(CC.calledPartyAddress, uri)]);
  return makeAvp(CC.serviceInformation, [ims]);
}
