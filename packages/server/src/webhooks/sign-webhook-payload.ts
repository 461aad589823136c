import { createHmac } from 'node:crypto';

/** The header that carries the signatures of a delivery. */
export const SIGNATURE_HEADER = 'Tollgate-Signature';

/**
 * The hex HMAC-SHA256 of `<t>.<body>`, keyed with the secret's text as it was shown (whsec_...
 * included). Signing the timestamp with the body lets receivers refuse replays of an old request.
 */
export function webhookSignature(secret: string, timestampSeconds: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');
}

/**
 * The Tollgate-Signature header value for a body sent at nowMs: `t=<unix seconds>,v1=<hex>`, with one
 * v1 per secret, so that a body can be signed with an old and a new secret while receivers switch.
 */
export function signWebhookPayload(body: string, secrets: string | readonly string[], nowMs: number): string {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0) throw new Error('signWebhookPayload: no secret to sign with');
  const timestampSeconds = Math.floor(nowMs / 1000);
  return [
    `t=${timestampSeconds}`,
    ...list.map((secret) => `v1=${webhookSignature(secret, timestampSeconds, body)}`),
  ].join(',');
}
