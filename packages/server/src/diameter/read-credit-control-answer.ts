import type { ServiceUnitKind } from '../charging/credit-control.js';
import type { Avp } from './avp.js';
import { BASE_AVPS } from './base-avps.js';
import { CREDIT_CONTROL_AVPS as CC } from './credit-control-avps.js';
import type { CreditControlResult, ServiceUnitsResult } from './credit-control-call.js';
import type { DiameterMessage } from './diameter-message.js';
import { findAllAvps, findAvp, findGroup, findValue } from './find-avp.js';

/** A CCA (RFC 4006 3.2) as plain values. */
export function readCreditControlAnswer(answer: DiameterMessage): CreditControlResult {
  const avps = answer.avps;
  const msccs = findAllAvps(avps, CC.multipleServicesCreditControl);
  const services = msccs.flatMap((mscc) => (mscc.type === 'Grouped' ? [serviceResult(mscc.value)] : []));
  if (msccs.length === 0 && findAvp(avps, CC.grantedServiceUnit) !== undefined)
    services.push(serviceResult(avps));
  return {
    resultCode: findValue(avps, BASE_AVPS.resultCode) ?? 0,
    sessionId: findValue(avps, BASE_AVPS.sessionId),
    requestType: findValue(avps, CC.ccRequestType),
    requestNumber: findValue(avps, CC.ccRequestNumber),
    errorMessage: findValue(avps, BASE_AVPS.errorMessage),
    services,
  };
}

function serviceResult(avps: readonly Avp[]): ServiceUnitsResult {
  const granted = findGroup(avps, CC.grantedServiceUnit);
  const [unit, grantedUnits] = granted === undefined ? [undefined, undefined] : grantedQuantity(granted);
  return {
    ratingGroup: findValue(avps, CC.ratingGroup) ?? 0,
    resultCode: findValue(avps, BASE_AVPS.resultCode),
    unit,
    grantedUnits,
    validityTimeSeconds: findValue(avps, CC.validityTime),
    finalUnit: findAvp(avps, CC.finalUnitIndication) !== undefined,
  };
}

function grantedQuantity(avps: readonly Avp[]): [ServiceUnitKind | undefined, bigint | undefined] {
  const seconds = findValue(avps, CC.ccTime);
  if (seconds !== undefined) return ['seconds', BigInt(seconds)];
  const bytes = findValue(avps, CC.ccTotalOctets);
  if (bytes !== undefined) return ['bytes', bytes];
  const units = findValue(avps, CC.ccServiceSpecificUnits);
  return units === undefined ? [undefined, undefined] : ['units', units];
}
