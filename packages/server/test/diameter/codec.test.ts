import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Avp } from '../../src/diameter/avp.js';
import { type AvpDefinition, makeAvp } from '../../src/diameter/avp-definition.js';
import { GY_DICTIONARY } from '../../src/diameter/avp-dictionary.js';
import { BASE_AVPS } from '../../src/diameter/base-avps.js';
import { CREDIT_CONTROL_AVPS } from '../../src/diameter/credit-control-avps.js';
import { decodeMessage } from '../../src/diameter/decode-message.js';
import { addressFromIp, ipFromAddress } from '../../src/diameter/diameter-address.js';
import type { DiameterMessage } from '../../src/diameter/diameter-message.js';
import { encodeMessage } from '../../src/diameter/encode-message.js';

const DEFINITIONS: readonly AvpDefinition[] = [
  ...Object.values(BASE_AVPS),
  ...Object.values(CREDIT_CONTROL_AVPS),
];
const LEAVES = DEFINITIONS.filter((definition) => definition.type !== 'Grouped');
const GROUPS = DEFINITIONS.filter((definition) => definition.type === 'Grouped');

function message(avps: readonly Avp[], overrides: Partial<DiameterMessage> = {}): DiameterMessage {
  return {
    commandCode: 272,
    applicationId: 4,
    request: true,
    proxiable: true,
    error: false,
    retransmitted: false,
    hopByHopId: 0x01020304,
    endToEndId: 0xfffffffe,
    avps,
    ...overrides,
  };
}

function roundTrip(original: DiameterMessage): DiameterMessage {
  const decoded = decodeMessage(encodeMessage(original), GY_DICTIONARY);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.message;
}

const value32 = fc.integer({ min: 0, max: 0xffffffff });
const VALUE_ARBITRARIES: Record<string, fc.Arbitrary<unknown>> = {
  OctetString: fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
  UTF8String: fc.string({ unit: 'grapheme', maxLength: 30 }),
  DiameterIdentity: fc.domain(),
  DiameterURI: fc.webUrl(),
  Integer32: fc.integer({ min: -0x80000000, max: 0x7fffffff }),
  Enumerated: fc.integer({ min: -0x80000000, max: 0x7fffffff }),
  Unsigned32: value32,
  Time: value32,
  Integer64: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  Unsigned64: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  Float32: fc.float(),
  Float64: fc.double(),
  Address: fc.oneof(fc.ipV4(), fc.ipV6()).map(addressFromIp),
};

function leafAvp(definition: AvpDefinition): fc.Arbitrary<Avp> {
  const arbitrary = VALUE_ARBITRARIES[definition.type];
  if (arbitrary === undefined) throw new Error(definition.type);
  return fc.tuple(arbitrary, fc.boolean()).map(([value, isProtected]) => ({
    ...makeAvp(definition, value as never),
    protected: isProtected,
  }));
}

/** AVPs the dictionary does not know come back as OctetString, whatever they held. */
const unknownAvp: fc.Arbitrary<Avp> = fc.record({
  code: fc.integer({ min: 100_000, max: 0xffffffff }),
  vendorId: fc.option(value32, { nil: undefined }),
  mandatory: fc.constant(false),
  protected: fc.boolean(),
  type: fc.constant('OctetString' as const),
  value: fc.uint8Array({ maxLength: 20 }).map((bytes) => Buffer.from(bytes)),
});

const { tree } = fc.letrec<{ tree: Avp }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...LEAVES).chain(leafAvp),
    unknownAvp,
    fc
      .tuple(fc.constantFrom(...GROUPS), fc.array(tie('tree'), { maxLength: 4 }), fc.boolean())
      .map(([definition, children, isProtected]) => ({
        ...makeAvp(definition, children as never),
        protected: isProtected,
      })),
  ),
}));

