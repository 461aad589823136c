import { topUpAccount } from '../../src/balances/top-up-account.js';
import { ChargingEngine, type ChargingEngineOptions } from '../../src/charging/charging-engine.js';
import type { CreditControlRequest } from '../../src/charging/credit-control.js';
import { seedDemo } from '../../src/seed/seed-demo.js';
import { openTestDatabase, type TestDatabase } from '../test-database.js';

/** A weekday at 10:00 in Berlin: peak time in the demo tariff. */
export const PEAK_TIME = new Date('2026-03-10T09:00:00Z');

export interface ChargingFixture {
  readonly database: TestDatabase;
  readonly tenantId: string;
  /** The demo's prepaid account and its line. */
  readonly prepaid: { readonly accountId: string; readonly msisdn: string };
  /** The demo's postpaid account (credit limit 150.00) and its first line. */
  readonly postpaid: { readonly accountId: string; readonly msisdn: string };
  readonly clock: { now: Date };
  engine(options?: Partial<ChargingEngineOptions>): ChargingEngine;
  topUp(accountId: string, amount: string): Promise<void>;
  close(): Promise<void>;
}

/** The demo operator on a fresh database, with a clock the test moves. */
export async function openChargingFixture(): Promise<ChargingFixture> {
  const database = await openTestDatabase();
  const clock = { now: PEAK_TIME };
  const seed = await seedDemo(database.db, new Date('2026-01-15T00:00:00Z'));
  if (seed === null) throw new Error('the test database was not empty');
  const lineOf = async (msisdn: string) => {
    const row = await database.db
      .selectFrom('subscription_identifiers')
      .select('account_id')
      .where('value', '=', msisdn)
      .executeTakeFirstOrThrow();
    return { accountId: row.account_id, msisdn };
  };
  return {
    database,
    tenantId: seed.tenantId,
    prepaid: await lineOf('+4917698765432'),
    postpaid: await lineOf('+4915112345678'),
    clock,
    engine: (options = {}) => new ChargingEngine({ db: database.db, now: () => clock.now, ...options }),
    topUp: async (accountId, amount) => {
      const result = await topUpAccount(
        database.db,
        seed.tenantId,
        { type: 'system', id: 'test' },
        accountId,
        { amount, method: 'operator' },
        clock.now,
      );
      if (!result.ok) throw new Error(`top-up failed: ${JSON.stringify(result)}`);
    },
    close: () => database.close(),
  };
}

/** A voice request (rating group 1) to a Berlin number. */
export function voiceRequest(
  fixture: ChargingFixture,
  sessionId: string,
  requestNumber: number,
  units: { requested?: bigint | undefined; used?: bigint | undefined },
  msisdn = fixture.prepaid.msisdn,
): CreditControlRequest {
  return {
    tenantId: fixture.tenantId,
    sessionId,
    requestNumber,
    subscriber: { kind: 'msisdn', value: msisdn },
    services: [
      { ratingGroup: 1, destination: '+4930123456', requestedUnits: units.requested, usedUnits: units.used },
    ],
  };
}

export async function mainBalance(
  fixture: ChargingFixture,
  accountId: string,
): Promise<{ balance: bigint; reserved: bigint }> {
  const row = await fixture.database.db
    .selectFrom('balance_buckets')
    .select(['balance', 'reserved'])
    .where('account_id', '=', accountId)
    .where('is_main', '=', true)
    .executeTakeFirstOrThrow();
  return { balance: BigInt(row.balance), reserved: BigInt(row.reserved) };
}
