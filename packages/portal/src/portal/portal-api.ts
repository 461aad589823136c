import type { RatingExplanation } from '@tollgate/core';
import { ApiError } from '../api/client.js';

/**
 * The shapes the customer screens read, as the API's schemas give them (packages/server/src:
 * billing-schemas.ts, payment-schemas.ts, mediation-schemas.ts, balance-schemas.ts, ...). Amounts
 * are exact decimal strings; quantities of usage are whole numbers as strings.
 */

export type InvoiceStatus = 'draft' | 'finalized' | 'paid' | 'void' | 'uncollectible';

export interface Invoice {
  readonly id: string;
  readonly accountId: string;
  readonly kind: 'invoice' | 'credit_note';
  readonly status: InvoiceStatus;
  readonly number: string | null;
  readonly currency: string;
  readonly periodFrom: string | null;
  readonly periodTo: string | null;
  readonly issuedOn: string | null;
  readonly dueOn: string | null;
  readonly net: string;
  readonly tax: string;
  readonly total: string;
  readonly credited: string;
  readonly paid: string;
  readonly amountDue: string;
  readonly creditsInvoiceId: string | null;
  readonly reason: string | null;
  readonly finalizedAt: string | null;
  readonly paidAt: string | null;
}

export interface InvoiceLine {
  readonly position: number;
  readonly kind: string;
  readonly label: string;
  readonly service: string | null;
  readonly subscriptionId: string | null;
  readonly periodFrom: string | null;
  readonly periodTo: string | null;
  readonly quantity: string | null;
  readonly unit: string | null;
  readonly allowanceUnits: string | null;
  readonly amount: string;
  readonly tax: string;
  readonly usageRecords: string | null;
}

export interface InvoiceDetail extends Invoice {
  readonly lines: readonly InvoiceLine[];
  readonly taxSummary: readonly {
    readonly code: string;
    readonly name: string;
    readonly ratePercent: string;
    readonly baseMicros: string;
    readonly amountMicros: string;
  }[];
}

export type PaymentStatus = 'pending' | 'requires_action' | 'succeeded' | 'failed';

export interface Payment {
  readonly id: string;
  readonly accountId: string;
  readonly source: string;
  readonly purpose: string;
  readonly gateway: string | null;
  readonly paymentMethodId: string | null;
  readonly invoiceId: string | null;
  readonly amount: string;
  readonly currency: string;
  readonly status: PaymentStatus;
  readonly failureCode: string | null;
  readonly failureMessage: string | null;
  readonly reference: string | null;
  readonly refunded: string;
  readonly receivedAt: string | null;
  readonly createdAt: string;
}

export interface PaymentMethod {
  readonly id: string;
  readonly accountId: string;
  readonly gateway: string;
  readonly kind: string;
  readonly brand: string | null;
  readonly last4: string | null;
  readonly expMonth: number | null;
  readonly expYear: number | null;
  readonly isDefault: boolean;
  readonly createdAt: string;
}

export interface BalanceBucket {
  readonly id: string;
  readonly kind: 'money' | 'allowance';
  readonly unit: string;
  readonly service: string | null;
  readonly subscriptionId: string | null;
  readonly isMain: boolean;
  readonly label: string | null;
  readonly validTo: string | null;
  readonly balance: string;
  readonly available: string | null;
}

export interface AccountBalance {
  readonly accountId: string;
  readonly currency: string;
  readonly mainBalance: string;
  readonly creditLimit: string | null;
  readonly availableToSpend: string | null;
  readonly buckets: readonly BalanceBucket[];
}

export interface RatedUsage {
  readonly id: string;
  readonly accountId: string;
  readonly subscriptionId: string;
  readonly entry: 'charge' | 'reversal';
  readonly reversesId: string | null;
  readonly startedAt: string;
  readonly service: string;
  readonly direction: string;
  readonly subscriber: string;
  readonly destination: string;
  /** seconds, bytes, messages or units */
  readonly unit: string;
  readonly units: string;
  readonly currency: string;
  readonly list: string;
  readonly allowanceUnits: string;
  readonly charged: string;
  readonly debited: string;
  readonly settlement: string;
}

/** The rating engine's explanation of a price, as stored with each rated record (core's own type). */
export type { RatingExplanation, SpanExplanation } from '@tollgate/core';

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
