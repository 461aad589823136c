import { isIP } from 'node:net';
import { type NumberingContext, normaliseE164 } from '@tollgate/core';
import type { IdentifierKind } from './account-tables.js';

export type NormalisedIdentifier =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly message: string };

/** 3GPP TS 23.003 section 2.2: MCC (3) + MNC (2 or 3) + MSIN, at most 15 digits in all. */
const IMSI_PATTERN = /^\d{6,15}$/;
const SIP_URI_PATTERN = /^sips?:[^\s@]+@[^\s@]+$/;
/** RFC 2865 section 5.1: User-Name holds at most 253 octets. */
const MAX_USER_NAME_BYTES = 253;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * One form for each identifier, so that the same line identity written two ways is one value in
 * the database (and its uniqueness rule holds): an MSISDN becomes E.164 in the tenant's numbering
 * context ("030 1234567" in Germany is "+49301234567"), an IMSI digits only, a SIP URI lower
 * case, an IPv6 address its RFC 5952 text.
 */
export function normaliseIdentifier(
  kind: IdentifierKind,
  raw: string,
  numbering: NumberingContext,
): NormalisedIdentifier {
  switch (kind) {
    case 'msisdn': {
      const e164 = normaliseE164(raw, numbering);
      return e164.ok ? { ok: true, value: e164.value } : { ok: false, message: e164.error.message };
    }
    case 'imsi':
      return normaliseImsi(raw);
    case 'sip_uri':
      return normaliseSipUri(raw);
    case 'ip':
      return normaliseIpAddress(raw);
    case 'username':
      return normaliseUserName(raw, false);
    case 'radius_user':
      return normaliseUserName(raw, true);
  }
}

function normaliseImsi(raw: string): NormalisedIdentifier {
  const digits = raw.replace(/\s/g, '');
  if (!IMSI_PATTERN.test(digits)) return { ok: false, message: `"${raw}" is not an IMSI: 6 to 15 digits` };
  return { ok: true, value: digits };
}

/**
 * Lower case, as operators provision and compare them (RFC 3261 section 19.1.4 keeps the user
 * part case-sensitive; subscriber databases in practice do not). A missing scheme means sip:.
 */
function normaliseSipUri(raw: string): NormalisedIdentifier {
  const lower = raw.trim().toLowerCase();
  const uri = /^sips?:/.test(lower) ? lower : `sip:${lower}`;
  if (!SIP_URI_PATTERN.test(uri))
    return { ok: false, message: `"${raw}" is not a SIP URI such as sip:alice@example.com` };
  return { ok: true, value: uri };
}

function normaliseIpAddress(raw: string): NormalisedIdentifier {
  const text = raw.trim().replace(/^\[(.*)\]$/, '$1');
  const family = isIP(text);
  if (family === 4) return { ok: true, value: text };
  if (family === 6 && !text.includes('%')) {
    // The URL parser writes IPv6 hosts in the RFC 5952 form: lower case, zeros compressed.
    return { ok: true, value: new URL(`http://[${text}]/`).hostname.slice(1, -1) };
  }
  return { ok: false, message: `"${raw}" is not an IPv4 or IPv6 address` };
}

/**
 * User names are compared as given, but trimmed. For a RADIUS user (a network access identifier,
 * user@realm, RFC 7542) the realm is a domain name, so it is lowercased.
 */
function normaliseUserName(raw: string, isNai: boolean): NormalisedIdentifier {
  const name = raw.trim();
  if (name.length === 0 || CONTROL_CHARACTERS.test(name))
    return { ok: false, message: `"${raw}" is not a user name` };
  if (Buffer.byteLength(name) > MAX_USER_NAME_BYTES)
    return { ok: false, message: `a user name holds at most ${MAX_USER_NAME_BYTES} bytes` };
  const at = name.lastIndexOf('@');
  if (!isNai || at < 0) return { ok: true, value: name };
  return { ok: true, value: `${name.slice(0, at)}@${name.slice(at + 1).toLowerCase()}` };
}
