import type {
  CreditControlAnswer,
  CreditControlErrorCode,
  ServiceResultCode,
  ServiceUsageAnswer,
} from '../charging/credit-control.js';
import type { Avp } from './avp.js';
import { makeAvp } from './avp-definition.js';
import { BASE_AVPS } from './base-avps.js';
import { APPLICATION, FINAL_UNIT_ACTION } from './command-codes.js';
import { CREDIT_CONTROL_AVPS as CC } from './credit-control-avps.js';
import type { ParsedCreditControlRequest } from './parse-credit-control-request.js';
import { RESULT_CODE } from './result-codes.js';

export const SERVICE_RESULT_CODES: Readonly<Record<ServiceResultCode, number>> = {
  success: RESULT_CODE.success,
  insufficient_balance: RESULT_CODE.creditLimitReached,
  rating_failed: RESULT_CODE.ratingFailed,
  service_denied: RESULT_CODE.endUserServiceDenied,
};

export const ERROR_RESULT_CODES: Readonly<Record<CreditControlErrorCode, number>> = {
  unknown_subscriber: RESULT_CODE.userUnknown,
  unknown_session: RESULT_CODE.unknownSessionId,
  session_expired: RESULT_CODE.unknownSessionId,
  invalid_request: RESULT_CODE.invalidAvpValue,
  insufficient_balance: RESULT_CODE.creditLimitReached,
  charging_unavailable: RESULT_CODE.tooBusy,
};

/** CC-Time is an Unsigned32 (RFC 4006 8.21); a larger grant is capped, never wrapped. */
const MAX_UNSIGNED32 = 0xffffffffn;

export interface CreditControlAnswerBody {
  readonly resultCode: number;
  /** The AVPs after Session-Id, Result-Code, Origin-Host and Origin-Realm (RFC 4006 3.2). */
  readonly avps: readonly Avp[];
}

/** The CCA for a charging answer, in the form the request took (with MSCC or without). */
export function creditControlAnswerBody(
  request: ParsedCreditControlRequest,
  answer: CreditControlAnswer,
): CreditControlAnswerBody {
  const avps: Avp[] = [
    makeAvp(BASE_AVPS.authApplicationId, APPLICATION.creditControl),
    makeAvp(CC.ccRequestType, request.requestType),
    makeAvp(CC.ccRequestNumber, request.requestNumber),
  ];
  if (!answer.ok) {
    avps.push(makeAvp(BASE_AVPS.errorMessage, answer.message));
    return { resultCode: ERROR_RESULT_CODES[answer.code], avps };
  }
  // RFC 4006 5.1.2: a termination grants nothing; its answer only confirms the final report.
  const services = request.operation === 'terminate' ? [] : answer.services;
  if (request.multipleServices) {
    for (const service of services)
      avps.push(makeAvp(CC.multipleServicesCreditControl, serviceAvps(service, true)));
    return { resultCode: commandResultCode(answer.services), avps };
  }
  const single = services[0];
  if (single !== undefined) avps.push(...serviceAvps(single, false));
  return {
    resultCode: single === undefined ? RESULT_CODE.success : SERVICE_RESULT_CODES[single.resultCode],
    avps,
  };
}

/**
 * The command succeeds when any service was answered, each MSCC carrying its own Result-Code
 * (RFC 4006 8.16); only a request for one service refused for credit fails as a whole (4012).
 */
function commandResultCode(services: readonly ServiceUsageAnswer[]): number {
  const only = services.length === 1 ? services[0] : undefined;
  return only?.resultCode === 'insufficient_balance' ? RESULT_CODE.creditLimitReached : RESULT_CODE.success;
}

/** An MSCC's contents (RFC 4006 8.16), or the same AVPs at command level in single-service form. */
function serviceAvps(service: ServiceUsageAnswer, inMscc: boolean): Avp[] {
  const avps: Avp[] = [];
  if (service.grantedUnits > 0n) {
    avps.push(makeAvp(CC.grantedServiceUnit, [grantedUnits(service)]));
    if (service.validityTimeSeconds > 0) avps.push(makeAvp(CC.validityTime, service.validityTimeSeconds));
  }
  if (inMscc)
    avps.push(
      makeAvp(CC.ratingGroup, service.ratingGroup),
      makeAvp(BASE_AVPS.resultCode, SERVICE_RESULT_CODES[service.resultCode]),
    );
  if (service.finalUnit)
    avps.push(makeAvp(CC.finalUnitIndication, [makeAvp(CC.finalUnitAction, FINAL_UNIT_ACTION.terminate)]));
  return avps;
}

/** RFC 4006 8.17: the grant in the unit the service is charged in. */
function grantedUnits(service: ServiceUsageAnswer): Avp {
  switch (service.unit) {
    case 'seconds':
      return makeAvp(
        CC.ccTime,
        Number(service.grantedUnits > MAX_UNSIGNED32 ? MAX_UNSIGNED32 : service.grantedUnits),
      );
    case 'bytes':
      return makeAvp(CC.ccTotalOctets, service.grantedUnits);
    case 'messages':
    case 'units':
      return makeAvp(CC.ccServiceSpecificUnits, service.grantedUnits);
  }
}
