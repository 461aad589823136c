import { randomBytes } from 'node:crypto';

/**
 * A new signing secret: `whsec_` and 32 random bytes (256 bits) in base64url. The prefix tells
 * people and secret scanners what it is. It is stored as it is (the dispatcher needs it to sign),
 * and shown once.
 */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
