import type { LightMyRequestResponse } from 'fastify';
import { argon2id } from 'hash-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/build-app.js';
import { hashSecretToken } from '../../src/users/secret-token.js';
import { DATABASE_LABEL, openTestDatabase, type TestDatabase } from '../test-database.js';
import { bearer, createTestTenant, type TestTenant } from './api-fixtures.js';

const PASSWORD = 'correct horse battery staple';

describe(`sessions API (${DATABASE_LABEL})`, () => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let tenant: TestTenant;
  let slug: string;
  /** The app's clock: tests move it to expire sessions and lockouts. */
  let clock = new Date('2026-03-09T08:00:00Z');

  beforeAll(async () => {
    database = await openTestDatabase();
    app = await buildApp({ db: database.db, now: () => clock });
    tenant = await createTestTenant(database.db, 'Acme Telecom');
    slug = await slugOf(tenant.id);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  async function slugOf(tenantId: string): Promise<string> {
    const row = await database.db
      .selectFrom('tenants')
      .select('slug')
      .where('id', '=', tenantId)
      .executeTakeFirstOrThrow();
    return row.slug;
  }

  let userCounter = 0;
  async function createStaffUser(role = 'operator'): Promise<{ id: string; email: string }> {
    userCounter++;
    const email = `staff${userCounter}@acme.test`;
    const response = await app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: bearer(tenant.keys.admin),
      payload: { email, password: PASSWORD, kind: 'staff', role },
    });
    expect(response.statusCode).toBe(201);
    return { id: response.json().id, email };
  }

  const signIn = (email: string, password = PASSWORD, tenantSlug = slug) =>
    app.inject({ method: 'POST', url: '/v1/sessions', payload: { tenant: tenantSlug, email, password } });

  function sessionCookie(response: LightMyRequestResponse): Record<string, string> {
    const cookie = response.cookies.find((c) => c.name === 'tollgate_session');
    if (cookie === undefined) throw new Error(`no session cookie in ${response.statusCode} ${response.body}`);
    return { tollgate_session: cookie.value };
  }

  const me = (cookies: Record<string, string>) => app.inject({ url: '/v1/me', cookies });

  it('signs in with a Secure, HttpOnly, SameSite=Lax cookie whose token is stored only as a hash', async () => {
    const user = await createStaffUser();
    const response = await signIn(user.email.toUpperCase());
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      user: expect.objectContaining({ id: user.id, email: user.email, kind: 'staff', role: 'operator' }),
      expiresAt: new Date(clock.getTime() + 12 * 3600_000).toISOString(),
    });
    expect(response.headers['cache-control']).toBe('no-store');
    const cookie = response.cookies.find((c) => c.name === 'tollgate_session');
    expect(cookie).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
      path: '/',
      maxAge: 43_200,
    });
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await database.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', user.id)
      .execute();
    expect(rows.map((r) => r.id)).toEqual([hashSecretToken(cookie?.value ?? '')]);

    const read = await me(sessionCookie(response));
    expect(read.statusCode).toBe(200);
    expect(read.json().user).toMatchObject({ id: user.id, email: user.email });
    expect((await app.inject({ url: '/v1/me' })).statusCode).toBe(401);
  });

  it('answers a wrong password, an unknown e-mail and an unknown tenant alike, after the same work', async () => {
    const user = await createStaffUser();
    const attempts = {
      wrongPassword: () => signIn(user.email, 'not the password at all'),
      unknownEmail: () => signIn('nobody@acme.test', 'not the password at all'),
      unknownTenant: () => signIn(user.email, 'not the password at all', 'no-such-tenant'),
    };
    const bodies = new Set<string>();
    const durations: Record<string, number[]> = { wrongPassword: [], unknownEmail: [], unknownTenant: [] };
    // Interleaved, so a busy machine slows all three alike.
    for (let round = 0; round < 3; round++) {
      for (const [name, attempt] of Object.entries(attempts)) {
        const started = performance.now();
        const response = await attempt();
        durations[name]?.push(performance.now() - started);
        expect(response.statusCode).toBe(401);
        bodies.add(response.body);
      }
    }
    expect(bodies.size).toBe(1);
    expect(JSON.parse([...bodies][0] ?? '{}')).toMatchObject({
      code: 'unauthenticated',
      detail: 'the e-mail address or the password is wrong',
    });
    // Every path runs one argon2id verification (tens of ms); without the dummy one, an unknown
    // e-mail would answer from the database alone, many times faster.
    const median = (name: string) => [...(durations[name] ?? [])].sort((a, b) => a - b)[1] ?? 0;
    const wrongPassword = median('wrongPassword');
    for (const name of ['unknownEmail', 'unknownTenant']) {
      expect(median(name)).toBeGreaterThan(wrongPassword / 3);
      expect(median(name)).toBeLessThan(wrongPassword * 3);
    }
    // Three failures do not lock; a success clears them.
    expect((await signIn(user.email)).statusCode).toBe(201);
    const row = await database.db
      .selectFrom('users')
      .select('failed_logins')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.failed_logins).toBe(0);
  });

  it('locks the account for 15 minutes after five wrong passwords in a row', async () => {
    const user = await createStaffUser();
    for (let i = 0; i < 5; i++)
      expect((await signIn(user.email, `wrong password ${i}`)).statusCode).toBe(401);
    const locked = await signIn(user.email);
    expect(locked.statusCode).toBe(423);
    expect(locked.json()).toMatchObject({ code: 'account_locked', status: 423 });
    expect(locked.headers['content-type']).toContain('application/problem+json');
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_type'])
      .where('object_id', '=', user.id)
      .where('action', '=', 'user.locked')
      .execute();
    expect(audit).toEqual([{ action: 'user.locked', actor_type: 'system' }]);

    clock = new Date(clock.getTime() + 14 * 60_000);
    expect((await signIn(user.email)).statusCode).toBe(423);
    clock = new Date(clock.getTime() + 60_000);
    expect((await signIn(user.email)).statusCode).toBe(201);
  });

  it('tries at most five passwords however many guesses arrive at once', async () => {
    const user = await createStaffUser();
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signIn(user.email, `concurrent guess ${i}`)),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 423)).toHaveLength(7);
  });

  it('lets an admin lift a lockout', async () => {
    const user = await createStaffUser();
    for (let i = 0; i < 5; i++) await signIn(user.email, `wrong password ${i}`);
    expect((await signIn(user.email)).statusCode).toBe(423);
    const read = await app.inject({ url: `/v1/users/${user.id}`, headers: bearer(tenant.keys.admin) });
    expect(read.json().lockedUntil).not.toBeNull();
    const unlocked = await app.inject({
      method: 'POST',
      url: `/v1/users/${user.id}/unlock`,
      headers: bearer(tenant.keys.admin),
    });
    expect([unlocked.statusCode, unlocked.json().lockedUntil]).toEqual([200, null]);
    expect((await signIn(user.email)).statusCode).toBe(201);
  });

  it('signs out: the session ends and the cookie is cleared', async () => {
    const user = await createStaffUser();
    const cookies = sessionCookie(await signIn(user.email));
    const other = sessionCookie(await signIn(user.email));
    const ended = await app.inject({ method: 'POST', url: '/v1/sessions/current/end', cookies });
    expect(ended.statusCode).toBe(204);
    const cleared = ended.cookies.find((c) => c.name === 'tollgate_session');
    expect(cleared?.value).toBe('');
    expect(cleared?.expires?.getTime()).toBeLessThan(Date.now());
    const after = await me(cookies);
    expect([after.statusCode, after.json().code]).toEqual([401, 'unauthenticated']);
    expect((await app.inject({ method: 'POST', url: '/v1/sessions/current/end', cookies })).statusCode).toBe(
      401,
    );
    // Only this session: the user's other one goes on.
    expect((await me(other)).statusCode).toBe(200);
  });

  it('ends a session 12 hours after sign-in, busy or not', async () => {
    const user = await createStaffUser();
    const cookies = sessionCookie(await signIn(user.email));
    clock = new Date(clock.getTime() + 12 * 3600_000 - 1000);
    expect((await me(cookies)).statusCode).toBe(200);
    clock = new Date(clock.getTime() + 1000);
    expect((await me(cookies)).statusCode).toBe(401);
  });

  it('refuses forged and malformed session cookies, and API keys where a user is meant', async () => {
    for (const value of ['', 'x', 'A'.repeat(43), `${'A'.repeat(43)}; evil=1`, 'tg_'.repeat(20)]) {
      expect((await me({ tollgate_session: value })).statusCode).toBe(401);
    }
    const withKey = await app.inject({ url: '/v1/me', headers: bearer(tenant.keys.admin) });
    expect([withKey.statusCode, withKey.json().code]).toEqual([403, 'forbidden']);
  });

  it('redoes a hash made with older parameters at the next sign-in', async () => {
    const user = await createStaffUser();
    const weak = await argon2id({
      password: PASSWORD,
      salt: new Uint8Array(16).fill(7),
      memorySize: 4096,
      iterations: 1,
      parallelism: 1,
      hashLength: 32,
      outputType: 'encoded',
    });
    await database.db.updateTable('users').set({ password_hash: weak }).where('id', '=', user.id).execute();
    expect((await signIn(user.email)).statusCode).toBe(201);
    const row = await database.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await signIn(user.email)).statusCode).toBe(201);
  });

  it('validates sign-in bodies like every other body', async () => {
    const missing = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { tenant: slug } });
    expect([missing.statusCode, missing.json().code]).toEqual([400, 'validation_failed']);
    const extra = await app.inject({
      method: 'POST',
      url: '/v1/sessions',
      payload: { tenant: slug, email: 'a@b.test', password: 'x', remember: true },
    });
    expect(extra.statusCode).toBe(400);
  });
});
