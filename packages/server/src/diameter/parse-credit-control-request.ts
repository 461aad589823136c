import type { ServiceUsageRequest, SubscriberIdentity } from '../charging/credit-control.js';
import type { Avp } from './avp.js';
import type { AvpDefinition } from './avp-definition.js';
import { BASE_AVPS } from './base-avps.js';
import { APPLICATION, CC_REQUEST_TYPE, REQUESTED_ACTION } from './command-codes.js';
import { CREDIT_CONTROL_AVPS as CC } from './credit-control-avps.js';
import { findAllAvps, findAvp, findValue } from './find-avp.js';
import { missingAvp } from './missing-avp.js';
import { readDestination } from './read-destination.js';
import { readServiceUsage, type UnitsWanted } from './read-service-usage.js';
import { readSubscriber } from './read-subscriber.js';
import { RESULT_CODE } from './result-codes.js';

export type CreditControlOperation = 'initiate' | 'update' | 'terminate' | 'event';

export interface ParsedCreditControlRequest {
  readonly operation: CreditControlOperation;
  readonly requestType: number;
  readonly requestNumber: number;
  readonly sessionId: string;
  readonly subscriber: SubscriberIdentity | undefined;
  readonly services: readonly ServiceUsageRequest[];
  /** False in RFC 4006's single-service form (no MSCC): the answer then takes the same form. */
  readonly multipleServices: boolean;
}

export type ParsedCreditControl =
  | { readonly ok: true; readonly request: ParsedCreditControlRequest }
  | {
      readonly ok: false;
      readonly resultCode: number;
      readonly message: string;
      readonly failedAvp: Avp | undefined;
      readonly sessionId: string | undefined;
    };

const OPERATIONS: ReadonlyMap<number, CreditControlOperation> = new Map([
  [CC_REQUEST_TYPE.initial, 'initiate'],
  [CC_REQUEST_TYPE.update, 'update'],
  [CC_REQUEST_TYPE.termination, 'terminate'],
  [CC_REQUEST_TYPE.event, 'event'],
]);

/** RFC 4006 3.1: the AVPs every CCR carries ({...} in its ABNF). */
const REQUIRED = [
  BASE_AVPS.sessionId,
  BASE_AVPS.originHost,
  BASE_AVPS.originRealm,
  BASE_AVPS.destinationRealm,
  BASE_AVPS.authApplicationId,
  CC.serviceContextId,
  CC.ccRequestType,
  CC.ccRequestNumber,
] as const;

/** Reads a CCR (RFC 4006 3.1) into the charging port's terms, or the protocol error to answer. */
export function parseCreditControlRequest(avps: readonly Avp[]): ParsedCreditControl {
  const sessionId = findValue(avps, BASE_AVPS.sessionId);
  const missing = REQUIRED.find((definition) => findAvp(avps, definition) === undefined);
  if (missing !== undefined)
    return refuse(RESULT_CODE.missingAvp, `${missing.name} is missing`, missingAvp(missing), sessionId);
  const invalid = invalidValue(avps);
  if (invalid !== undefined)
    return refuse(
      RESULT_CODE.invalidAvpValue,
      `${invalid.name} has a value we do not support`,
      findAvp(avps, invalid),
      sessionId,
    );
  const requestType = findValue(avps, CC.ccRequestType) ?? 0;
  const operation = OPERATIONS.get(requestType) ?? 'event';
  const subscriber = readSubscriber(avps);
  if (subscriber === undefined && (operation === 'initiate' || operation === 'event'))
    return refuse(
      RESULT_CODE.missingAvp,
      'Subscription-Id is missing',
      missingAvp(CC.subscriptionId),
      sessionId,
    );
  const msccs = findAllAvps(avps, CC.multipleServicesCreditControl);
  return {
    ok: true,
    request: {
      operation,
      requestType,
      requestNumber: findValue(avps, CC.ccRequestNumber) ?? 0,
      sessionId: sessionId ?? '',
      subscriber,
      services: msccs.length > 0 ? multipleServices(avps, msccs, operation) : singleService(avps, operation),
      multipleServices: msccs.length > 0,
    },
  };
}

/** The first AVP whose value is outside what we implement, for a 5004 answer. */
function invalidValue(avps: readonly Avp[]): AvpDefinition | undefined {
  if (findValue(avps, BASE_AVPS.authApplicationId) !== APPLICATION.creditControl)
    return BASE_AVPS.authApplicationId;
  const requestType = findValue(avps, CC.ccRequestType) ?? 0;
  if (!OPERATIONS.has(requestType)) return CC.ccRequestType;
  // RFC 4006 8.41: only DIRECT_DEBITING events are charged; refunds and enquiries are not offered.
  const action = findValue(avps, CC.requestedAction);
  if (
    requestType === CC_REQUEST_TYPE.event &&
    action !== undefined &&
    action !== REQUESTED_ACTION.directDebiting
  )
    return CC.requestedAction;
  return undefined;
}

function unitsWanted(operation: CreditControlOperation): UnitsWanted {
  if (operation === 'terminate') return 'termination';
  return operation === 'event' ? 'event' : 'session';
}

function multipleServices(avps: readonly Avp[], msccs: readonly Avp[], operation: CreditControlOperation) {
  const destination = readDestination(avps);
  const wanted = unitsWanted(operation);
  return msccs.map((mscc) =>
    readServiceUsage(mscc.type === 'Grouped' ? mscc.value : [], destination, wanted),
  );
}

/**
 * RFC 4006 5.1.1 single-service form: Requested- and Used-Service-Unit at command level stand
 * for one service, rating group 0. A first request or event without them asks for rating
 * group 0's default grant; an update or termination without them reports nothing.
 */
function singleService(avps: readonly Avp[], operation: CreditControlOperation): ServiceUsageRequest[] {
  const hasUnits =
    findAvp(avps, CC.requestedServiceUnit) !== undefined || findAvp(avps, CC.usedServiceUnit) !== undefined;
  if (!hasUnits && (operation === 'update' || operation === 'terminate')) return [];
  const wanted = hasUnits ? unitsWanted(operation) : 'event';
  return [readServiceUsage(avps, readDestination(avps), wanted, 0)];
}

function refuse(
  resultCode: number,
  message: string,
  failedAvp: Avp | undefined,
  sessionId: string | undefined,
): ParsedCreditControl {
  return { ok: false, resultCode, message, failedAvp, sessionId };
}
