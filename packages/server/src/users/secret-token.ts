import { createHash, randomBytes } from 'node:crypto';

/** Session and password reset tokens: 256 random bits, base64url (43 characters). */
const TOKEN_BYTES = 32;
const TOKEN_FORM = /^[A-Za-z0-9_-]{43}$/;

export function createSecretToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * What is stored in place of a token: its SHA-256, hex. A token has 256 bits of entropy, so unlike a
 * password it needs no slow hash; a database reader learns nothing that lets them present it.
 */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Whether a presented value could be one of our tokens; anything else is refused unread. */
export function isWellFormedToken(value: string): boolean {
  return TOKEN_FORM.test(value);
}
