import { createHmac, timingSafeEqual } from 'node:crypto';
import { gatewayFailure, gatewayOk } from './gateway-result.js';
import type { GatewayResult, WebhookRequest } from './payment-gateway.js';

/** The header that carries a sandbox webhook's signature (lower case, as Node gives headers). */
export const SANDBOX_SIGNATURE_HEADER = 'tollgate-sandbox-signature';

/**
 * How far a webhook's signing time may be from the receiver's clock. Stripe's default: long enough
 * for retries and clock drift, short enough that a captured request cannot be replayed later.
 */
export const SANDBOX_SIGNATURE_TOLERANCE_SECONDS = 300;

/** The largest header worth parsing; a real one is about 80 characters. */
const MAX_HEADER_LENGTH = 1024;

/**
 * The signature header for a body, built as Stripe builds its own (t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "<t>.<body>">): the timestamp is signed with the body, so it cannot be changed
 * to make an old request look new.
 */
export function signSandboxPayload(rawBody: Buffer, secret: string, nowMs: number): string {
  const timestamp = Math.floor(nowMs / 1000);
  return `t=${timestamp},v1=${signature(rawBody, secret, timestamp).toString('hex')}`;
}

/**
 * Checks the signature header of a sandbox webhook: the signature first (so that an unsigned
 * request learns nothing about timing), then the age, in both directions.
 */
export function verifySandboxSignature(request: WebhookRequest, secret: string): GatewayResult<null> {
  const header = request.headers[SANDBOX_SIGNATURE_HEADER];
  if (typeof header !== 'string' || header.length > MAX_HEADER_LENGTH) {
    return gatewayFailure('invalid_signature', `expected one ${SANDBOX_SIGNATURE_HEADER} header`);
  }
  const parsed = parseHeader(header);
  if (parsed === null) {
    return gatewayFailure('invalid_signature', `${SANDBOX_SIGNATURE_HEADER} must read t=<seconds>,v1=<hex>`);
  }
  const expected = signature(request.rawBody, secret, parsed.timestamp);
  if (!parsed.signatures.some((candidate) => sameBytes(candidate, expected))) {
    return gatewayFailure('invalid_signature', 'the signature does not match the body');
  }
  const ageSeconds = Math.floor(request.nowMs / 1000) - parsed.timestamp;
  if (Math.abs(ageSeconds) > SANDBOX_SIGNATURE_TOLERANCE_SECONDS) {
    return gatewayFailure(
      'stale_event',
      `signed ${ageSeconds} s from now; at most ${SANDBOX_SIGNATURE_TOLERANCE_SECONDS} s either way`,
    );
  }
  return gatewayOk(null);
}

function signature(rawBody: Buffer, secret: string, timestamp: number): Buffer {
  // The bytes as received, not a re-encoding: the signature covers exactly what was sent.
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

function parseHeader(header: string): { timestamp: number; signatures: Buffer[] } | null {
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const [key, value, ...rest] = part.trim().split('=');
    if (value === undefined || rest.length > 0) return null;
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    // Several v1 values are allowed, as in Stripe's header, so a secret can be rotated.
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

/** Constant-time comparison: a byte-by-byte early exit would let an attacker find a signature by timing. */
function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
