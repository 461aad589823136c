import { fail, ok, type Result } from '../result.js';

/**
 * How numbers are dialled where a number came from, e.g. Germany
 * `{ countryCode: '49', internationalPrefix: '00', trunkPrefix: '0' }` or the NANP
 * `{ countryCode: '1', internationalPrefix: '011', trunkPrefix: '1' }`. An empty trunkPrefix
 * means the country has none (Italy, Spain): national numbers are dialled as they are.
 */
export interface NumberingContext {
  countryCode: string;
  internationalPrefix: string;
  trunkPrefix: string;
}

/**
 * ITU-T Recommendation E.164 (11/2010): an international public telecommunication number is a
 * country code of 1 to 3 digits (never starting with 0) followed by the national significant
 * number, at most 15 digits in all. We write it with a leading "+", as E.123 and RFC 3966 do.
 */
const E164_PATTERN = /^\+[1-9]\d{0,14}$/;
const MAX_E164_DIGITS = 15;

/** A bound on input length, checked before any pattern runs; SIP URIs carry hosts and params. */
const MAX_NUMBER_TEXT_LENGTH = 256;

/**
 * Visual separators people and switches put in numbers: RFC 3966's visual-separator set
 * ("-", ".", "(", ")"), plus white space and the "/" of older German and Austrian notation.
 */
const VISUAL_SEPARATORS = /[\s\-./()]/g;
/** The optional trunk digit written inside an international number: "+49 (0)30 123". */
const OPTIONAL_TRUNK_ZERO = /(?<=.)\(0\)/;
const URI_SCHEME = /^(tel|sips?):/i;

/**
 * Normalises a dialled or presented number to E.164 form: "+" and digits, no separators.
 * - "+49 30 123" stays international: "+4930123";
 * - "0049 30 123" (international prefix) becomes "+4930123";
 * - "+49 (0)30 123" drops the optional trunk digit "(0)": "+4930123";
 * - "030 123456" (trunk prefix) becomes "+4930123456" (the context's country code);
 * - "30123456" (a national significant number) becomes "+4930123456";
 * - "tel:+4930123" and "sip:+4930123@host;user=phone" yield their user part.
 * Letters, "*" and "#" service codes, and numbers over 15 digits fail with `invalid_number`.
 * A malformed context is a configuration bug and throws.
 */
export function normaliseE164(number: string, context: NumberingContext): Result<string> {
  assertContext(context);
  if (number.length > MAX_NUMBER_TEXT_LENGTH) return invalid(number, 'too long');
  const userPart = extractUserPart(number.trim());
  if (userPart === undefined) return invalid(number, 'a SIP URI needs a user part ("sip:+4930123@host")');
  const compact = userPart.replace(OPTIONAL_TRUNK_ZERO, '').replace(VISUAL_SEPARATORS, '');
  const international = compact.startsWith('+');
  const digits = international ? compact.slice(1) : compact;
  if (!/^\d+$/.test(digits)) return invalid(number, 'expected digits, optionally after "+"');
  const internationalDigits = international ? digits : toInternationalDigits(digits, context);
  if (internationalDigits === undefined) return invalid(number, 'no number after the prefix');
  if (internationalDigits.length > MAX_E164_DIGITS) {
    return invalid(number, `more than ${MAX_E164_DIGITS} digits`);
  }
  const e164 = `+${internationalDigits}`;
  if (!E164_PATTERN.test(e164)) return invalid(number, 'a country code never starts with 0');
  return ok(e164);
}

/** True for text already in normalised E.164 form: "+", a non-zero digit, at most 15 digits. */
export function isE164(text: string): boolean {
  return E164_PATTERN.test(text);
}

/**
 * Digits dialled inside the context's country as country code + national significant number,
 * or undefined when nothing follows the prefix. The international prefix is tried first: it
 * usually begins with the trunk prefix ("00" and "0").
 */
function toInternationalDigits(digits: string, context: NumberingContext): string | undefined {
  const { countryCode, internationalPrefix, trunkPrefix } = context;
  if (digits.startsWith(internationalPrefix)) {
    const internationalDigits = digits.slice(internationalPrefix.length);
    return internationalDigits === '' ? undefined : internationalDigits;
  }
  const hasTrunkPrefix = trunkPrefix !== '' && digits.startsWith(trunkPrefix);
  const nationalNumber = hasTrunkPrefix ? digits.slice(trunkPrefix.length) : digits;
  return nationalNumber === '' ? undefined : countryCode + nationalNumber;
}

/**
 * The number inside a tel: (RFC 3966) or sip:/sips: (RFC 3261) URI, without parameters;
 * other text is returned as it is. Undefined for a SIP URI without a user part.
 */
function extractUserPart(text: string): string | undefined {
  const scheme = URI_SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return text;
  const rest = text.slice(scheme.length + 1);
  if (scheme === 'tel') return rest.split(';')[0] ?? '';
  const at = rest.indexOf('@');
  if (at < 0) return undefined;
  return rest.slice(0, at).split(';')[0] ?? '';
}

function assertContext(context: NumberingContext): void {
  const valid =
    /^[1-9]\d{0,2}$/.test(context.countryCode) &&
    /^\d{1,4}$/.test(context.internationalPrefix) &&
    /^\d{0,4}$/.test(context.trunkPrefix);
  if (!valid) throw new RangeError(`invalid numbering context ${JSON.stringify(context)}`);
}

function invalid(number: string, reason: string): Result<never> {
  return fail('invalid_number', `${JSON.stringify(number)} is not a valid phone number: ${reason}`);
}
