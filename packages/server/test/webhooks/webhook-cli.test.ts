import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/create-database.js';
import { migrateDatabase } from '../../src/db/migrate-database.js';
import { recordWebhookEvent } from '../../src/webhooks/record-webhook-event.js';
import { createTestTenant } from '../api/api-fixtures.js';
import { type CliDatabase, openCliDatabase } from '../cli-database.js';
import { DATABASE_LABEL } from '../test-database.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

/**
 * `tollgate webhook add`, `deliver`, `deliveries`, `replay` and `endpoints` through the real CLI in
 * child processes, delivering to a receiver in this process that checks the printed secret.
 */
describe(`tollgate webhook commands (${DATABASE_LABEL})`, () => {
  let database: CliDatabase;
  let receiver: WebhookReceiver;
  let secret = '';
  let tenantId = '';
  let slug = '';

  /** PGlite lets one process open the data folder at a time: the test's handle is closed before the CLI runs. */
  const withDb = async <T>(work: (db: Awaited<ReturnType<typeof createDatabase>>['db']) => Promise<T>) => {
    const handle = await createDatabase(database.options);
    try {
      return await work(handle.db);
    } finally {
      await handle.close();
    }
  };

  beforeAll(async () => {
    database = await openCliDatabase('webhooks');
    receiver = await startWebhookReceiver({ secretFor: () => secret, nowMs: () => Date.now() });
    await withDb(async (db) => {
      const migrated = await migrateDatabase(db);
      if (migrated.error !== undefined) throw migrated.error;
      tenantId = (await createTestTenant(db, 'Webhook CLI operator')).id;
      slug = (
        await db.selectFrom('tenants').select('slug').where('id', '=', tenantId).executeTakeFirstOrThrow()
      ).slug;
    });
  });
  afterAll(async () => {
    await receiver?.close();
    await database?.drop();
  });

  it('adds an endpoint and prints its secret once', async () => {
    const added = await database.cli([
      'webhook',
      'add',
      '--tenant',
      slug,
      '--url',
      `${receiver.url}/hooks`,
      '--events',
      'invoice.paid,payment.*',
    ]);
    expect(added.code, added.stderr).toBe(0);
    secret = added.stdout.trim();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(added.stderr).toMatch(/added webhook endpoint [0-9a-f-]{36} for http:\/\/127\.0\.0\.1:\d+\/hooks/);
    const listed = await database.cli(['webhook', 'endpoints', '--tenant', slug]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`active  ${receiver.url}/hooks  invoice.paid,payment.*`);
    expect(listed.stdout).not.toContain(secret);
  }, 120_000);

  it('refuses an unknown event type with the usage exit code', async () => {
    const refused = await database.cli([
      'webhook',
      'add',
      '--tenant',
      slug,
      '--url',
      receiver.url,
      '--events',
      'nope',
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/"nope" is not an event type/);
  }, 60_000);

  it('delivers what is due in one pass, and replays a delivery', async () => {
    const eventId = await withDb((db) =>
      db.transaction().execute((trx) =>
        recordWebhookEvent(trx, {
          tenantId,
          type: 'invoice.paid',
          data: { invoiceId: 'inv-1' },
          occurredAt: new Date(),
        }),
      ),
    );
    const delivered = await database.cli(['webhook', 'deliver']);
    expect(delivered.code, delivered.stderr).toBe(0);
    expect(delivered.stdout.trim()).toBe('1 sent: 1 delivered, 0 to retry, 0 dead');
    expect(receiver.verifiedEventIds()).toEqual([eventId]);

    const log = await database.cli([
      'webhook',
      'deliveries',
      '--tenant',
      slug,
      '--status',
      'delivered',
      '--json',
    ]);
    expect(log.code, log.stderr).toBe(0);
    const [delivery] = log.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(delivery).toMatchObject({ eventId, status: 'delivered', attemptCount: 1 });

    const replayed = await database.cli(['webhook', 'replay', '--tenant', slug, delivery.id]);
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(replayed.stdout).toMatch(/is pending again/);
    const redelivered = await database.cli(['webhook', 'deliver']);
    expect(redelivered.code, redelivered.stderr).toBe(0);
    expect(redelivered.stdout.trim()).toBe('1 sent: 1 delivered, 0 to retry, 0 dead');
    expect(receiver.verifiedEventIds()).toEqual([eventId, eventId]);

    const unknown = await database.cli([
      'webhook',
      'replay',
      '--tenant',
      slug,
      '00000000-0000-4000-8000-000000000000',
    ]);
    expect(unknown.code).toBe(2);
  }, 240_000);
});
