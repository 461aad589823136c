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

/* Reports (GET /v1/reports, /v1/reports/:name). Every value is an exact string; charts parse
   numbers from them only to draw. */

export type ReportParameter = 'from' | 'to' | 'interval' | 'currency';
export type ReportInterval = 'day' | 'week' | 'month';

export interface ReportInfo {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly parameters: readonly ReportParameter[];
}

export type ReportColumnType = 'text' | 'date' | 'integer' | 'money' | 'decimal' | 'percent';

export interface ReportColumn {
  readonly key: string;
  readonly label: string;
  readonly type: ReportColumnType;
}

export interface ReportChartHint {
  readonly kind: 'bar' | 'line';
  /** The column key along the x axis. */
  readonly x: string;
  /** The column keys drawn, one series each. */
  readonly series: readonly string[];
}

export interface ReportTable {
  readonly report: string;
  readonly title: string;
  readonly from: string;
  readonly to: string;
  readonly interval: ReportInterval | null;
  readonly currency: string | null;
  readonly columns: readonly ReportColumn[];
  readonly rows: readonly Readonly<Record<string, string | null>>[];
  readonly chart: ReportChartHint | null;
  readonly generatedAt: string;
}

/* Plan recommendations: a line's last complete cycles re-priced under every plan it could move to
   (GET /v1/subscriptions/:id/plan-recommendations). */

export interface PlanRef {
  readonly planId: string;
  readonly code: string;
  readonly name: string;
}

export interface RecommendationAllowance {
  readonly service: string;
  /** seconds, bytes, messages, units or a currency */
  readonly unit: string;
  readonly included: string;
  readonly used: string;
}

export interface RecommendationCycle {
  readonly from: string;
  readonly to: string;
  readonly recurringFee: string;
  readonly usage: string;
  readonly tax: string;
  readonly total: string;
  readonly allowances: readonly RecommendationAllowance[];
}

export interface RecommendationOption {
  readonly planId: string;
  readonly planVersionId: string;
  readonly code: string;
  readonly name: string;
  readonly current: boolean;
  /** 1 = what the customer would have paid least on. */
  readonly rank: number;
  readonly total: string;
  readonly averagePerCycle: string;
  /** The current plan's average minus this one's: positive = cheaper, "0.00" for the current plan. */
  readonly savingPerCycle: string;
  readonly cycles: readonly RecommendationCycle[];
}

export interface PlanRecommendations {
  readonly subscriptionId: string;
  readonly currency: string;
  /** The complete bill cycles compared, oldest first. */
  readonly cycles: readonly { readonly from: string; readonly to: string }[];
  readonly current: PlanRef;
  readonly options: readonly RecommendationOption[];
}

/** The option to offer: the cheapest one when it is not the current plan and saves something. */
export function bestSaving(recommendations: PlanRecommendations): RecommendationOption | undefined {
  if (!Array.isArray(recommendations.options)) return undefined;
  const best = [...recommendations.options].sort((a, b) => a.rank - b.rank)[0];
  if (best === undefined || best.current) return undefined;
  return typeof best.savingPerCycle === 'string' &&
    /^\d+(\.\d+)?$/.test(best.savingPerCycle) &&
    /[1-9]/.test(best.savingPerCycle)
    ? best
    : undefined;
}

/* Plan opportunities (GET /v1/plan-opportunities): churn risk (saving) and upsell. */

export type OpportunityKind = 'saving' | 'upsell';

export interface PlanOpportunity {
  readonly customerId: string;
  readonly customerName: string;
  readonly accountId: string;
  readonly accountNumber: string;
  readonly subscriptionId: string;
  readonly identifier: string | null;
  readonly currency: string;
  readonly currentPlan: PlanRef;
  readonly suggestedPlan: PlanRef;
  readonly currentAveragePerCycle: string;
  readonly suggestedAveragePerCycle: string;
  readonly savingPerCycle: string;
  readonly cyclesOverAllowance: number;
  readonly cyclesCompared: number;
}

export interface PlanOpportunities {
  readonly kind: OpportunityKind;
  readonly cycles: number;
  readonly items: readonly PlanOpportunity[];
}

/* What if (POST /v1/what-if): drafts priced against real usage; nothing is stored. */

export interface WhatIfFigures {
  readonly currency: string;
  readonly subscriptions: number;
  readonly currentRevenue: string;
  readonly proposedRevenue: string;
  readonly change: string;
  /** Two decimals, in percent; null when the current revenue is zero. */
  readonly changePercent: string | null;
}

export interface WhatIfResult {
  readonly from: string;
  readonly to: string;
  readonly totals: readonly WhatIfFigures[];
  readonly byPlan: readonly (WhatIfFigures & PlanRef)[];
  readonly bySegment: readonly (WhatIfFigures & { readonly segment: string })[];
}

export interface WhatIfRequest {
  readonly from?: string;
  readonly to?: string;
  readonly plans?: readonly { readonly planId: string; readonly draft: Readonly<Record<string, unknown>> }[];
  readonly tariffs?: readonly { readonly tariffId: string; readonly document: unknown }[];
}

/* Fraud rules and cases (/v1/fraud-rules, /v1/fraud-cases). */

export const FRAUD_RULE_KINDS = [
  'premium_destination',
  'short_call_burst',
  'simultaneous_sessions',
  'spend_spike',
  'unexpected_country',
] as const;
export type FraudRuleKind = (typeof FRAUD_RULE_KINDS)[number];

export interface FraudRule {
  readonly kind: FraudRuleKind;
  readonly enabled: boolean;
  readonly action: 'alert' | 'bar';
  readonly notify: boolean;
  readonly params: Readonly<Record<string, unknown>>;
  readonly updatedAt: string | null;
}

export type FraudCaseStatus = 'open' | 'confirmed' | 'dismissed';

export interface FraudCase {
  readonly id: string;
  readonly kind: FraudRuleKind;
  readonly status: FraudCaseStatus;
  readonly customerId: string;
  readonly customerName: string;
  readonly accountId: string;
  readonly subscriptionId: string;
  readonly identifier: string | null;
  readonly summary: string;
  readonly evidence: Readonly<Record<string, unknown>>;
  readonly occurrences: number;
  readonly barred: boolean;
  readonly openedAt: string;
  readonly lastSeenAt: string;
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
  readonly reason: string | null;
}
