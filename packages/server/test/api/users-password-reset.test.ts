import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/build-app.js';
import { requestPasswordReset } from '../../src/users/request-password-reset.js';
import { hashSecretToken } from '../../src/users/secret-token.js';
import { DATABASE_LABEL, openTestDatabase, type TestDatabase } from '../test-database.js';
import { bearer, createTestTenant, type TestTenant } from './api-fixtures.js';

const OLD_PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a brand new passphrase';

describe(`password reset API (${DATABASE_LABEL})`, () => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let tenant: TestTenant;
  let slug: string;
  let clock = new Date('2026-03-09T08:00:00Z');

  beforeAll(async () => {
    database = await openTestDatabase();
    app = await buildApp({ db: database.db, now: () => clock });
    tenant = await createTestTenant(database.db, 'Acme Telecom');
    slug = (
      await database.db
        .selectFrom('tenants')
        .select('slug')
        .where('id', '=', tenant.id)
        .executeTakeFirstOrThrow()
    ).slug;
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  let counter = 0;
  async function createStaffUser(): Promise<string> {
    counter++;
    const email = `reset${counter}@acme.test`;
    const response = await app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: bearer(tenant.keys.admin),
      payload: { email, password: OLD_PASSWORD, kind: 'staff', role: 'support' },
    });
    expect(response.statusCode).toBe(201);
    return email;
  }

  const signIn = (email: string, password: string) =>
    app.inject({ method: 'POST', url: '/v1/sessions', payload: { tenant: slug, email, password } });
  const cookiesOf = (response: LightMyRequestResponse) => ({
    tollgate_session: response.cookies.find((c) => c.name === 'tollgate_session')?.value ?? '',
  });
  const complete = (token: string, newPassword = NEW_PASSWORD) =>
    app.inject({ method: 'POST', url: '/v1/password-resets/complete', payload: { token, newPassword } });

  async function tokenFor(email: string): Promise<string> {
    const issued = await requestPasswordReset(database.db, { tenant: slug, email }, clock);
    if (issued === null) throw new Error(`no user ${email}`);
    return issued.token;
  }

  it('answers 202 with no body for known and unknown addresses, and keeps only the token hash', async () => {
    const email = await createStaffUser();
    const known = await app.inject({
      method: 'POST',
      url: '/v1/password-resets',
      payload: { tenant: slug, email },
    });
    const unknown = await app.inject({
      method: 'POST',
      url: '/v1/password-resets',
      payload: { tenant: slug, email: 'nobody@acme.test' },
    });
    const noTenant = await app.inject({
      method: 'POST',
      url: '/v1/password-resets',
      payload: { tenant: 'no-such-tenant', email },
    });
    for (const response of [known, unknown, noTenant]) {
      expect([response.statusCode, response.body]).toEqual([202, '']);
    }
    expect(
      await requestPasswordReset(database.db, { tenant: slug, email: 'nobody@acme.test' }, clock),
    ).toBeNull();
    const token = await tokenFor(email);
    const rows = await database.db.selectFrom('password_reset_tokens').select('token_hash').execute();
    expect(rows.map((r) => r.token_hash)).toContain(hashSecretToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("sets a new password once, ends all the user's sessions and lifts a lockout", async () => {
    const email = await createStaffUser();
    const sessions = [
      cookiesOf(await signIn(email, OLD_PASSWORD)),
      cookiesOf(await signIn(email, OLD_PASSWORD)),
    ];
    for (let i = 0; i < 5; i++) await signIn(email, `wrong password ${i}`);
    expect((await signIn(email, OLD_PASSWORD)).statusCode).toBe(423);

    const token = await tokenFor(email);
    const done = await complete(token);
    expect([done.statusCode, done.body]).toEqual([204, '']);
    for (const cookies of sessions)
      expect((await app.inject({ url: '/v1/me', cookies })).statusCode).toBe(401);
    expect((await signIn(email, OLD_PASSWORD)).statusCode).toBe(401);
    expect((await signIn(email, NEW_PASSWORD)).statusCode).toBe(201);

    const reused = await complete(token, 'yet another passphrase');
    expect(reused.statusCode).toBe(400);
    expect(reused.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: '/token' }] });
    expect((await signIn(email, 'yet another passphrase')).statusCode).toBe(401);
  });

  it('makes a token work for one hour only', async () => {
    const email = await createStaffUser();
    const token = await tokenFor(email);
    clock = new Date(clock.getTime() + 60 * 60_000);
    const late = await complete(token);
    expect(late.statusCode).toBe(400);
    expect(late.json().errors).toEqual([
      { field: '/token', message: 'the reset token is unknown, used or expired' },
    ]);
    expect((await signIn(email, OLD_PASSWORD)).statusCode).toBe(201);
  });

  it('keeps the token usable when the new password breaks the rules, and spends it on success', async () => {
    const email = await createStaffUser();
    const token = await tokenFor(email);
    const same = await complete(token, email.toUpperCase());
    expect(same.statusCode).toBe(400);
    expect(same.json().errors).toEqual([expect.objectContaining({ field: '/newPassword' })]);
    const short = await complete(token, 'too short');
    expect([short.statusCode, short.json().errors[0].field]).toEqual([400, '/newPassword']);
    expect((await complete(token)).statusCode).toBe(204);
    expect((await complete(token)).statusCode).toBe(400);
  });

  it("spends a token once under concurrent use, and a completed reset spends the user's other tokens", async () => {
    const email = await createStaffUser();
    const older = await tokenFor(email);
    const token = await tokenFor(email);
    const racing = await Promise.all(Array.from({ length: 5 }, () => complete(token)));
    expect(racing.map((r) => r.statusCode).sort()).toEqual([204, 400, 400, 400, 400]);
    expect((await complete(older)).statusCode).toBe(400);
  });

  it('refuses malformed tokens', async () => {
    for (const token of ['x', 'A'.repeat(43), `${'A'.repeat(42)}=`]) {
      expect((await complete(token)).statusCode).toBe(400);
    }
  });

  it('limits reset requests per address, whatever headers come with them', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/password-resets',
        // A made-up header per request buys no fresh allowance: the limit is per address.
        headers: { authorization: `Bearer tg_made_up_${i}` },
        payload: { tenant: slug, email: `flood${i}@acme.test` },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.at(-1)).toBe(429);
  });
});
