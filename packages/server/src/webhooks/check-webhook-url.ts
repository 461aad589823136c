import { invalid, type UseCaseFailure } from '../outcomes/use-case-failure.js';

/**
 * An endpoint's URL must be absolute http(s) with a host, and carry no fragment (never sent).
 * http is allowed for development and private networks; the signature, not the transport, is what
 * proves a delivery came from Tollgate.
 */
export function checkWebhookUrl(url: string, field = '/url'): UseCaseFailure | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return invalid(field, `"${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return invalid(field, `the URL must be http or https, not ${parsed.protocol.slice(0, -1)}`);
  if (parsed.hostname === '') return invalid(field, 'the URL has no host');
  if (parsed.hash !== '') return invalid(field, 'the URL must not have a #fragment: it is never sent');
  return null;
}
