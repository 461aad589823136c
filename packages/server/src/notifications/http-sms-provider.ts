import { errorText, type SendOutcome } from './notification-channel.js';
import type { SmsProvider, SmsRequest } from './sms-provider.js';

export interface HttpSmsProviderOptions {
  /** Where messages are POSTed. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>`; never logged. */
  readonly token: string;
  /** Per request (default 10 000). */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/**
 * A generic HTTP SMS gateway: POST {to, from, text} as JSON with a bearer token; any 2xx is
 * accepted (the JSON answer's `id`, if any, is kept as the reference); any other status, a
 * refused connection or a timeout is a failure, retried by the sender. The notification id goes
 * as the Idempotency-Key header, for providers that deduplicate.
 */
export function httpSmsProvider(options: HttpSmsProviderOptions): SmsProvider {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  return {
    send: async (request: SmsRequest): Promise<SendOutcome> => {
      try {
        const response = await doFetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${options.token}`,
            'idempotency-key': request.reference,
            'user-agent': 'Tollgate-Notifications/1',
          },
          body: JSON.stringify({ to: request.to, from: request.from, text: request.text }),
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
        const body = await response.text().catch(() => '');
        if (response.status < 200 || response.status > 299)
          return { ok: false, error: `provider answered ${response.status}: ${body.slice(0, 200)}`.trim() };
        return { ok: true, reference: referenceOf(body) };
      } catch (error) {
        return { ok: false, error: `provider unreachable: ${errorText(error)}` };
      }
    },
  };
}

function referenceOf(body: string): string | null {
  try {
    const parsed: unknown = JSON.parse(body);
    const id = (parsed as { id?: unknown } | null)?.id;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
  } catch {
    return null;
  }
}
