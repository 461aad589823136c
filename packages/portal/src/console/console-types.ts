export type {
  AccountBalance,
  BalanceBucket as Bucket,
  Invoice,
  InvoiceDetail,
  InvoiceLine,
  InvoiceStatus,
  Payment,
  RatedUsage,
} from '../api/types.js';

/**
 * The API's shapes the console reads, as the server's schemas define them (see /openapi.json).
 * Amounts are exact decimal strings: they are shown through the formats, never computed as floats.
 */
import type { Account } from '../api/types.js';

export type { Account };

export interface Customer {
  readonly id: string;
  readonly kind: 'person' | 'business';
  readonly displayName: string;
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly companyName: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly language: string;
  readonly taxRegion: string | null;
  readonly address: readonly string[];
  readonly taxId: string | null;
  readonly customerGroup: string;
  readonly status: 'active' | 'closed';
  readonly createdAt: string;
}

export interface SearchHit {
  readonly kind: 'customer' | 'account' | 'line' | 'invoice';
  readonly id: string;
  readonly customerId: string;
  readonly label: string;
  readonly detail: string;
  readonly exact?: boolean;
}

export interface Actor {
  readonly type: string;
  readonly id: string;
}

export interface CustomerNote {
  readonly id: string;
  readonly customerId: string;
  readonly body: string;
  readonly author: Actor;
  readonly createdAt: string;
}

export interface AuditEntry {
  readonly sequence: string;
  readonly occurredAt: string;
  readonly actor: Actor;
  readonly action: string;
  readonly objectType: string;
  readonly objectId: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface LedgerTransaction {
  readonly id: string;
  readonly accountId: string;
  readonly kind: string;
  readonly description: string | null;
  readonly createdAt: string;
}

export interface DunningStep {
  readonly day: number;
  readonly action: string;
  readonly notify?: boolean;
  readonly feeMicros?: string;
  readonly feePercent?: string;
}

export interface DunningPolicy {
  readonly id: string;
  readonly customerGroup: string;
  readonly name: string;
  readonly steps: readonly DunningStep[];
  readonly graceDays: number;
  readonly minimumOverdueMicros: string;
  readonly updatedAt: string;
}

export interface DunningCase {
  readonly id: string;
  readonly accountId: string;
  readonly anchorDueOn: string;
  readonly status: 'open' | 'resolved' | 'written_off';
  readonly service: 'active' | 'suspended' | 'terminated';
  readonly openedAt: string;
  readonly suspendedAt: string | null;
  readonly restoredAt: string | null;
  readonly closedAt: string | null;
  readonly steps: readonly {
    readonly index: number;
    readonly action: string;
    readonly scheduledOn: string;
    readonly executedAt: string;
  }[];
}

export interface Allowance {
  readonly service: string;
  readonly amount: string;
  readonly category?: string;
  readonly rolloverCycles?: number;
}

export interface PlanVersion {
  readonly id: string;
  readonly planId: string;
  readonly version: number;
  readonly effectiveFrom: string;
  readonly recurringFee: string;
  readonly currency: string;
  readonly feePeriod: 'week' | 'month' | 'quarter' | 'year';
  readonly oneTimeFees: readonly { readonly code: string; readonly name: string; readonly amount: string }[];
  readonly allowances: readonly Allowance[];
  readonly tariffId: string | null;
  readonly ratingSubject: string;
  readonly prices: readonly {
    readonly currency: string;
    readonly recurringFee: string;
    readonly oneTimeFees: readonly { readonly code: string; readonly amount: string }[];
  }[];
  readonly minimumCommitment: string | null;
  readonly taxCategory: string;
  readonly createdAt: string;
}

export interface Plan {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly kind: 'base' | 'addon';
  readonly latestVersion: number;
  readonly current: PlanVersion | null;
  readonly createdAt: string;
}

export interface PlanDetail extends Plan {
  readonly versions: readonly PlanVersion[];
}

export interface Tariff {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly currency: string;
  readonly activeVersion: number | null;
  readonly latestVersion: number;
  readonly createdAt: string;
}

export interface TariffSummary {
  readonly destinations: number;
  readonly prefixes: number;
  readonly rates: number;
  readonly timeBands: number;
  readonly ratingPlans: number;
  readonly ratingProfiles: number;
}

export interface TariffVersion {
  readonly id: string;
  readonly tariffId: string;
  readonly version: number;
  readonly sourceFormat: 'native' | 'cgrates';
  readonly activatesAt: string;
  readonly summary: TariffSummary;
  readonly createdAt: string;
}

export interface TariffDetail extends Tariff {
  readonly versions: readonly TariffVersion[];
}

export interface ImportWarning {
  readonly field: string;
  readonly message: string;
}

export interface UsageSource {
  readonly id: string;
  readonly name: string;
}

export interface SuspendedRecord {
  readonly id: string;
  readonly sourceId: string;
  readonly recordKey: string;
  readonly fileId: string | null;
  readonly lineNumber: number | null;
  readonly raw: string;
  readonly originalRaw: string;
  readonly reason: string;
  readonly field: string | null;
  readonly message: string;
  readonly status: 'open' | 'resolved' | 'discarded';
  readonly attempts: number;
  readonly ratedUsageId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface SuspenseAttempt {
  readonly attempt: number;
  readonly raw: string;
  readonly outcome: 'loaded' | 'duplicate' | 'suspended';
  readonly reason: string | null;
  readonly message: string | null;
  readonly actor: Actor;
  readonly createdAt: string;
}

export interface ReprocessSummary {
  readonly examined: number;
  readonly loaded: number;
  readonly duplicate: number;
  readonly suspended: number;
}

export interface BillRun {
  readonly id: string;
  readonly asOf: string;
  readonly dryRun: boolean;
  readonly finalize: boolean;
  readonly status: 'running' | 'done';
  readonly accounts: number;
  readonly pending: number;
  readonly invoiced: number;
  readonly skipped: number;
  readonly parked: number;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

export interface BillRunAccount {
  readonly accountId: string;
  readonly status: 'pending' | 'invoiced' | 'skipped' | 'parked';
  readonly reason: string | null;
  readonly invoiceId: string | null;
  readonly previewTotal: string | null;
  readonly attempts: number;
}

export interface AgingBuckets {
  readonly current: string;
  readonly days_1_30: string;
  readonly days_31_60: string;
  readonly days_61_90: string;
  readonly days_over_90: string;
}

export interface AgingReport {
  readonly asOf: string;
  readonly accounts: readonly {
    readonly accountId: string;
    readonly accountNumber: string;
    readonly customerName: string;
    readonly currency: string;
    readonly buckets: AgingBuckets;
    readonly outstanding: string;
    readonly unappliedCredit: string;
  }[];
  readonly totals: readonly {
    readonly currency: string;
    readonly accounts: number;
    readonly buckets: AgingBuckets;
    readonly outstanding: string;
    readonly unappliedCredit: string;
  }[];
  readonly nextCursor: string | null;
}

/** Staff roles as the API spells them (the session's role for read-only staff is `read-only`). */
export type ApiRole = 'admin' | 'operator' | 'support' | 'read-only';

export interface ApiKey {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly role: ApiRole;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

export interface IssuedApiKey extends ApiKey {
  readonly key?: string;
}

export interface User {
  readonly id: string;
  readonly email: string;
  readonly kind: 'staff' | 'customer';
  readonly role: ApiRole | 'customer';
  readonly customerId: string | null;
  readonly lockedUntil: string | null;
  readonly createdAt: string;
}
