import { describe, expect, it } from 'vitest';
import { isE164, type NumberingContext, normaliseE164 } from './e164.js';

const GERMANY: NumberingContext = { countryCode: '49', internationalPrefix: '00', trunkPrefix: '0' };
const US: NumberingContext = { countryCode: '1', internationalPrefix: '011', trunkPrefix: '1' };
const ITALY: NumberingContext = { countryCode: '39', internationalPrefix: '00', trunkPrefix: '' };
const contexts = { GERMANY, US, ITALY };
type ContextName = keyof typeof contexts;

describe('normaliseE164', () => {
  it.each<[string, ContextName, string]>([
    ['+4930123', 'GERMANY', '+4930123'],
    ['+4930123', 'US', '+4930123'],
    ['004930123', 'GERMANY', '+4930123'],
    ['030123456', 'GERMANY', '+4930123456'],
    ['30123456', 'GERMANY', '+4930123456'],
    ['+49 30 123456', 'GERMANY', '+4930123456'],
    ['+49 (0)30 123456', 'GERMANY', '+4930123456'],
    ['0049 (0)30 123456', 'GERMANY', '+4930123456'],
    ['(030) 123-456', 'GERMANY', '+4930123456'],
    ['030/123456', 'GERMANY', '+4930123456'],
    ['030.123.456', 'GERMANY', '+4930123456'],
    ['  030 123456  ', 'GERMANY', '+4930123456'],
    ['0033 1 23 45 67 89', 'GERMANY', '+33123456789'],
    ['tel:+49-30-123456', 'GERMANY', '+4930123456'],
    ['tel:030123456;phone-context=+49', 'GERMANY', '+4930123456'],
    ['TEL:+4930123', 'GERMANY', '+4930123'],
    ['sip:+4930123@host', 'GERMANY', '+4930123'],
    ['sip:+4930123@sbc.example.net:5060;user=phone', 'GERMANY', '+4930123'],
    ['sips:030123@host', 'GERMANY', '+4930123'],
    ['sip:+4930123;npdi@host', 'GERMANY', '+4930123'],
    ['(415) 555-2671', 'US', '+14155552671'],
    ['1-415-555-2671', 'US', '+14155552671'],
    ['4155552671', 'US', '+14155552671'],
    ['011 49 30 123', 'US', '+4930123'],
    ['06 1234 5678', 'ITALY', '+390612345678'],
    ['0039 06 1234 5678', 'ITALY', '+390612345678'],
    ['+123456789012345', 'GERMANY', '+123456789012345'],
    ['0123456789012', 'GERMANY', '+49123456789012'],
  ])('%j in %s is %s', (number, context, e164) => {
    expect(normaliseE164(number, contexts[context])).toEqual({ ok: true, value: e164 });
  });

  it.each<[string, string]>([
    ['', 'expected digits'],
    ['   ', 'expected digits'],
    ['+', 'expected digits'],
    ['0800-FLOWERS', 'expected digits'],
    ['abc', 'expected digits'],
    ['*100#', 'expected digits'],
    ['#31#030123', 'expected digits'],
    ['+49+30123', 'expected digits'],
    ['030123x5', 'expected digits'],
    ['++4930123', 'expected digits'],
    ['sip:alice@host', 'expected digits'],
    ['sip:host.example.net', 'user part'],
    ['sip:192.168.0.1', 'user part'],
    ['mailto:+4930123', 'expected digits'],
    ['0', 'no number after the prefix'],
    ['00', 'no number after the prefix'],
    ['+1234567890123456', 'more than 15 digits'],
    ['001234567890123456', 'more than 15 digits'],
    ['01234567890123456', 'more than 15 digits'],
    ['+0049301234', 'country code never starts with 0'],
    ['0000301234', 'country code never starts with 0'],
    ['1'.repeat(300), 'too long'],
  ])('rejects %j (%s)', (number, reason) => {
    const result = normaliseE164(number, GERMANY);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_number');
      expect(result.error.message).toContain(reason);
    }
  });

  it.each<NumberingContext>([
    { countryCode: '049', internationalPrefix: '00', trunkPrefix: '0' },
    { countryCode: '+49', internationalPrefix: '00', trunkPrefix: '0' },
    { countryCode: '1234', internationalPrefix: '00', trunkPrefix: '0' },
    { countryCode: '49', internationalPrefix: '', trunkPrefix: '0' },
    { countryCode: '49', internationalPrefix: '00', trunkPrefix: 'x' },
  ])('throws on the malformed context %j', (context) => {
    expect(() => normaliseE164('030123', context)).toThrow(RangeError);
  });
});

describe('isE164', () => {
  it.each([
    ['+4930123456', true],
    ['+1', true],
    ['+123456789012345', true],
    ['+1234567890123456', false],
    ['4930123456', false],
    ['+04930123', false],
    ['+49 30 123', false],
    ['+', false],
    ['', false],
    [' +4930123', false],
  ])('%j is %s', (text, expected) => {
    expect(isE164(text)).toBe(expected);
  });
});
