import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { verifyLedger } from '../../src/balances/verify-ledger.js';
import { addTariffVersion } from '../../src/catalog/add-tariff-version.js';
import { rerateUsage } from '../../src/mediation/rerate-usage.js';
import { DEMO_TARIFF_PATH } from '../../src/seed/demo-tariff-path.js';
import { DATABASE_LABEL } from '../test-database.js';
import {
  type MediationFixture,
  openMediationFixture,
  SWITCH_HEADER,
  TEST_ACTOR,
} from './mediation-fixture.js';

const MARCH = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') };

describe(`rerating (${DATABASE_LABEL})`, () => {
  let fixture: MediationFixture;
  beforeAll(async () => {
    fixture = await openMediationFixture();
    await fixture.topUp(fixture.prepaid.accountId, '5.00');
    const path = await fixture.file(
      'march.csv',
      [
        SWITCH_HEADER,
        // Berlin at peak: 0.095 each for the postpaid line, 0.07 for the prepaid one.
        'r1,+4915112345678,+4930123456,call,2026-03-02T11:00:00+01:00,90,',
        'r2,+4915112345678,+4930123456,call,2026-03-02T12:00:00+01:00,90,',
        'r3,+4917698765432,+4930123456,call,2026-03-02T13:00:00+01:00,60,',
        // Mobile: unchanged by the correction below.
        'r4,+4915112345678,+4917611111111,call,2026-03-02T14:00:00+01:00,60,',
      ].join('\n'),
    );
    const outcome = await fixture.ingest(path);
    if (!outcome.ok || outcome.run.counts.loaded !== 4n) throw new Error(JSON.stringify(outcome));
  }, 60_000);
  afterAll(async () => {
    await fixture?.close();
  });

  it('reverses the changed charges, charges again, and reports the difference per account', async () => {
    // The correction: the peak connect fee was 0.02 too high; it is 0 from the start of the year.
    const document = parseYaml(await readFile(DEMO_TARIFF_PATH, 'utf8')) as {
      rates: { id: string; connectFee?: string }[];
    };
    for (const rate of document.rates) if (rate.id === 'LOCAL_PEAK') rate.connectFee = '0';
    const tariff = await fixture.database.db.selectFrom('tariffs').select('id').executeTakeFirstOrThrow();
    const added = await addTariffVersion(
      fixture.database.db,
      fixture.tenantId,
      TEST_ACTOR,
      tariff.id,
      { activatesAt: new Date('2026-01-01T00:00:00+01:00'), source: { format: 'native', document } },
      new Date('2026-03-20T00:00:00Z'),
    );
    expect(added.ok).toBe(true);
    const prepaidBefore = await mainBalance(fixture, fixture.prepaid.accountId);

    const first = await rerateUsage(fixture.database.db, fixture.tenantId, TEST_ACTOR, MARCH);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.report).toMatchObject({ examined: 4, changed: 3, failed: 0 });
    const byAccount = new Map(first.report.differences.map((d) => [d.accountId, d]));
    expect(byAccount.get(fixture.postpaid.accountId)).toMatchObject({
      records: 2,
      beforeMicros: 190_000n,
      afterMicros: 150_000n,
      differenceMicros: -40_000n,
    });
    expect(byAccount.get(fixture.prepaid.accountId)).toMatchObject({
      records: 1,
      differenceMicros: -20_000n,
    });
    // The prepaid balance paid 0.07; it gets 0.02 back.
    expect(await mainBalance(fixture, fixture.prepaid.accountId)).toBe(prepaidBefore + 20_000n);
    // 0.075 twice for Berlin, and the mobile call's 0.24 as it was.
    expect(await fixture.charges(fixture.postpaid.accountId)).toEqual({
      records: 3,
      chargedMicros: 390_000n,
    });
    const history = await fixture.database.db
      .selectFrom('rated_usage')
      .select(['record_key', 'entry', 'charged_micros', 'rerate_id'])
      .where('record_key', '=', 'r1')
      .orderBy('id')
      .execute();
    expect(history.map((h) => [h.entry, BigInt(h.charged_micros), h.rerate_id !== null])).toEqual([
      ['charge', 95_000n, false],
      ['reversal', -95_000n, true],
      ['charge', 75_000n, true],
    ]);
    expect((await verifyLedger(fixture.database.db)).problems).toEqual([]);
  });

  it('changes nothing when the same rerate runs again', async () => {
    const rowsBefore = await countRows(fixture);
    const balanceBefore = await mainBalance(fixture, fixture.prepaid.accountId);
    const second = await rerateUsage(fixture.database.db, fixture.tenantId, TEST_ACTOR, MARCH);
    expect(second.ok && second.report).toMatchObject({ examined: 4, changed: 0, failed: 0, differences: [] });
    expect(await countRows(fixture)).toBe(rowsBefore);
    expect(await mainBalance(fixture, fixture.prepaid.accountId)).toBe(balanceBefore);
  });

  it('refuses an empty or endless selection', async () => {
    const backwards = await rerateUsage(fixture.database.db, fixture.tenantId, TEST_ACTOR, {
      from: MARCH.to,
      to: MARCH.from,
    });
    expect(backwards).toMatchObject({ ok: false, code: 'invalid_selection' });
  });
});

async function countRows(fixture: MediationFixture): Promise<number> {
  const rows = await fixture.database.db.selectFrom('rated_usage').select('id').execute();
  return rows.length;
}

async function mainBalance(fixture: MediationFixture, accountId: string): Promise<bigint> {
  const row = await fixture.database.db
    .selectFrom('balance_buckets')
    .select('balance')
    .where('account_id', '=', accountId)
    .where('is_main', '=', true)
    .executeTakeFirstOrThrow();
  return BigInt(row.balance);
}
