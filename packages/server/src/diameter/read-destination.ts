import type { Avp } from './avp.js';
import { CREDIT_CONTROL_AVPS as CC } from './credit-control-avps.js';
import { findGroup, findValue } from './find-avp.js';

/**
 * The number called or messaged: 3GPP TS 32.299 IMS-Information/Called-Party-Address (a call),
 * else SMS-Information/Recipient-Info/Recipient-Address/Address-Data (a message), else
 * Called-Station-Id (RFC 7155 4.2.5; an APN for data, which tariffs may price as well).
 */
export function readDestination(avps: readonly Avp[]): string | undefined {
  const serviceInformation = findGroup(avps, CC.serviceInformation) ?? [];
  const ims = findGroup(serviceInformation, CC.imsInformation);
  const called = ims === undefined ? undefined : findValue(ims, CC.calledPartyAddress);
  if (called !== undefined) return addressPart(called);
  const recipient = smsRecipient(serviceInformation);
  if (recipient !== undefined) return addressPart(recipient);
  return findValue(avps, CC.calledStationId);
}

function smsRecipient(serviceInformation: readonly Avp[]): string | undefined {
  const sms = findGroup(serviceInformation, CC.smsInformation);
  const info = sms === undefined ? undefined : findGroup(sms, CC.recipientInfo);
  const address = info === undefined ? undefined : findGroup(info, CC.recipientAddress);
  return address === undefined ? undefined : findValue(address, CC.addressData);
}

/**
 * The number inside a URI: `tel:+4930123;phone-context=x` (RFC 3966) and
 * `sip:+4930123@ims.example;user=phone` (RFC 3261) both give `+4930123`.
 */
export function addressPart(uri: string): string {
  const text = uri.trim();
  const scheme = /^(tel|sips?):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return text;
  const rest = text.slice(scheme.length + 1);
  const user = scheme === 'tel' ? rest : (rest.split('@')[0] ?? rest);
  return user.split(';')[0] ?? user;
}
