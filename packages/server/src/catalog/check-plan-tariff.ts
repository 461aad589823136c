import type { Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { CheckedPlanVersion } from './check-plan-version.js';
import type { CatalogIssue } from './prepare-tariff-document.js';
import { findTariff } from './tariff-store.js';

/**
 * A plan's tariff must be one of the tenant's and price in the plan's currency: usage and fees
 * of one plan land on one bill, in one currency. (Another tenant's tariff reads as absent.)
 */
export async function checkPlanTariff(
  trx: Transaction<Database>,
  tenantId: string,
  version: CheckedPlanVersion,
): Promise<CatalogIssue | null> {
  if (version.tariffId === null) return null;
  const tariff = await findTariff(trx, tenantId, version.tariffId);
  if (tariff === undefined) return { field: '/tariffId', message: `no tariff ${version.tariffId}` };
  if (tariff.currency !== version.currency) {
    return {
      field: '/currency',
      message: `the plan is in ${version.currency} but tariff ${tariff.code} prices in ${tariff.currency}`,
    };
  }
  return null;
}
