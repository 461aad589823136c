import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queueNotification } from '../../src/notifications/queue-notification.js';
import { DATABASE_LABEL } from '../test-database.js';
import { type NotificationsFixture, openNotificationsFixture } from './notifications-fixture.js';

const spaces = (text: string | undefined) => (text ?? '').replace(/\s/g, ' ');

describe(`notifications by email over SMTP (${DATABASE_LABEL})`, () => {
  let f: NotificationsFixture;
  beforeEach(async () => {
    f = await openNotificationsFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('emails a German customer their finalised invoice, in German, with the PDF attached', async () => {
    const { accountId, invoiceId } = await f.billedAccount('+4915200000301');
    const customerId = await f.customerOf(accountId, { email: 'juergen@customer.example' });
    const pass = await f.relayAndSend();
    expect(pass.attempted).toBe(1);
    expect(f.mail.received).toHaveLength(1);
    const [mail] = f.mail.received;
    const invoice = (await f.call('GET', `/v1/invoices/${invoiceId}`)).json();
    expect(mail?.to).toMatchObject({ text: 'juergen@customer.example' });
    expect(spaces(mail?.subject)).toBe(`Ihre Rechnung ${invoice.number} über 71,40 €`);
    expect(spaces(mail?.text)).toContain('Der Betrag von 71,40 € ist am');
    expect(mail?.text).toContain('Guten Tag Jürgen Müller');
    expect(mail?.html).toContain('<p>Guten Tag Jürgen Müller');
    expect(mail?.attachments).toHaveLength(1);
    expect(mail?.attachments[0]?.contentType).toBe('application/pdf');
    expect(mail?.attachments[0]?.filename).toBe(`${invoice.number}.pdf`);
    expect(mail?.attachments[0]?.content.subarray(0, 4).toString('latin1')).toBe('%PDF');

    // The log: an email sent and a portal message, nothing by SMS (no number, not urgent).
    const log = (await f.call('GET', `/v1/notifications?customerId=${customerId}`)).json();
    expect(log.items.map((item: { channel: string; status: string }) => [item.channel, item.status])).toEqual(
      expect.arrayContaining([
        ['email', 'sent'],
        ['portal', 'sent'],
      ]),
    );
    expect(log.items).toHaveLength(2);
    const email = log.items.find((item: { channel: string }) => item.channel === 'email');
    expect(email).toMatchObject({
      event: 'invoice_issued',
      language: 'de',
      attempts: 1,
      attachments: [{ kind: 'invoice_pdf', invoiceId }],
    });
    expect((await f.call('GET', `/v1/notifications/${email.id}`)).json().id).toBe(email.id);

    // The portal message, read by the customer's service agent.
    const messages = (await f.call('GET', `/v1/customers/${customerId}/messages`)).json();
    expect(messages.items).toHaveLength(1);
    expect(spaces(messages.items[0].text)).toContain('71,40 €');
    const read = await f.call('POST', `/v1/notifications/${messages.items[0].id}/read`, {});
    expect(read.json()).toMatchObject({ status: 'read' });
    const unread = (await f.call('GET', `/v1/customers/${customerId}/messages?unread=true`)).json();
    expect(unread.items).toHaveLength(0);
  });

  it('tells a customer their payment failed', async () => {
    const { accountId } = await f.billedAccount('+4915200000302');
    await f.customerOf(accountId, { language: 'en' });
    await f.relayAndSend();
    f.mail.received.length = 0;
    await f.call('POST', `/v1/accounts/${accountId}/payment-methods`, { token: 'tok_sandbox_decline' });
    const run = await f.call('POST', '/v1/collection-runs', { accountIds: [accountId] });
    expect(run.statusCode).toBe(200);
    await f.relayAndSend();
    expect(f.mail.received.map((mail) => mail.subject)).toEqual(['Your payment of €71.40 failed']);
  });

  it('holds a message that is not urgent until the quiet hours end, and sends an urgent one at once', async () => {
    const { accountId, subscriptionId } = await f.billedAccount('+4915200000303');
    const customerId = await f.customerOf(accountId);
    const quiet = await f.call('PUT', `/v1/customers/${customerId}/quiet-hours`, {
      start: '22:00',
      end: '07:00',
    });
    expect(quiet.json()).toEqual({ customerId, quietHours: { start: '22:00', end: '07:00' } });
    f.clock.now = new Date('2026-04-02T23:30:00+02:00');
    await f.relayAndSend();
    expect(f.mail.received).toHaveLength(0);
    const [held] = (await f.rows(accountId)).filter((row) => row.channel === 'email');
    expect(held).toMatchObject({ status: 'queued', attempts: 0 });
    expect(held?.send_after.toISOString()).toBe('2026-04-03T05:00:00.000Z');

    // An urgent message in the same night goes at once.
    const queued = await f.database.db.transaction().execute((trx) =>
      queueNotification(trx, {
        tenantId: f.tenantId,
        accountId,
        subscriptionId,
        event: 'service_suspended',
        data: {},
        sourceKey: 'test:suspended-1',
        urgent: true,
        occurredAt: f.clock.now,
      }),
    );
    expect(queued).toBe(2);
    expect(await f.send()).toBe(1);
    expect(f.mail.received.map((mail) => mail.subject)).toEqual([
      'Dienst auf Ihrem Anschluss +4915200000303 gesperrt',
    ]);

    f.clock.now = new Date('2026-04-03T06:59:00+02:00');
    expect(await f.send()).toBe(0);
    f.clock.now = new Date('2026-04-03T07:00:00+02:00');
    expect(await f.send()).toBe(1);
    expect(f.mail.received).toHaveLength(2);
  });

  it('suppresses what the customer opted out of, but not the notices the operator must give', async () => {
    const { accountId } = await f.billedAccount('+4915200000304');
    const customerId = await f.customerOf(accountId);
    const refused = await f.call('PUT', `/v1/customers/${customerId}/notification-preferences`, {
      preferences: [{ event: 'payment_due', channel: 'email', enabled: false }],
    });
    expect(refused.statusCode).toBe(422);
    const set = await f.call('PUT', `/v1/customers/${customerId}/notification-preferences`, {
      preferences: [
        { event: 'invoice_issued', channel: 'email', enabled: false },
        { event: 'service_suspended', channel: 'portal', enabled: false },
      ],
    });
    expect(set.statusCode).toBe(200);
    expect(set.json().preferences).toEqual(
      expect.arrayContaining([
        { event: 'invoice_issued', channel: 'email', enabled: false, default: true, required: false },
        { event: 'payment_due', channel: 'email', enabled: true, default: true, required: true },
      ]),
    );
    await f.relayAndSend();
    expect(f.mail.received).toHaveLength(0);
    const rows = await f.rows(accountId);
    expect(rows.map((row) => [row.channel, row.status, row.reason])).toEqual([
      ['email', 'suppressed', 'opted_out'],
      ['portal', 'sent', null],
    ]);
    // A stored opt-out of a required notice (from before the rule) is ignored.
    await f.database.db
      .insertInto('notification_preferences')
      .values({
        tenant_id: f.tenantId,
        customer_id: customerId,
        event: 'payment_due',
        channel: 'email',
        enabled: false,
      })
      .execute();
    await queueNotification(f.database.db, {
      tenantId: f.tenantId,
      accountId,
      event: 'payment_due',
      data: { owed: '71.40', overdue: '71.40', dueOn: '2026-04-15' },
      sourceKey: 'test:due-1',
      occurredAt: f.clock.now,
    });
    await f.send();
    expect(f.mail.received.map((mail) => spaces(mail.subject))).toEqual([
      'Zahlungserinnerung: 71,40 € offen',
    ]);
  });

  it('retries a refused message on its schedule, logging each attempt, and gives up after five', async () => {
    const first = await f.billedAccount('+4915200000305');
    await f.customerOf(first.accountId);
    f.mail.refuse = [550];
    const start = f.clock.now;
    await f.relayAndSend();
    let [email] = (await f.rows(first.accountId)).filter((row) => row.channel === 'email');
    expect(email).toMatchObject({ status: 'queued', attempts: 1 });
    expect(email?.last_error).toContain('550');
    expect(email?.send_after.getTime()).toBe(start.getTime() + 60_000);
    expect(await f.send()).toBe(0);
    f.clock.now = new Date(start.getTime() + 60_000);
    expect(await f.send()).toBe(1);
    [email] = (await f.rows(first.accountId)).filter((row) => row.channel === 'email');
    expect(email).toMatchObject({ status: 'sent', attempts: 2 });
    expect(f.mail.received).toHaveLength(1);

    // A server that is gone: five attempts (at +1, +6, +36 min, +2 h 36 min), then failed.
    const second = await f.billedAccount('+4915200000306');
    await f.customerOf(second.accountId);
    await f.mail.close();
    const from = f.clock.now.getTime();
    await f.relayAndSend();
    for (const minutes of [1, 6, 36, 156]) {
      f.clock.now = new Date(from + minutes * 60_000);
      expect(await f.send(), `at +${minutes} min`).toBe(1);
    }
    [email] = (await f.rows(second.accountId)).filter((row) => row.channel === 'email');
    expect(email).toMatchObject({ status: 'failed', attempts: 5, reason: 'attempts_exhausted' });
    expect(email?.last_error).toMatch(/ECONNREFUSED|connect/i);
    const failed = (await f.call('GET', '/v1/notifications?status=failed')).json().items;
    expect(failed.map((item: { id: string }) => item.id)).toEqual([email?.id]);
  });

  it('queues the messages of one source once, however often it is relayed or queued', async () => {
    const { accountId } = await f.billedAccount('+4915200000307');
    await f.customerOf(accountId);
    await f.relayAndSend();
    await f.relayAndSend();
    const input = {
      tenantId: f.tenantId,
      accountId,
      event: 'payment_succeeded' as const,
      data: { amount: '10.00', currency: 'EUR' },
      sourceKey: 'test:payment-1',
      occurredAt: f.clock.now,
    };
    const counts = await Promise.all([
      queueNotification(f.database.db, input),
      queueNotification(f.database.db, input),
    ]);
    expect(counts.sort()).toEqual([0, 2]);
    expect(await queueNotification(f.database.db, input)).toBe(0);
    await f.send();
    expect(f.mail.received.map((mail) => mail.subject?.slice(0, 14))).toEqual([
      'Ihre Rechnung ',
      'Zahlung erhalt',
    ]);
    expect(await f.rows(accountId)).toHaveLength(4);
  });
});
