import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain.js';
import type { ApiKeyRole } from '../../src/db/database-schema.js';
import { buildApp } from '../../src/http/build-app.js';
import { DATABASE_LABEL } from '../test-database.js';
import { type ApiHarness, bearer, openApiHarness } from './api-fixtures.js';

describe(`customer notes and a customer's audit trail (${DATABASE_LABEL})`, () => {
  let h: ApiHarness;
  let app: FastifyInstance;
  const clock = { now: new Date('2026-05-04T09:00:00Z') };
  let customerId: string;
  let accountId: string;
  let lineId: string;
  let otherCustomerId: string;

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, role: ApiKeyRole, payload?: object) =>
    app.inject({
      method,
      url,
      headers: bearer(h.tenant.keys[role]),
      ...(payload === undefined ? {} : { payload }),
    });
  const tick = () => {
    clock.now = new Date(clock.now.getTime() + 60_000);
  };

  async function customerWithLine(name: string, msisdn: string) {
    const customer = (
      await call('POST', '/v1/customers', 'operator', { kind: 'person', givenName: name })
    ).json();
    tick();
    const account = (
      await call('POST', '/v1/accounts', 'operator', { customerId: customer.id, kind: 'prepaid' })
    ).json();
    tick();
    const line = (
      await call('POST', `/v1/accounts/${account.id}/subscriptions`, 'operator', {
        identifiers: [{ kind: 'msisdn', value: msisdn }],
      })
    ).json();
    tick();
    return { customerId: customer.id as string, accountId: account.id as string, lineId: line.id as string };
  }

  beforeAll(async () => {
    h = await openApiHarness();
    app = await buildApp({ db: h.database.db, now: () => clock.now });
    const mine = await customerWithLine('Nora', '+4915100000701');
    ({ customerId, accountId, lineId } = mine);
    otherCustomerId = (await customerWithLine('Otto', '+4915100000702')).customerId;
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('appends notes with their author and lists them newest first, a page at a time', async () => {
    const bodies = [
      'Called about roaming charges, "Mallorca", 3 May',
      'Promised a callback\nby Friday',
      'Closed: refund agreed',
    ];
    for (const body of bodies) {
      const added = await call('POST', `/v1/customers/${customerId}/notes`, 'support', { body });
      expect(added.statusCode).toBe(201);
      expect(added.json()).toMatchObject({ customerId, body, author: { type: 'api_key' } });
      tick();
    }
    const first = await call('GET', `/v1/customers/${customerId}/notes?limit=2`, 'support');
    expect(first.statusCode).toBe(200);
    expect(first.json().items.map((n: { body: string }) => n.body)).toEqual([bodies[2], bodies[1]]);
    expect(first.json().nextCursor).toEqual(expect.any(String));
    const second = await call(
      'GET',
      `/v1/customers/${customerId}/notes?limit=2&cursor=${first.json().nextCursor}`,
      'support',
    );
    expect(second.json()).toEqual({
      items: [expect.objectContaining({ body: bodies[0], createdAt: '2026-05-04T09:06:00.000Z' })],
      nextCursor: null,
    });
    expect((await call('GET', `/v1/customers/${otherCustomerId}/notes`, 'support')).json().items).toEqual([]);
  });

  it('keeps notes as written: the database refuses to change or delete one', async () => {
    const { db } = h.database;
    await expect(sql`update customer_notes set body = 'rewritten'`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from customer_notes`.execute(db)).rejects.toThrow(/append-only/);
  });

  it('refuses empty notes, unknown customers and callers below support', async () => {
    expect(
      (await call('POST', `/v1/customers/${customerId}/notes`, 'support', { body: '  \n ' })).statusCode,
    ).toBe(400);
    expect(
      (await call('POST', `/v1/customers/${customerId}/notes`, 'support', { body: 'x'.repeat(10_001) }))
        .statusCode,
    ).toBe(400);
    expect(
      (await call('POST', `/v1/customers/${randomUUID()}/notes`, 'support', { body: 'hello' })).statusCode,
    ).toBe(404);
    expect((await call('GET', `/v1/customers/${randomUUID()}/notes`, 'support')).statusCode).toBe(404);
    expect((await call('GET', `/v1/customers/${customerId}/notes`, 'read-only')).statusCode).toBe(403);
    const foreign = await app.inject({
      method: 'GET',
      url: `/v1/customers/${customerId}/notes`,
      headers: bearer(h.otherTenant.keys.admin),
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('lists the audit entries about the customer, its accounts and lines, newest first', async () => {
    expect(
      (await call('PATCH', `/v1/customers/${customerId}`, 'operator', { familyName: 'Berg' })).statusCode,
    ).toBe(200);
    tick();
    const paused = await call('POST', `/v1/subscriptions/${lineId}/changes`, 'operator', { kind: 'paused' });
    expect(paused.statusCode).toBe(201);
    const response = await call('GET', `/v1/customers/${customerId}/audit-entries`, 'support');
    expect(response.statusCode).toBe(200);
    const entries = response.json().items as {
      sequence: string;
      action: string;
      objectType: string;
      objectId: string;
      actor: { type: string };
      after: unknown;
    }[];
    expect(entries.map((e) => [e.action, e.objectType, e.objectId])).toEqual([
      ['subscription.paused', 'subscription', lineId],
      ['customer.updated', 'customer', customerId],
      ['customer.note_added', 'customer', customerId],
      ['customer.note_added', 'customer', customerId],
      ['customer.note_added', 'customer', customerId],
      ['subscription.created', 'subscription', lineId],
      ['account.created', 'account', accountId],
      ['customer.created', 'customer', customerId],
    ]);
    const sequences = entries.map((e) => BigInt(e.sequence));
    expect([...sequences].sort((a, b) => (a < b ? 1 : -1))).toEqual(sequences);
    expect(entries[2]?.after).toMatchObject({ body: 'Closed: refund agreed' });
    expect(entries.every((e) => e.actor.type === 'api_key')).toBe(true);
    // The chain still verifies with the notes' entries in it.
    expect((await verifyAuditChain(h.database.db)).breaks).toEqual([]);
  });

  it('pages the audit trail, and answers 404 for unknown customers and 403 below support', async () => {
    const first = (await call('GET', `/v1/customers/${customerId}/audit-entries?limit=3`, 'support')).json();
    expect(first.items).toHaveLength(3);
    const rest = (
      await call(
        'GET',
        `/v1/customers/${customerId}/audit-entries?limit=50&cursor=${first.nextCursor}`,
        'support',
      )
    ).json();
    expect(rest.items.map((e: { action: string }) => e.action)).toEqual([
      'customer.note_added',
      'customer.note_added',
      'subscription.created',
      'account.created',
      'customer.created',
    ]);
    expect(rest.nextCursor).toBeNull();
    const other = (await call('GET', `/v1/customers/${otherCustomerId}/audit-entries`, 'support')).json();
    expect(other.items.map((e: { action: string }) => e.action)).toEqual([
      'subscription.created',
      'account.created',
      'customer.created',
    ]);
    expect((await call('GET', `/v1/customers/${randomUUID()}/audit-entries`, 'support')).statusCode).toBe(
      404,
    );
    expect((await call('GET', `/v1/customers/${customerId}/audit-entries`, 'read-only')).statusCode).toBe(
      403,
    );
    const bad = await call('GET', `/v1/customers/${customerId}/audit-entries?cursor=nonsense`, 'support');
    expect(bad.json()).toMatchObject({ code: 'invalid_cursor' });
  });
});
