import { it } from 'vitest';
import { openChargingFixture } from './charging-fixture.js';

it('scratch', async () => {
  const f = await openChargingFixture();
  f.clock.now = new Date('2026-11-22T05:00:00Z');
  await f.topUp(f.prepaid.accountId, '1.00');
  const engine = f.engine();
  for (const [i, dest] of ['+4930123456', '+4940123456'].entries()) {
    const a = await engine.initiate({
      tenantId: f.tenantId,
      sessionId: `s${i}`,
      requestNumber: 0,
      subscriber: { kind: 'msisdn', value: f.prepaid.msisdn },
      services: [{ ratingGroup: 1, destination: dest, requestedUnits: 60n }],
    });
    const b = await f.database.db
      .selectFrom('balance_buckets')
      .select(['balance', 'reserved'])
      .where('account_id', '=', f.prepaid.accountId)
      .executeTakeFirst();
    console.log(
      dest,
      JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? String(v) : v)),
      b,
    );
  }
  await f.close();
});
