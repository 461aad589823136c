import type { CreditControlRequest } from './credit-control.js';

/** Services in one request, at most: RFC 4006 sets no limit, a real network sends a handful. */
export const MAX_SERVICES_PER_REQUEST = 32;
/** The most units one request may ask for or report: far beyond any real grant, and exact in a double. */
const MAX_UNITS = 2n ** 50n;
/** Diameter's CC-Request-Number is an Unsigned32. */
const MAX_REQUEST_NUMBER = 2 ** 31 - 1;

/** What is wrong with a request's shape, naming the field, or null when nothing is. */
export function checkCreditControlRequest(operation: string, request: CreditControlRequest): string | null {
  if (request.sessionId.length === 0 || request.sessionId.length > 256)
    return 'sessionId: between 1 and 256 characters';
  if (
    !Number.isInteger(request.requestNumber) ||
    request.requestNumber < 0 ||
    request.requestNumber > MAX_REQUEST_NUMBER
  )
    return `requestNumber: an integer from 0 to ${MAX_REQUEST_NUMBER}`;
  if (operation === 'initiate' && request.requestNumber !== 0)
    return 'requestNumber: an initiate is request 0 of its session (RFC 4006 section 8.2)';
  if (operation === 'update' && request.requestNumber === 0)
    return 'requestNumber: an update follows the initiate (1 or more)';
  if (request.services.length > MAX_SERVICES_PER_REQUEST)
    return `services: at most ${MAX_SERVICES_PER_REQUEST} rating groups in one request`;
  if ((operation === 'initiate' || operation === 'event') && request.services.length === 0)
    return 'services: name at least one rating group';
  const seen = new Set<number>();
  for (const [i, service] of request.services.entries()) {
    if (!Number.isInteger(service.ratingGroup) || service.ratingGroup < 0 || service.ratingGroup > 0xffffffff)
      return `services/${i}/ratingGroup: an Unsigned32`;
    if (seen.has(service.ratingGroup))
      return `services/${i}/ratingGroup: ${service.ratingGroup} appears twice`;
    seen.add(service.ratingGroup);
    for (const field of ['requestedUnits', 'usedUnits'] as const) {
      const units = service[field];
      if (units !== undefined && (units < 0n || units > MAX_UNITS))
        return `services/${i}/${field}: from 0 to 2^50`;
    }
    if (service.destination !== undefined && service.destination.length > 256)
      return `services/${i}/destination: at most 256 characters`;
  }
  return null;
}
