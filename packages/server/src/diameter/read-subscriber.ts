import type { SubscriberIdentity } from '../charging/credit-control.js';
import type { Avp } from './avp.js';
import { BASE_AVPS } from './base-avps.js';
import { SUBSCRIPTION_ID_TYPE } from './command-codes.js';
import { CREDIT_CONTROL_AVPS as CC } from './credit-control-avps.js';
import { findAllAvps, findValue } from './find-avp.js';

const KIND_BY_TYPE: ReadonlyMap<number, SubscriberIdentity['kind']> = new Map([
  [SUBSCRIPTION_ID_TYPE.e164, 'msisdn'],
  [SUBSCRIPTION_ID_TYPE.imsi, 'imsi'],
  [SUBSCRIPTION_ID_TYPE.sipUri, 'sip_uri'],
  [SUBSCRIPTION_ID_TYPE.nai, 'username'],
]);

/**
 * The subscriber of a CCR: the first Subscription-Id (RFC 4006 8.46) of a type we know, in
 * message order; END_USER_PRIVATE ids are skipped. Without one, User-Name (RFC 6733 8.14) names
 * the user as an NAI, as RFC 4006 8.46 allows. Values are passed on as sent: the charging use
 * cases normalise them in the tenant's numbering context.
 */
export function readSubscriber(avps: readonly Avp[]): SubscriberIdentity | undefined {
  for (const group of findAllAvps(avps, CC.subscriptionId)) {
    if (group.type !== 'Grouped') continue;
    const kind = KIND_BY_TYPE.get(findValue(group.value, CC.subscriptionIdType) ?? -1);
    const value = findValue(group.value, CC.subscriptionIdData);
    if (kind !== undefined && value !== undefined && value !== '')
      return { kind, value: kind === 'msisdn' ? internationalForm(value) : value };
  }
  const userName = findValue(avps, BASE_AVPS.userName);
  return userName === undefined || userName === '' ? undefined : { kind: 'username', value: userName };
}

/**
 * END_USER_E164 is always in international format, digits only (RFC 4006 8.47): a plus sign
 * says so to the numbering rules, which would otherwise read "4930..." as a national number.
 */
function internationalForm(value: string): string {
  return /^\d+$/.test(value) ? `+${value}` : value;
}
