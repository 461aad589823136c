import type { ThresholdKind } from '@tollgate/core';
import type { WebhookEventType } from '../../webhooks/record-webhook-event.js';
import type { NotificationEvent } from '../notification-tables.js';

/** What a firing is of: a rule's kind, or a line's spending cap being reached. */
export type FiringKind = ThresholdKind | 'spending_cap';

/**
 * A threshold found crossed: recorded once per (account, line, kind, subject, level, cycle key)
 * in notification_firings, and told to the customer (and to webhooks) only when newly recorded.
 */
export interface FiringCandidate {
  readonly accountId: string;
  /** The line, or null for the account as a whole. */
  readonly subscriptionId: string | null;
  readonly kind: FiringKind;
  /** What crossed: the allowance bucket, the roaming zone, the cap period, or ''. */
  readonly subject: string;
  readonly level: string;
  /** The period the threshold belongs to (see docs/bill-shock.md). */
  readonly cycleKey: string;
  /** The observation, as exact decimal texts, kept with the firing. */
  readonly observed: Readonly<Record<string, string>>;
  readonly event: NotificationEvent;
  /** The message's data (placeholders of the event: see notification-events.ts). */
  readonly data: Readonly<Record<string, unknown>>;
  readonly urgent: boolean;
  readonly webhook: WebhookEventType | null;
}

/** A firing newly recorded. */
export interface ThresholdFiring {
  readonly id: bigint;
  readonly tenantId: string;
  readonly accountId: string;
  readonly subscriptionId: string | null;
  readonly kind: FiringKind;
  readonly subject: string;
  readonly level: string;
  readonly cycleKey: string;
}

export function firingKey(f: {
  readonly accountId: string;
  readonly subscriptionId: string | null;
  readonly kind: string;
  readonly subject: string;
  readonly level: string;
  readonly cycleKey: string;
}): string {
  return [f.accountId, f.subscriptionId ?? '', f.kind, f.subject, f.level, f.cycleKey].join('\u0000');
}
