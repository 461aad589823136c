import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { type DunningRunSummary, runDunning } from '../dunning/run-dunning.js';
import { type AutopaySummary, collectAutopay } from './collect-autopay.js';
import type { PaymentGateways } from './gateways/payment-gateway.js';

export interface CollectionsSummary {
  readonly autopay: AutopaySummary;
  readonly dunning: DunningRunSummary;
}

/**
 * One collections pass of a tenant: credit applied and autopay charged for new invoices first,
 * then dunning, which so sees what autopay collected. Safe to run at any time and any number of
 * times, also by several processes at once: every charge has its idempotency key and every
 * dunning step its unique row.
 */
export async function runCollections(
  db: Kysely<Database>,
  gateways: PaymentGateways,
  tenantId: string,
  now: Date,
  options: { readonly accountIds?: readonly string[] } = {},
): Promise<CollectionsSummary> {
  const autopay = await collectAutopay(db, gateways, tenantId, now, options);
  const dunning = await runDunning(db, gateways, tenantId, now, options);
  return { autopay, dunning };
}
