import { createHmac, timingSafeEqual } from 'node:crypto';

/** Receivers refuse a signature whose timestamp is further than this from their clock. */
export const DEFAULT_TOLERANCE_SECONDS = 300;
/** A header longer than this, or with more signatures, is not one Tollgate sends. */
const MAX_HEADER_LENGTH = 4096;
const MAX_SIGNATURES = 16;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

export interface VerifyWebhookSignatureInput {
  /** The raw request body, exactly the bytes received (not a re-serialised parse of them). */
  readonly body: string | Buffer;
  /** The Tollgate-Signature header. */
  readonly header: string | undefined | null;
  /** The endpoint's secret; while switching to a rotated one, both. */
  readonly secret: string | readonly string[];
  /** The receiver's clock. */
  readonly nowMs: number;
  readonly toleranceSeconds?: number;
}

export type WebhookSignatureCheck =
  | { readonly ok: true; readonly timestampSeconds: number }
  | {
      readonly ok: false;
      readonly reason:
        | 'missing_header'
        | 'malformed_header'
        | 'timestamp_out_of_tolerance'
        | 'no_matching_signature';
      readonly message: string;
    };

/**
 * Checks a delivery's Tollgate-Signature header (`t=<unix seconds>,v1=<hex>[,v1=<hex>...]`): some v1
 * must be the HMAC-SHA256 of `<t>.<body>` under some given secret, compared in constant time, and t
 * within the tolerance of nowMs (either side), so a captured request cannot be replayed later.
 * Written with node:crypto only, so receivers can copy it as it is.
 */
export function verifyWebhookSignature(input: VerifyWebhookSignatureInput): WebhookSignatureCheck {
  const { header, nowMs } = input;
  const toleranceSeconds = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (header === undefined || header === null || header === '')
    return refuse('missing_header', 'no Tollgate-Signature header');
  const parsed = parseSignatureHeader(header);
  if (parsed === null)
    return refuse('malformed_header', 'Tollgate-Signature is not t=<unix seconds>,v1=<hex>[,v1=<hex>...]');
  const { timestampSeconds, signatures } = parsed;
  if (Math.abs(nowMs / 1000 - timestampSeconds) > toleranceSeconds)
    return refuse(
      'timestamp_out_of_tolerance',
      `signed at ${timestampSeconds}, more than ${toleranceSeconds} s from now (${Math.floor(nowMs / 1000)})`,
    );
  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(`${timestampSeconds}.`).update(input.body).digest();
    for (const signature of signatures) {
      if (timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return { ok: true, timestampSeconds };
    }
  }
  return refuse('no_matching_signature', 'no v1 signature matches the body under the secret');
}

function parseSignatureHeader(header: string): { timestampSeconds: number; signatures: string[] } | null {
  if (header.length > MAX_HEADER_LENGTH) return null;
  let timestampSeconds: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const equals = part.indexOf('=');
    if (equals < 0) return null;
    const key = part.slice(0, equals).trim();
    const value = part.slice(equals + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value) || timestampSeconds !== null) return null;
      timestampSeconds = Number(value);
    } else if (key === 'v1') {
      // Another length or alphabet can never match; dropping it keeps timingSafeEqual's lengths equal.
      if (HEX_SHA256.test(value)) signatures.push(value);
    }
    // Other schemes (a future v2) are skipped, so receivers keep working when one is added.
  }
  if (timestampSeconds === null || signatures.length === 0 || signatures.length > MAX_SIGNATURES) return null;
  return { timestampSeconds, signatures };
}

function refuse(
  reason: 'missing_header' | 'malformed_header' | 'timestamp_out_of_tolerance' | 'no_matching_signature',
  message: string,
): WebhookSignatureCheck {
  return { ok: false, reason, message };
}
