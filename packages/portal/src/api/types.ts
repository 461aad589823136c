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
