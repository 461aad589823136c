import { invalid, type UseCaseFailure } from '../outcomes/use-case-failure.js';
import type { WebhookEventType } from './record-webhook-event.js';

/** Every event type Tollgate sends, at run time (the union in record-webhook-event.ts is the source). */
export const WEBHOOK_EVENT_TYPES = [
  'invoice.finalized',
  'invoice.paid',
  'invoice.reopened',
  'payment.succeeded',
  'payment.failed',
  'payment.requires_action',
  'payment.refunded',
  'payment.charged_back',
  'balance.low',
  'allowance.threshold',
  'dunning.reminder',
  'dunning.late_fee',
  'subscription.suspended',
  'subscription.restored',
  'subscription.terminated',
  'account.written_off',
  'fraud.case_opened',
  'fraud.case_decided',
] as const satisfies readonly WebhookEventType[];

// A type added to the union but not to the list fails to compile here, so the list cannot lag.
type NothingLeft<T extends never> = T;
export type EveryEventTypeListed = NothingLeft<
  Exclude<WebhookEventType, (typeof WEBHOOK_EVENT_TYPES)[number]>
>;

/** The families of types, for 'payment.*' and the like. */
const FAMILIES = new Set(WEBHOOK_EVENT_TYPES.map((type) => type.slice(0, type.indexOf('.'))));
const KNOWN = new Set<string>(WEBHOOK_EVENT_TYPES);

/** The most entries an endpoint's list may hold: every type, one by one, with room to spare. */
export const MAX_EVENT_TYPE_ENTRIES = 50;

/**
 * Checks an endpoint's list of event types: each entry a known type, '*' (every type) or a known
 * family followed by '.*' ('payment.*'), each once. An entry that matches nothing would silently
 * drop events, so it is refused rather than stored.
 */
export function checkEventTypes(eventTypes: readonly string[], field = '/eventTypes'): UseCaseFailure | null {
  if (eventTypes.length === 0) return invalid(field, 'list at least one event type, or "*" for all');
  if (eventTypes.length > MAX_EVENT_TYPE_ENTRIES)
    return invalid(field, `at most ${MAX_EVENT_TYPE_ENTRIES} entries`);
  const seen = new Set<string>();
  for (const [index, entry] of eventTypes.entries()) {
    if (seen.has(entry)) return invalid(`${field}/${index}`, `"${entry}" is listed twice`);
    seen.add(entry);
    if (entry === '*' || KNOWN.has(entry)) continue;
    if (entry.endsWith('.*') && FAMILIES.has(entry.slice(0, -2))) continue;
    return invalid(
      `${field}/${index}`,
      `"${entry}" is not an event type; use one of ${WEBHOOK_EVENT_TYPES.join(', ')}, "*", or a family such as "payment.*"`,
    );
  }
  return null;
}
