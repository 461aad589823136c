import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/record-audit-entry.js';

/** SHA-256 of a request's fields: one idempotency key may only ever stand for one request. */
export function paymentRequestHash(fields: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}
