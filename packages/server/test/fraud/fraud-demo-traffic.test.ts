import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateFraudRules } from '../../src/fraud/evaluate-fraud-rules.js';
import { FRAUD_RULE_KINDS } from '../../src/fraud/fraud-rules.js';
import { setFraudRule } from '../../src/fraud/set-fraud-rule.js';
import { type DemoSeed, seedDemo } from '../../src/seed/seed-demo.js';
import {
  type DemoActivitySummary,
  demoFoundedAt,
  seedDemoActivity,
} from '../../src/seed/seed-demo-activity.js';
import { DATABASE_LABEL, openTestDatabase, type TestDatabase } from '../test-database.js';

const NOW = new Date('2026-04-12T09:30:00Z');
const ADMIN = { type: 'system', id: 'test' } as const;

describe(`fraud rules on the demo's normal traffic (${DATABASE_LABEL})`, () => {
  let database: TestDatabase;
  let demo: DemoSeed;
  let activity: DemoActivitySummary;

  beforeAll(async () => {
    database = await openTestDatabase();
    const seeded = await seedDemo(database.db, demoFoundedAt(NOW));
    if (seeded === null) throw new Error('the fresh database was not empty');
    demo = seeded;
    // Every rule on, at its defaults, before the history is fed through mediation.
    for (const kind of FRAUD_RULE_KINDS) {
      const set = await setFraudRule(
        database.db,
        demo.tenantId,
        ADMIN,
        kind,
        { enabled: true, action: 'alert', notify: true, params: {} },
        demoFoundedAt(NOW),
      );
      expect(set.ok).toBe(true);
    }
    activity = await seedDemoActivity(database.db, demo, NOW);
  }, 600_000);
  afterAll(async () => {
    await database?.close();
  });

  it('opens no case on two months of the demo lines\u2019 calls, messages and data', async () => {
    expect(activity.usage.loaded).toBeGreaterThan(1000);
    const cases = await database.db.selectFrom('fraud_cases').select(['kind', 'summary']).execute();
    expect(cases).toEqual([]);
  });

  it('does see that traffic: a rule made to match ordinary calls fires on it', async () => {
    const set = await setFraudRule(
      database.db,
      demo.tenantId,
      ADMIN,
      'premium_destination',
      { enabled: true, action: 'alert', notify: false, params: { prefixes: ['49'], windowHours: 168 } },
      NOW,
    );
    expect(set.ok).toBe(true);
    const accounts = demo.customers.map((c) => ({ tenantId: demo.tenantId, accountId: c.account.id }));
    const found = await evaluateFraudRules(database.db, accounts, NOW);
    expect(found.filter((f) => f.kind === 'premium_destination').length).toBeGreaterThan(0);
  });
});
