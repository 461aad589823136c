import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_LABEL } from '../test-database.js';
import { type NotificationsFixture, openNotificationsFixture, SMS_TOKEN } from './notifications-fixture.js';

describe(`notifications by SMS through an HTTP gateway (${DATABASE_LABEL})`, () => {
  let f: NotificationsFixture;
  beforeEach(async () => {
    f = await openNotificationsFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  /** Bills a line with a declining card, then lets dunning suspend it on the day after it is due. */
  const suspendedLine = async (msisdn: string, language: string) => {
    const policy = await f.call(
      'PUT',
      '/v1/dunning-policies/default',
      { name: 'Quick', graceDays: 0, steps: [{ day: 1, action: 'suspend', notify: true }] },
      f.headers.admin,
    );
    expect([200, 201]).toContain(policy.statusCode);
    const billed = await f.billedAccount(msisdn);
    await f.customerOf(billed.accountId, { language, smsNumber: '+4917600000001' });
    await f.call('POST', `/v1/accounts/${billed.accountId}/payment-methods`, {
      token: 'tok_sandbox_decline',
    });
    await f.call('POST', '/v1/collection-runs', { accountIds: [billed.accountId] });
    const { dueOn } = (await f.call('GET', `/v1/invoices/${billed.invoiceId}`)).json();
    f.clock.now = new Date(new Date(`${dueOn}T10:00:00Z`).getTime() + 86_400_000);
    const run = await f.call('POST', '/v1/collection-runs', { accountIds: [billed.accountId] });
    expect(run.json().dunning.steps.suspend).toBe(1);
    return billed;
  };

  it('sends a suspension at once by SMS, in the customer language, even in quiet hours', async () => {
    const { accountId } = await suspendedLine('+4915200000401', 'fr');
    const customerId = (
      await f.database.db
        .selectFrom('accounts')
        .select('customer_id')
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow()
    ).customer_id;
    // Quiet all day long, but a suspension is urgent.
    await f.call('PUT', `/v1/customers/${customerId}/quiet-hours`, { start: '00:00', end: '23:59' });
    await f.relayAndSend();
    const suspension = f.sms.received.filter((request) => request.body.text.includes('suspendue'));
    expect(suspension).toEqual([
      {
        authorization: `Bearer ${SMS_TOKEN}`,
        body: {
          to: '+4917600000001',
          from: 'DemoTel',
          text: `Demo Telecom : la ligne +4915200000401 est suspendue pour impayés. Payez pour la rétablir.`,
        },
      },
    ]);
    const rows = await f.rows(accountId);
    expect(
      rows.filter((row) => row.event === 'service_suspended').map((row) => [row.channel, row.status]),
    ).toEqual([
      ['email', 'sent'],
      ['portal', 'sent'],
      ['sms', 'sent'],
    ]);
    // The invoice and the failed payment are not urgent: no SMS for them (not asked for).
    expect(rows.filter((row) => row.channel === 'sms').map((row) => row.event)).toEqual([
      'service_suspended',
    ]);
  });

  it('retries when the gateway answers 500', async () => {
    f.sms.plan = [500];
    const { accountId } = await suspendedLine('+4915200000402', 'es');
    const at = f.clock.now;
    await f.relayAndSend();
    let [sms] = (await f.rows(accountId)).filter((row) => row.channel === 'sms');
    expect(sms).toMatchObject({ status: 'queued', attempts: 1 });
    expect(sms?.last_error).toContain('provider answered 500');
    expect(sms?.send_after.getTime()).toBe(at.getTime() + 60_000);
    f.clock.now = new Date(at.getTime() + 60_000);
    expect(await f.send()).toBe(1);
    [sms] = (await f.rows(accountId)).filter((row) => row.channel === 'sms');
    expect(sms).toMatchObject({ status: 'sent', attempts: 2 });
    expect(f.sms.received.map((request) => request.body.text)).toEqual([
      'Demo Telecom: la línea +4915200000402 está suspendida por impago. Pague para restablecerla.',
      'Demo Telecom: la línea +4915200000402 está suspendida por impago. Pague para restablecerla.',
    ]);
  });
});
