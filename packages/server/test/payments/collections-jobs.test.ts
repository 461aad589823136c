import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBillRunQueue } from '../../src/billing/bill-run-queue.js';
import { type CollectionsQueue, startCollectionsQueue } from '../../src/payments/collections-jobs.js';
import { runCollections } from '../../src/payments/run-collections.js';
import { openPaymentsFixture, type PaymentsFixture } from './payments-fixture.js';

describe('collections as jobs', () => {
  let f: PaymentsFixture;
  beforeEach(async () => {
    f = await openPaymentsFixture();
    await f.call(
      'PUT',
      '/v1/dunning-policies/default',
      {
        name: 'Short',
        steps: [
          { day: 0, action: 'reminder' },
          { day: 1, action: 'retry' },
        ],
      },
      f.headers.admin,
    );
  });
  afterEach(async () => {
    await f.close();
  });

  it('charges a finalised invoice by autopay when a job asks for it', async () => {
    const { accountId, invoiceId } = await f.billedAccount('+4915200000301');
    await f.call('POST', `/v1/accounts/${accountId}/payment-methods`, { token: 'tok_sandbox_success' });
    const queue = await startBillRunQueue(f.database, () => f.clock.now, 0);
    let collections: CollectionsQueue | null = null;
    try {
      collections = await startCollectionsQueue(queue.boss, f.database.db, f.gateways, () => f.clock.now, {
        intervalMinutes: 0,
        work: true,
        log: { error: () => {} },
      });
      await collections.request(f.tenantId, [accountId]);
      const deadline = Date.now() + 30_000;
      let status = '';
      while (Date.now() < deadline && status !== 'paid') {
        await new Promise((resolve) => setTimeout(resolve, 200));
        status = (await f.call('GET', `/v1/invoices/${invoiceId}`)).json().status;
      }
      expect(status).toBe('paid');
    } finally {
      await collections?.stop();
      await queue.stop();
    }
  });

  it('takes each dunning step once when two passes run at the same time', async () => {
    const { accountId, invoiceId } = await f.billedAccount('+4915200000302');
    await f.call('POST', `/v1/accounts/${accountId}/payment-methods`, {
      token: 'tok_sandbox_insufficient_funds',
    });
    const dueOn: string = (await f.call('GET', `/v1/invoices/${invoiceId}`)).json().dueOn;
    const at = new Date(new Date(`${dueOn}T10:00:00Z`).getTime() + 86_400_000);
    const passes = await Promise.all(
      [0, 1, 2].map(() =>
        runCollections(f.database.db, f.gateways, f.tenantId, at, { accountIds: [accountId] }),
      ),
    );
    expect(passes.reduce((sum, pass) => sum + pass.autopay.attempted, 0)).toBeGreaterThanOrEqual(1);
    const steps = await f.database.db
      .selectFrom('dunning_steps')
      .select(['step_index', 'action'])
      .where('account_id', '=', accountId)
      .orderBy('step_index')
      .execute();
    expect(steps).toEqual([
      { step_index: 0, action: 'reminder' },
      { step_index: 1, action: 'retry' },
    ]);
    const payments = await f.database.db
      .selectFrom('payments')
      .select(['purpose', 'status'])
      .where('account_id', '=', accountId)
      .orderBy('purpose')
      .execute();
    expect(payments).toEqual([
      { purpose: 'autopay', status: 'failed' },
      { purpose: 'dunning_retry', status: 'failed' },
    ]);
    const reminders = await f.database.db
      .selectFrom('webhook_events')
      .select('id')
      .where('type', '=', 'dunning.reminder')
      .where('tenant_id', '=', f.tenantId)
      .execute();
    expect(reminders).toHaveLength(1);
  });
});
