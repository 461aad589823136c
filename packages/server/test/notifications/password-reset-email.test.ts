import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/build-app.js';
import { DATABASE_LABEL } from '../test-database.js';
import { type NotificationsFixture, openNotificationsFixture } from './notifications-fixture.js';

const PASSWORD = 'the first passphrase';
const NEW_PASSWORD = 'a brand new passphrase';
const LINK = /https:\/\/portal\.demo\.example\/reset-password\?token=([A-Za-z0-9_-]{43})/;
const spaces = (text: string | undefined) => (text ?? '').replace(/\s/g, ' ');

describe(`password reset by email (${DATABASE_LABEL})`, () => {
  let f: NotificationsFixture;
  let app: FastifyInstance;
  let slug: string;

  beforeEach(async () => {
    f = await openNotificationsFixture();
    // The portal's public address as TOLLGATE_PUBLIC_URL gives it (a trailing slash is allowed).
    app = await buildApp({
      db: f.database.db,
      now: () => f.clock.now,
      publicUrl: 'https://portal.demo.example/',
    });
    slug = (
      await f.database.db
        .selectFrom('tenants')
        .select('slug')
        .where('id', '=', f.tenantId)
        .executeTakeFirstOrThrow()
    ).slug;
    f.clock.now = new Date('2026-04-02T10:00:00Z');
  });
  afterEach(async () => {
    await app.close();
    await f.close();
  });

  const requestReset = (email: string) =>
    app.inject({ method: 'POST', url: '/v1/password-resets', payload: { tenant: slug, email } });
  const signIn = (email: string, password: string) =>
    app.inject({ method: 'POST', url: '/v1/sessions', payload: { tenant: slug, email, password } });

  async function createUser(body: object): Promise<string> {
    const created = await app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: f.headers.admin,
      payload: { password: PASSWORD, ...body },
    });
    expect(created.statusCode).toBe(201);
    return created.json().id;
  }

  async function resetRows() {
    return f.database.db
      .selectFrom('notifications')
      .select(['id', 'channel', 'status', 'customer_id', 'user_id', 'recipient', 'data'])
      .where('event', '=', 'password_reset')
      .execute();
  }

  it("emails a German customer user the link in German, at the user's own address, at once", async () => {
    const accountId = await f.account({ language: 'de' });
    const customerId = await f.customerOf(accountId, {
      email: 'rechnungen@customer.example',
      language: 'de',
    });
    const email = 'juergen@customer.example';
    const userId = await createUser({ email, kind: 'customer', customerId });
    // Quiet hours all day long: a reset is urgent, they never hold it.
    await f.call('PUT', `/v1/customers/${customerId}/quiet-hours`, { start: '00:00', end: '23:59' });

    const requested = await requestReset(email);
    expect([requested.statusCode, requested.body]).toEqual([202, '']);
    expect(await f.send()).toBe(1);
    expect(f.mail.received).toHaveLength(1);
    const [mail] = f.mail.received;
    expect(mail?.to).toMatchObject({ text: email });
    expect(spaces(mail?.subject)).toBe('Ihr Passwort bei Demo Telecom zurücksetzen');
    expect(mail?.text).toContain('Guten Tag Jürgen Müller');
    expect(spaces(mail?.text)).toContain('Über diesen Link wählen Sie ein neues Passwort');
    // Requested at 12:00 in Berlin: the link works for an hour.
    expect(spaces(mail?.text)).toContain('gilt bis zum 2. April 2026 um 13:00 MESZ');
    const token = LINK.exec(mail?.text ?? '')?.[1];
    expect(token).toBeDefined();
    expect(mail?.html).toContain(`href="https://portal.demo.example/reset-password?token=${token}"`);
    expect(mail?.html).toContain('Neues Passwort wählen');
    expect(mail?.html).toContain('<html lang="de">');

    // The message log records it, for the user and their customer, by email only; the API never
    // shows the token, in the list or the message itself.
    const rows = await resetRows();
    expect(rows).toMatchObject([
      { channel: 'email', status: 'sent', customer_id: customerId, user_id: userId, recipient: email },
    ]);
    expect(JSON.stringify(rows[0]?.data)).not.toContain(token);
    const list = await f.call('GET', '/v1/notifications?event=password_reset');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(token);
    expect(list.json().items).toHaveLength(1);
    const [item] = list.json().items;
    expect(item).toMatchObject({ customerId, userId, channel: 'email', status: 'sent', language: 'de' });
    expect(item.text).toContain('https://portal.demo.example/reset-password?token=[redacted]');
    const one = await f.call('GET', `/v1/notifications/${item.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.body).not.toContain(token);
    const ofCustomer = await f.call('GET', `/v1/notifications?customerId=${customerId}`);
    expect(ofCustomer.json().items.map((entry: { id: string }) => entry.id)).toContain(item.id);
    expect(ofCustomer.body).not.toContain(token);

    // The link works: a new password, then signing in with it (and no longer with the old one).
    const completed = await app.inject({
      method: 'POST',
      url: '/v1/password-resets/complete',
      payload: { token, newPassword: NEW_PASSWORD },
    });
    expect(completed.statusCode).toBe(204);
    const signedIn = await signIn(email, NEW_PASSWORD);
    expect(signedIn.statusCode).toBe(201);
    expect(signedIn.json()).toMatchObject({ user: { id: userId } });
    expect((await signIn(email, PASSWORD)).statusCode).toBe(401);
  });

  it('sends nothing for an unknown address and answers exactly as for a known one', async () => {
    const known = 'known@operator.example';
    await createUser({ email: known, kind: 'staff', role: 'support' });
    const answers = [await requestReset('nobody@operator.example'), await requestReset(known)];
    const shape = (response: (typeof answers)[number]) => ({
      status: response.statusCode,
      body: response.body,
      type: response.headers['content-type'],
      length: response.headers['content-length'],
    });
    expect(shape(answers[0]!)).toEqual(shape(answers[1]!));
    expect(shape(answers[0]!)).toMatchObject({ status: 202, body: '' });
    const rows = await resetRows();
    expect(rows.map((row) => row.recipient)).toEqual([known]);
    expect(await f.send()).toBe(1);
    expect(f.mail.received.map((mail) => mail.to)).toEqual([expect.objectContaining({ text: known })]);
  });

  it('emails a staff user, who has no customer, in the tenant language, and logs it for the user', async () => {
    const email = 'agent@operator.example';
    const userId = await createUser({ email, kind: 'staff', role: 'support' });
    expect((await requestReset(email.toUpperCase())).statusCode).toBe(202);
    expect(await f.send()).toBe(1);
    const [mail] = f.mail.received;
    expect(spaces(mail?.subject)).toBe('Reset your Demo Telecom password');
    expect(mail?.text).toContain(`Hello ${email},`);
    const token = LINK.exec(mail?.text ?? '')?.[1];
    expect(token).toBeDefined();
    const list = await f.call('GET', '/v1/notifications?event=password_reset');
    expect(list.json().items).toMatchObject([{ customerId: null, userId, recipient: email, status: 'sent' }]);
    expect(list.body).not.toContain(token);
    const completed = await app.inject({
      method: 'POST',
      url: '/v1/password-resets/complete',
      payload: { token, newPassword: NEW_PASSWORD },
    });
    expect(completed.statusCode).toBe(204);
    expect((await signIn(email, NEW_PASSWORD)).statusCode).toBe(201);
  });

  it('cannot be turned off, goes by email only, and a tenant template must keep the link', async () => {
    const accountId = await f.account();
    const customerId = await f.customerOf(accountId);
    const preferences = await f.call('GET', `/v1/customers/${customerId}/notification-preferences`);
    expect(
      preferences.json().preferences.filter((p: { event: string }) => p.event === 'password_reset'),
    ).toEqual([{ event: 'password_reset', channel: 'email', enabled: true, default: true, required: true }]);
    for (const channel of ['email', 'sms']) {
      const refused = await f.call('PUT', `/v1/customers/${customerId}/notification-preferences`, {
        preferences: [{ event: 'password_reset', channel, enabled: false }],
      });
      expect(refused.statusCode).toBe(422);
    }
    const url = '/v1/notification-templates/password_reset/email/en';
    const linkless = await f.call(
      'PUT',
      url,
      { subject: 'Your password', bodyText: 'Hello {{customerName}}, ask us for a new password.' },
      f.headers.admin,
    );
    expect(linkless.statusCode).toBe(422);
    expect(linkless.json().errors[0].field).toBe('/bodyText');
    const sms = await f.call(
      'GET',
      '/v1/notification-templates/password_reset/sms/en',
      undefined,
      f.headers.admin,
    );
    expect(sms.statusCode).toBe(404);
  });
});
