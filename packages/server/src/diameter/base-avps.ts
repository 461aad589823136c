import { defineAvp } from './avp-definition.js';

/**
 * The RFC 6733 base protocol AVPs we read or write (section 4.5 lists their types and flags;
 * "M: must not" entries are defined with `mandatory: false`).
 */
export const BASE_AVPS = {
  userName: defineAvp('User-Name', 1, 'UTF8String'),
  proxyState: defineAvp('Proxy-State', 33, 'OctetString'),
  eventTimestamp: defineAvp('Event-Timestamp', 55, 'Time'),
  hostIpAddress: defineAvp('Host-IP-Address', 257, 'Address'),
  authApplicationId: defineAvp('Auth-Application-Id', 258, 'Unsigned32'),
  acctApplicationId: defineAvp('Acct-Application-Id', 259, 'Unsigned32'),
  vendorSpecificApplicationId: defineAvp('Vendor-Specific-Application-Id', 260, 'Grouped'),
  sessionId: defineAvp('Session-Id', 263, 'UTF8String'),
  originHost: defineAvp('Origin-Host', 264, 'DiameterIdentity'),
  supportedVendorId: defineAvp('Supported-Vendor-Id', 265, 'Unsigned32'),
  vendorId: defineAvp('Vendor-Id', 266, 'Unsigned32'),
  firmwareRevision: defineAvp('Firmware-Revision', 267, 'Unsigned32', { mandatory: false }),
  resultCode: defineAvp('Result-Code', 268, 'Unsigned32'),
  productName: defineAvp('Product-Name', 269, 'UTF8String', { mandatory: false }),
  disconnectCause: defineAvp('Disconnect-Cause', 273, 'Enumerated'),
  originStateId: defineAvp('Origin-State-Id', 278, 'Unsigned32'),
  failedAvp: defineAvp('Failed-AVP', 279, 'Grouped'),
  proxyHost: defineAvp('Proxy-Host', 280, 'DiameterIdentity'),
  errorMessage: defineAvp('Error-Message', 281, 'UTF8String', { mandatory: false }),
  routeRecord: defineAvp('Route-Record', 282, 'DiameterIdentity'),
  destinationRealm: defineAvp('Destination-Realm', 283, 'DiameterIdentity'),
  proxyInfo: defineAvp('Proxy-Info', 284, 'Grouped'),
  destinationHost: defineAvp('Destination-Host', 293, 'DiameterIdentity'),
  errorReportingHost: defineAvp('Error-Reporting-Host', 294, 'DiameterIdentity', { mandatory: false }),
  terminationCause: defineAvp('Termination-Cause', 295, 'Enumerated'),
  originRealm: defineAvp('Origin-Realm', 296, 'DiameterIdentity'),
  experimentalResult: defineAvp('Experimental-Result', 297, 'Grouped'),
  experimentalResultCode: defineAvp('Experimental-Result-Code', 298, 'Unsigned32'),
  inbandSecurityId: defineAvp('Inband-Security-Id', 299, 'Unsigned32'),
} as const;
