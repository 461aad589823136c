import { describe, expect, it } from 'vitest';
import { signWebhookPayload, webhookSignature } from '../../src/webhooks/sign-webhook-payload.js';
import { verifyWebhookSignature } from '../../src/webhooks/verify-webhook-signature.js';
import { nextWebhookAttemptAt, RETRY_WINDOW_MS } from '../../src/webhooks/webhook-retry-schedule.js';

const SECRET = 'whsec_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';
const OTHER = 'whsec_GFEDCBAzyxwvutsrqponmlkjihgfedcba9876543210';
const BODY = '{"id":"4f8e...","type":"invoice.paid","data":{"amount":"12.50"}}';
const NOW_MS = Date.parse('2026-03-02T10:00:00Z');

describe('webhook signatures', () => {
  it('accepts the signature of the body under the secret, within the tolerance', () => {
    const header = signWebhookPayload(BODY, SECRET, NOW_MS);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature({ body: BODY, header, secret: SECRET, nowMs: NOW_MS })).toEqual({
      ok: true,
      timestampSeconds: NOW_MS / 1000,
    });
    expect(
      verifyWebhookSignature({ body: Buffer.from(BODY), header, secret: SECRET, nowMs: NOW_MS + 300_000 }).ok,
    ).toBe(true);
  });

  it('is the HMAC-SHA256 of "<t>.<body>", hex', async () => {
    const { createHmac } = await import('node:crypto');
    const t = Math.floor(NOW_MS / 1000);
    expect(webhookSignature(SECRET, t, BODY)).toBe(
      createHmac('sha256', SECRET).update(`${t}.${BODY}`).digest('hex'),
    );
  });

  it('refuses a tampered body', () => {
    const header = signWebhookPayload(BODY, SECRET, NOW_MS);
    const tampered = BODY.replace('12.50', '1250');
    expect(verifyWebhookSignature({ body: tampered, header, secret: SECRET, nowMs: NOW_MS })).toMatchObject({
      ok: false,
      reason: 'no_matching_signature',
    });
  });

  it('refuses a timestamp more than 300 s away, either side', () => {
    const header = signWebhookPayload(BODY, SECRET, NOW_MS);
    expect(
      verifyWebhookSignature({ body: BODY, header, secret: SECRET, nowMs: NOW_MS + 301_000 }),
    ).toMatchObject({
      ok: false,
      reason: 'timestamp_out_of_tolerance',
    });
    expect(
      verifyWebhookSignature({ body: BODY, header, secret: SECRET, nowMs: NOW_MS - 301_000 }),
    ).toMatchObject({
      ok: false,
      reason: 'timestamp_out_of_tolerance',
    });
  });

  it('refuses the wrong secret, and a header changed to another timestamp', () => {
    const header = signWebhookPayload(BODY, SECRET, NOW_MS);
    expect(verifyWebhookSignature({ body: BODY, header, secret: OTHER, nowMs: NOW_MS })).toMatchObject({
      ok: false,
      reason: 'no_matching_signature',
    });
    const moved = header.replace(/^t=(\d+)/, (_, t: string) => `t=${Number(t) + 1}`);
    expect(
      verifyWebhookSignature({ body: BODY, header: moved, secret: SECRET, nowMs: NOW_MS }),
    ).toMatchObject({
      ok: false,
      reason: 'no_matching_signature',
    });
  });

  it('accepts any of several v1 signatures and any of several secrets (rotation)', () => {
    const both = signWebhookPayload(BODY, [OTHER, SECRET], NOW_MS);
    expect(both.split(',v1=')).toHaveLength(3);
    expect(verifyWebhookSignature({ body: BODY, header: both, secret: SECRET, nowMs: NOW_MS }).ok).toBe(true);
    const newOnly = signWebhookPayload(BODY, OTHER, NOW_MS);
    expect(
      verifyWebhookSignature({ body: BODY, header: newOnly, secret: [SECRET, OTHER], nowMs: NOW_MS }).ok,
    ).toBe(true);
  });

  it('refuses missing and malformed headers without throwing', () => {
    for (const [header, reason] of [
      [undefined, 'missing_header'],
      ['', 'missing_header'],
      ['v1=abc', 'malformed_header'],
      [`t=abc,v1=${'a'.repeat(64)}`, 'malformed_header'],
      [`t=${NOW_MS / 1000}`, 'malformed_header'],
      [`t=${NOW_MS / 1000},v1=XYZ`, 'malformed_header'],
      ['garbage', 'malformed_header'],
      [`t=1,t=2,v1=${'a'.repeat(64)}`, 'malformed_header'],
      ['x'.repeat(5000), 'malformed_header'],
    ] as const) {
      expect(verifyWebhookSignature({ body: BODY, header, secret: SECRET, nowMs: NOW_MS })).toMatchObject({
        ok: false,
        reason,
      });
    }
  });
});

describe('webhook retry schedule', () => {
  const t0 = new Date('2026-03-02T10:00:00Z');
  it('waits 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, then 12 h, until 3 days after the event', () => {
    const waits: number[] = [];
    let at = t0;
    for (let attempt = 1; attempt < 50; attempt++) {
      const next = nextWebhookAttemptAt(t0, at, attempt);
      if (next === null) break;
      waits.push((next.getTime() - at.getTime()) / 60_000);
      at = next;
    }
    expect(waits).toEqual([1, 5, 30, 120, 300, 600, 720, 720, 720, 720]);
    expect(at.getTime() - t0.getTime()).toBeLessThanOrEqual(RETRY_WINDOW_MS);
  });

  it('is dead at once for a failure past the window (a replay long after the event)', () => {
    expect(nextWebhookAttemptAt(t0, new Date(t0.getTime() + RETRY_WINDOW_MS), 3)).toBeNull();
    expect(() => nextWebhookAttemptAt(t0, t0, 0)).toThrow();
  });
});