describe('Diameter codec', () => {
  it('encodes a CCR header as RFC 6733 section 3 lays it out', () => {
    const bytes = encodeMessage(message([makeAvp(BASE_AVPS.sessionId, 'a;1')]));
    expect(bytes.subarray(0, 20).toString('hex')).toBe('01000020c00001100000000401020304fffffffe');
    // Session-Id: code 263, M bit, length 11, "a;1" and one byte of padding.
    expect(bytes.subarray(20).toString('hex')).toBe('000001074000000b613b3100');
  });

  it('writes the vendor id and V bit of a 3GPP AVP', () => {
    const bytes = encodeMessage(message([makeAvp(CREDIT_CONTROL_AVPS.calledPartyAddress, 'tel:+1')]));
    expect(bytes.subarray(20).toString('hex')).toBe('00000340c0000012000028af74656c3a2b310000');
  });

  it('round-trips every data type', () => {
    const avps: Avp[] = [
      makeAvp(BASE_AVPS.sessionId, 'host;1;2;ü'),
      makeAvp(BASE_AVPS.hostIpAddress, addressFromIp('2001:db8::1')),
      makeAvp(BASE_AVPS.eventTimestamp, 3_900_000_000),
      makeAvp(CREDIT_CONTROL_AVPS.ccTotalOctets, 2n ** 64n - 1n),
      makeAvp(CREDIT_CONTROL_AVPS.valueDigits, -(2n ** 63n)),
      makeAvp(CREDIT_CONTROL_AVPS.exponent, -3),
      makeAvp(CREDIT_CONTROL_AVPS.multipleServicesCreditControl, [
        makeAvp(CREDIT_CONTROL_AVPS.requestedServiceUnit, []),
        makeAvp(CREDIT_CONTROL_AVPS.ratingGroup, 7),
      ]),
    ];
    expect(roundTrip(message(avps)).avps).toEqual(avps);
  });

  it('converts addresses both ways', () => {
    for (const ip of ['127.0.0.1', '2001:db8::1', '::1', '::', 'fe80::1:2:3:4'])
      expect(ipFromAddress(addressFromIp(ip))).toBe(ip);
    expect(ipFromAddress(addressFromIp('::ffff:10.0.0.1'))).toBe('10.0.0.1');
  });

  it('decodes what it encodes, for any AVP tree (property)', () => {
    const header = fc.record({
      commandCode: fc.integer({ min: 0, max: 0xffffff }),
      applicationId: value32,
      request: fc.boolean(),
      proxiable: fc.boolean(),
      error: fc.boolean(),
      retransmitted: fc.boolean(),
      hopByHopId: value32,
      endToEndId: value32,
    });
    fc.assert(
      fc.property(header, fc.array(tree, { maxLength: 6 }), (fields, avps) => {
        const original = { ...fields, avps };
        expect(roundTrip(original)).toEqual(original);
      }),
      { numRuns: 300 },
    );
  });

  it('reports an AVP that overruns its message as 5014 with the AVP in Failed-AVP', () => {
    const bytes = encodeMessage(message([makeAvp(CREDIT_CONTROL_AVPS.ccRequestNumber, 1)]));
    bytes.writeUIntBE(64, 25, 3);
    const decoded = decodeMessage(bytes, GY_DICTIONARY);
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.resultCode).toBe(5014);
    expect(decoded.failedAvp).toMatchObject({ code: 415, value: Buffer.alloc(4) });
  });

  it('reports a fixed-size value of the wrong size as 5014 and bad UTF-8 as 5004', () => {
    const wrongSize = message([
      { code: 415, vendorId: undefined, mandatory: true, type: 'OctetString', value: Buffer.alloc(3) },
    ]);
    const badText = message([
      { code: 263, vendorId: undefined, mandatory: true, type: 'OctetString', value: Buffer.from([0xff]) },
    ]);
    expect(decodeMessage(encodeMessage(wrongSize), GY_DICTIONARY)).toMatchObject({
      ok: false,
      resultCode: 5014,
    });
    expect(decodeMessage(encodeMessage(badText), GY_DICTIONARY)).toMatchObject({
      ok: false,
      resultCode: 5004,
    });
  });

  it('flags an unknown AVP with the M bit, but not inside Service-Information', () => {
    const unknown: Avp = {
      code: 99_999,
      vendorId: undefined,
      mandatory: true,
      type: 'OctetString',
      value: Buffer.from('x'),
    };
    const top = decodeMessage(encodeMessage(message([unknown])), GY_DICTIONARY);
    expect(top).toMatchObject({ ok: true, unsupportedAvp: { code: 99_999 } });
    const nested = message([makeAvp(CREDIT_CONTROL_AVPS.serviceInformation, [unknown])]);
    expect(decodeMessage(encodeMessage(nested), GY_DICTIONARY)).toMatchObject({
      ok: true,
      unsupportedAvp: undefined,
    });
  });

  it('refuses grouped AVPs nested deeper than the limit instead of recursing', () => {
    let avp = makeAvp(CREDIT_CONTROL_AVPS.ratingGroup, 1);
    for (let depth = 0; depth < 40; depth += 1)
      avp = makeAvp(CREDIT_CONTROL_AVPS.multipleServicesCreditControl, [avp]);
    expect(decodeMessage(encodeMessage(message([avp])), GY_DICTIONARY)).toMatchObject({
      ok: false,
      resultCode: 5004,
    });
  });
});
