import { defineAvp } from './avp-definition.js';

/** 3GPP's IANA enterprise number, the vendor of the TS 32.299 AVPs. */
export const VENDOR_3GPP = 10415;
const V3GPP = { vendorId: VENDOR_3GPP } as const;

/**
 * The RFC 4006 credit-control AVPs (section 8 and the table in 12.3), Called-Station-Id
 * (RFC 7155 4.2.5), and the few 3GPP TS 32.299 AVPs the Gy/Ro server reads.
 */
export const CREDIT_CONTROL_AVPS = {
  calledStationId: defineAvp('Called-Station-Id', 30, 'UTF8String'),
  ccInputOctets: defineAvp('CC-Input-Octets', 412, 'Unsigned64'),
  ccMoney: defineAvp('CC-Money', 413, 'Grouped'),
  ccOutputOctets: defineAvp('CC-Output-Octets', 414, 'Unsigned64'),
  ccRequestNumber: defineAvp('CC-Request-Number', 415, 'Unsigned32'),
  ccRequestType: defineAvp('CC-Request-Type', 416, 'Enumerated'),
  ccServiceSpecificUnits: defineAvp('CC-Service-Specific-Units', 417, 'Unsigned64'),
  ccTime: defineAvp('CC-Time', 420, 'Unsigned32'),
  ccTotalOctets: defineAvp('CC-Total-Octets', 421, 'Unsigned64'),
  currencyCode: defineAvp('Currency-Code', 425, 'Unsigned32'),
  creditControlFailureHandling: defineAvp('Credit-Control-Failure-Handling', 427, 'Enumerated'),
  exponent: defineAvp('Exponent', 429, 'Integer32'),
  finalUnitIndication: defineAvp('Final-Unit-Indication', 430, 'Grouped'),
  grantedServiceUnit: defineAvp('Granted-Service-Unit', 431, 'Grouped'),
  ratingGroup: defineAvp('Rating-Group', 432, 'Unsigned32'),
  requestedAction: defineAvp('Requested-Action', 436, 'Enumerated'),
  requestedServiceUnit: defineAvp('Requested-Service-Unit', 437, 'Grouped'),
  serviceIdentifier: defineAvp('Service-Identifier', 439, 'Unsigned32'),
  subscriptionId: defineAvp('Subscription-Id', 443, 'Grouped'),
  subscriptionIdData: defineAvp('Subscription-Id-Data', 444, 'UTF8String'),
  unitValue: defineAvp('Unit-Value', 445, 'Grouped'),
  usedServiceUnit: defineAvp('Used-Service-Unit', 446, 'Grouped'),
  valueDigits: defineAvp('Value-Digits', 447, 'Integer64'),
  validityTime: defineAvp('Validity-Time', 448, 'Unsigned32'),
  finalUnitAction: defineAvp('Final-Unit-Action', 449, 'Enumerated'),
  subscriptionIdType: defineAvp('Subscription-Id-Type', 450, 'Enumerated'),
  tariffTimeChange: defineAvp('Tariff-Time-Change', 451, 'Time'),
  tariffChangeUsage: defineAvp('Tariff-Change-Usage', 452, 'Enumerated'),
  multipleServicesIndicator: defineAvp('Multiple-Services-Indicator', 455, 'Enumerated'),
  multipleServicesCreditControl: defineAvp('Multiple-Services-Credit-Control', 456, 'Grouped'),
  userEquipmentInfo: defineAvp('User-Equipment-Info', 458, 'Grouped', { mandatory: false }),
  userEquipmentInfoType: defineAvp('User-Equipment-Info-Type', 459, 'Enumerated', { mandatory: false }),
  userEquipmentInfoValue: defineAvp('User-Equipment-Info-Value', 460, 'OctetString', { mandatory: false }),
  serviceContextId: defineAvp('Service-Context-Id', 461, 'UTF8String'),
  calledPartyAddress: defineAvp('Called-Party-Address', 832, 'UTF8String', V3GPP),
  reportingReason: defineAvp('Reporting-Reason', 872, 'Enumerated', V3GPP),
  serviceInformation: defineAvp('Service-Information', 873, 'Grouped', { ...V3GPP, opaqueChildren: true }),
  imsInformation: defineAvp('IMS-Information', 876, 'Grouped', V3GPP),
  addressData: defineAvp('Address-Data', 897, 'UTF8String', V3GPP),
  recipientAddress: defineAvp('Recipient-Address', 1201, 'Grouped', V3GPP),
  smsInformation: defineAvp('SMS-Information', 2000, 'Grouped', V3GPP),
  recipientInfo: defineAvp('Recipient-Info', 2026, 'Grouped', V3GPP),
} as const;
