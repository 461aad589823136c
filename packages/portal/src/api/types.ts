/** The API's shapes the web app reads (see /openapi.json for the whole contract). */

export interface Account {
  readonly id: string;
  readonly accountNumber: string;
  readonly customerId: string;
  readonly kind: 'prepaid' | 'postpaid' | 'hybrid';
  readonly currency: string;
  readonly timeZone: string;
  readonly creditLimit: string | null;
  readonly billCycleDay: number;
  readonly paymentTermsDays: number;
  readonly autopay: boolean;
  readonly status: string;
}

export interface Identifier {
  readonly id: string;
  readonly kind: string;
  readonly value: string;
  readonly validFrom: string;
  readonly validTo: string | null;
}

export interface Subscription {
  readonly id: string;
  readonly accountId: string;
  readonly planId: string | null;
  readonly status: string;
  readonly startsAt: string;
  readonly endsAt: string | null;
  readonly identifiers: readonly Identifier[];
}

/** The line's current number (MSISDN or other identifier), for labels. */
export function lineLabel(subscription: Subscription): string {
  const current = subscription.identifiers.find((i) => i.validTo === null) ?? subscription.identifiers[0];
  return current?.value ?? subscription.id.slice(0, 8);
}

/* Billing, payments, balances and usage, as billing-schemas.ts, payment-schemas.ts, balance-schemas.ts
   and the mediation schemas give them. Amounts are exact decimal strings. */

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
  readonly createdAt: string;
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
  readonly chargedBack: string;
  readonly unallocated: string;
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
  readonly validFrom: string;
  readonly validTo: string | null;
  readonly balance: string;
  readonly reserved: string;
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
