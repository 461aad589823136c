import { describe, expect, it } from 'vitest';
import type { IdentifierKind } from './account-tables.js';
import { normaliseIdentifier } from './normalise-identifier.js';

const GERMANY = { countryCode: '49', internationalPrefix: '00', trunkPrefix: '0' };
const NANP = { countryCode: '1', internationalPrefix: '011', trunkPrefix: '1' };

describe('normaliseIdentifier', () => {
  it.each<[IdentifierKind, string, string]>([
    ['msisdn', '030 1234567', '+49301234567'],
    ['msisdn', '+49 (0)30 123-4567', '+49301234567'],
    ['msisdn', '0049 30 1234567', '+49301234567'],
    ['msisdn', 'tel:+49301234567', '+49301234567'],
    ['imsi', '262 01 123456789', '26201123456789'],
    ['imsi', '262011', '262011'],
    ['sip_uri', ' SIP:Alice@Example.COM ', 'sip:alice@example.com'],
    ['sip_uri', 'sips:Bob@example.com', 'sips:bob@example.com'],
    ['sip_uri', 'alice@example.com', 'sip:alice@example.com'],
    ['ip', '192.0.2.1', '192.0.2.1'],
    ['ip', '2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['ip', '[2001:db8::1]', '2001:db8::1'],
    ['username', ' Alice ', 'Alice'],
    ['radius_user', 'Alice@Example.NET', 'Alice@example.net'],
    ['radius_user', 'alice', 'alice'],
  ])('%s "%s" is %s', (kind, raw, expected) => {
    expect(normaliseIdentifier(kind, raw, GERMANY)).toEqual({ ok: true, value: expected });
  });

  it('reads national numbers in the tenant numbering context', () => {
    expect(normaliseIdentifier('msisdn', '1 212 555 0100', NANP)).toEqual({
      ok: true,
      value: '+12125550100',
    });
    expect(normaliseIdentifier('msisdn', '011 49 30 123', NANP)).toEqual({ ok: true, value: '+4930123' });
  });

  it.each<[IdentifierKind, string]>([
    ['msisdn', 'call me'],
    ['msisdn', '+0123'],
    ['msisdn', '+1234567890123456'],
    ['imsi', '12345'],
    ['imsi', '1234567890123456'],
    ['imsi', '26201ABC'],
    ['sip_uri', 'sip:alice'],
    ['sip_uri', 'sip:al ice@example.com'],
    ['ip', '300.1.1.1'],
    ['ip', '01.2.3.4'],
    ['ip', 'fe80::1%eth0'],
    ['ip', 'example.com'],
    ['username', '   '],
    ['username', 'tab\there'],
    ['username', 'x'.repeat(254)],
  ])('refuses %s "%s"', (kind, raw) => {
    expect(normaliseIdentifier(kind, raw, GERMANY).ok).toBe(false);
  });
});
