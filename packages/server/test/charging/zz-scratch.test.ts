import { it } from 'vitest';
import { seedDemo } from '../../src/seed/seed-demo.js';
import { openTestDatabase } from '../test-database.js';
import { ChargingEngine } from '../../src/charging/charging-engine.js';
it('scratch', async () => {
  const database = await openTestDatabase();
  const seed = await seedDemo(database.db, new Date());
  const rows = await database.db.selectFrom('balance_buckets as b').innerJoin('accounts as a','a.id','b.account_id').select(['a.kind','b.unit','b.service','b.balance','b.is_main','b.valid_from','b.valid_to']).execute();
  console.log(rows);
  const caps = await database.db.selectFrom('line_spending_caps').selectAll().execute();
  console.log(caps);
  const engine = new ChargingEngine({ db: database.db, now: () => new Date() });
  for (const dest of ['+4930123456', '+4940123456'])
  console.log(dest, await engine.authorise({ tenantId: seed!.tenantId, sessionId: 'x', subscriber: { kind: 'msisdn', value: '+4915112345678' }, services: [{ ratingGroup: 1, destination: dest, requestedUnits: 60n }] }));
  await database.close();
});
