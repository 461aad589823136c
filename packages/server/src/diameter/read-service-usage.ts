import type { ServiceUsageRequest } from '../charging/credit-control.js';
import type { Avp } from './avp.js';
import { CREDIT_CONTROL_AVPS as CC } from './credit-control-avps.js';
import { findAllAvps, findAvp, findValue } from './find-avp.js';

/**
 * How a request asks for units. Initial and update requests ask with Requested-Service-Unit;
 * without one they ask for nothing (a usage report). An event without one asks for the
 * service's default (one message, say). A termination never asks (RFC 4006 5.1.2).
 */
export type UnitsWanted = 'session' | 'event' | 'termination';

/**
 * One service of a CCR: the children of a Multiple-Services-Credit-Control, or the CCR itself in
 * RFC 4006's single-service form. The rating group is Rating-Group, or 0 when absent.
 * Requested-Service-Unit without units asks for the service's default grant (`undefined`).
 */
export function readServiceUsage(
  avps: readonly Avp[],
  destination: string | undefined,
  wanted: UnitsWanted,
  ratingGroup = findValue(avps, CC.ratingGroup) ?? 0,
): ServiceUsageRequest {
  const requested = findAvp(avps, CC.requestedServiceUnit);
  const requestedUnits =
    wanted === 'termination'
      ? undefined
      : requested?.type === 'Grouped'
        ? serviceUnits(requested.value)
        : wanted === 'session'
          ? 0n
          : undefined;
  return { ratingGroup, destination, requestedUnits, usedUnits: usedUnits(avps) };
}

/** Several Used-Service-Units (around a tariff change, RFC 4006 8.19) are added up. */
function usedUnits(avps: readonly Avp[]): bigint | undefined {
  let total: bigint | undefined;
  for (const used of findAllAvps(avps, CC.usedServiceUnit)) {
    const units = used.type === 'Grouped' ? serviceUnits(used.value) : undefined;
    if (units !== undefined) total = (total ?? 0n) + units;
  }
  return total;
}

/**
 * The quantity of a Requested-, Used- or Granted-Service-Unit (RFC 4006 8.17-8.21). The charging
 * port takes one quantity; when a network reports several (a PGW reports time and octets
 * together), octets win, then time, then service-specific units. CC-Money is not read.
 */
export function serviceUnits(avps: readonly Avp[]): bigint | undefined {
  const total = findValue(avps, CC.ccTotalOctets);
  if (total !== undefined) return total;
  const input = findValue(avps, CC.ccInputOctets);
  const output = findValue(avps, CC.ccOutputOctets);
  if (input !== undefined || output !== undefined) return (input ?? 0n) + (output ?? 0n);
  const seconds = findValue(avps, CC.ccTime);
  if (seconds !== undefined) return BigInt(seconds);
  return findValue(avps, CC.ccServiceSpecificUnits);
}
