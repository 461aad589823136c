/**
 * The Result-Code values we send (RFC 6733 7.1, RFC 4006 9). 3xxx are protocol errors and go
 * in an answer with the E bit set (RFC 6733 7.1.3); the others do not.
 */
export const RESULT_CODE = {
  success: 2001,
  commandUnsupported: 3001,
  tooBusy: 3004,
  applicationUnsupported: 3007,
  invalidHeaderBits: 3008,
  unknownPeer: 3010,
  endUserServiceDenied: 4010,
  creditLimitReached: 4012,
  avpUnsupported: 5001,
  unknownSessionId: 5002,
  invalidAvpValue: 5004,
  missingAvp: 5005,
  noCommonApplication: 5010,
  unsupportedVersion: 5011,
  unableToComply: 5012,
  invalidAvpLength: 5014,
  invalidMessageLength: 5015,
  userUnknown: 5030,
  ratingFailed: 5031,
} as const;

export function isProtocolError(resultCode: number): boolean {
  return resultCode >= 3000 && resultCode < 4000;
}
