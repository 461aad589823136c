import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/create-database.js';
import { migrateDatabase } from '../../src/db/migrate-database.js';
import { FraudMonitor } from '../../src/fraud/fraud-monitor.js';
import { recordUsageEvents } from '../../src/mediation/record-usage-events.js';
import { seedDemo } from '../../src/seed/seed-demo.js';
import { type CliDatabase, openCliDatabase } from '../cli-database.js';
import { DATABASE_LABEL } from '../test-database.js';

describe(`tollgate fraud (${DATABASE_LABEL})`, () => {
  let cliDatabase: CliDatabase;
  beforeAll(async () => {
    cliDatabase = await openCliDatabase('fraud');
    const database = await createDatabase(cliDatabase.options);
    try {
      const migrated = await migrateDatabase(database.db);
      if (migrated.error !== undefined) throw migrated.error;
      const seed = await seedDemo(database.db, new Date('2026-01-15T00:00:00Z'));
      if (seed === null) throw new Error('the database was not empty');
      const monitor = new FraudMonitor(database.db, () => new Date());
      const recorded = await recordUsageEvents(
        database.db,
        seed.tenantId,
        { type: 'system', id: 'test' },
        {
          sourceName: 'api',
          events: [
            {
              id: 'premium-1',
              subscriber: '+4915112345678',
              service: 'call',
              destination: '+49900123456',
              startedAt: new Date(Date.now() - 600_000).toISOString(),
              units: 90,
            },
          ],
        },
        undefined,
        (touched) => monitor.afterUsage(touched),
      );
      expect(recorded.ok).toBe(true);
    } finally {
      await database.close();
    }
  }, 120_000);
  afterAll(() => cliDatabase?.drop());

  it('lists the rules and the open case, and dismisses it with a reason', async () => {
    const rules = await cliDatabase.cli(['fraud', 'rules', '--json']);
    expect(rules.code).toBe(0);
    expect(
      rules.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).kind),
    ).toHaveLength(5);

    const open = await cliDatabase.cli(['fraud', 'cases', '--status', 'open', '--json']);
    expect(open.code).toBe(0);
    const [found] = open.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(found).toMatchObject({
      kind: 'premium_destination',
      status: 'open',
      identifier: '+4915112345678',
    });

    const noReason = await cliDatabase.cli(['fraud', 'decide', found.id, 'dismiss']);
    expect(noReason.code).not.toBe(0);
    const badStatus = await cliDatabase.cli(['fraud', 'cases', '--status', 'closed']);
    expect(badStatus.code).toBe(2);

    const decided = await cliDatabase.cli([
      'fraud',
      'decide',
      found.id,
      'dismiss',
      '--reason',
      'the customer called a quiz line on purpose',
    ]);
    expect(decided.code).toBe(0);
    expect(decided.stdout).toContain('dismissed');
    const again = await cliDatabase.cli(['fraud', 'decide', found.id, 'confirm', '--reason', 'late']);
    expect(again.code).toBe(7);
    const listed = await cliDatabase.cli(['fraud', 'cases', '--status', 'dismissed', '--json']);
    expect(JSON.parse(listed.stdout.trim())).toMatchObject({
      id: found.id,
      decidedBy: 'system:cli',
      reason: 'the customer called a quiz line on purpose',
    });
  }, 120_000);
});
