import type { RatingExplanation } from '@tollgate/core';
import { ApiError } from '../api/client.js';
import type { RatedUsage } from '../api/types.js';

/**
 * The shapes the customer screens read, as the API's schemas give them (packages/server/src:
 * billing-schemas.ts, payment-schemas.ts, mediation-schemas.ts, balance-schemas.ts, ...). Amounts
 * are exact decimal strings; quantities of usage are whole numbers as strings.
 */

/** The rating engine's explanation of a price, as stored with each rated record (core's own type). */
export type { RatingExplanation, SpanExplanation } from '@tollgate/core';
export type {
  AccountBalance,
  BalanceBucket,
  Invoice,
  InvoiceDetail,
  InvoiceLine,
  InvoiceStatus,
  Payment,
  PaymentMethod,
  PaymentStatus,
  RatedUsage,
} from '../api/types.js';

export interface ExplainedUsage {
  readonly usage: RatedUsage;
  readonly explanation: RatingExplanation | null;
  readonly reproduced: boolean;
}

export interface SpendingCap {
  readonly subscriptionId: string;
  readonly limit: string;
  readonly period: 'day' | 'month';
  readonly periodStart: string;
  readonly spent: string;
  readonly reserved: string;
  readonly remaining: string;
  readonly whenReached: 'refuse' | 'essential_only';
  readonly allowedDestinations: readonly string[];
}

export interface PortalMessage {
  readonly id: string;
  readonly accountId: string | null;
  readonly event: string;
  readonly text: string;
  readonly status: 'sent' | 'read';
  readonly createdAt: string;
  readonly readAt: string | null;
}

export interface SubscriptionChange {
  readonly id: string;
  readonly sequence: number;
  readonly kind: string;
  readonly effectiveAt: string;
  readonly data: {
    readonly planId?: string | null;
    readonly toPlanId?: string;
    readonly addonPlanId?: string;
  };
}

/**
 * Whether an error says the route itself is not on this server (an older or partial
 * installation): screens then show what they can without it instead of an error.
 */
export function isMissingRoute(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && error.detail.startsWith('no route');
}

/** Whether an error is a plain 404: the thing asked for does not exist (or is not the caller's). */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/** The text to show for a failed mutation. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.detail;
  return error instanceof Error ? error.message : String(error);
}
