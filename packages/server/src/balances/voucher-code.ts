import { createHash, randomInt } from 'node:crypto';

const GROUP_DIGITS = 4;
const GROUPS = 4;
const GROUP_LIMIT = 10 ** GROUP_DIGITS;

/**
 * A new voucher code: 16 random digits (about 53 bits) from the operating system's CSPRNG, in
 * groups of four for reading aloud or scratching off a card: "4821-0937-5512-0086".
 */
export function generateVoucherCode(): string {
  const groups: string[] = [];
  for (let i = 0; i < GROUPS; i++) groups.push(randomInt(GROUP_LIMIT).toString().padStart(GROUP_DIGITS, '0'));
  return groups.join('-');
}

/** The digits of a code as a customer types it (spaces and dashes ignored); null if it cannot be one. */
export function normaliseVoucherCode(text: string): string | null {
  const digits = text.replace(/[\s-]/g, '');
  return /^\d{16}$/.test(digits) ? digits : null;
}

/**
 * What is stored of a code: SHA-256 over the tenant and the digits, so the database never holds
 * a usable code and the same digits of two tenants are two different hashes (a lookup can never
 * find another tenant's voucher).
 */
export function hashVoucherCode(tenantId: string, code: string): string {
  const digits = normaliseVoucherCode(code);
  if (digits === null) throw new Error('hashVoucherCode needs a well-formed code');
  return createHash('sha256').update(`${tenantId}:${digits}`).digest('hex');
}
