import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain.js';
import { DATABASE_LABEL } from '../test-database.js';
import {
  type Account,
  type Change,
  type Client,
  createAccount,
  createSubscription,
  operator,
  type Subscription,
} from './accounts-fixtures.js';
import { type ApiHarness, openApiHarness } from './api-fixtures.js';

const PLAN_A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const PLAN_B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const ADDON = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';

describe(`subscription changes API (${DATABASE_LABEL})`, () => {
  let h: ApiHarness;
  let api: Client;
  let account: Account;
  let counter = 0;
  beforeAll(async () => {
    h = await openApiHarness();
    api = operator(h);
    account = await createAccount(api);
  });
  afterAll(async () => {
    await h?.close();
  });

  const newLine = (fields: Record<string, unknown> = {}) =>
    createSubscription(api, account.id, {
      planId: PLAN_A,
      startsAt: '2026-01-01T00:00:00Z',
      identifiers: [{ kind: 'msisdn', value: `0170 ${String(++counter).padStart(7, '0')}` }],
      ...fields,
    });
  const change = (line: Subscription, body: Record<string, unknown>) =>
    api.post(`/v1/subscriptions/${line.id}/changes`, body);
  const changesOf = async (line: Subscription, query = ''): Promise<Change[]> =>
    (await api.get(`/v1/subscriptions/${line.id}/changes${query}`)).json().items;

  it('walks the state machine, recording each change as a dated event in order', async () => {
    const line = await newLine();
    const steps: [Record<string, unknown>, string, string | null][] = [
      [{ kind: 'paused', effectiveAt: '2026-02-01T00:00:00Z' }, 'paused', PLAN_A],
      [{ kind: 'resumed', effectiveAt: '2026-02-15T00:00:00Z' }, 'active', PLAN_A],
      [{ kind: 'suspended', effectiveAt: '2026-03-01T00:00:00Z' }, 'suspended', PLAN_A],
      [{ kind: 'plan_changed', planId: PLAN_B, effectiveAt: '2026-03-05T00:00:00Z' }, 'suspended', PLAN_B],
      [{ kind: 'restored', effectiveAt: '2026-03-10T00:00:00Z' }, 'active', PLAN_B],
      [{ kind: 'addon_added', addonPlanId: ADDON, effectiveAt: '2026-03-10T00:00:00Z' }, 'active', PLAN_B],
      [{ kind: 'addon_removed', addonPlanId: ADDON, effectiveAt: '2026-04-01T00:00:00Z' }, 'active', PLAN_B],
      [{ kind: 'terminated', effectiveAt: '2026-04-30T00:00:00Z' }, 'terminated', PLAN_B],
    ];
    for (const [body, status, planId] of steps) {
      const response = await change(line, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(201);
      const result = response.json();
      expect(result.subscription).toMatchObject({ status, planId });
      expect(result.change).toMatchObject({
        kind: body.kind,
        effectiveAt: new Date(body.effectiveAt as string).toISOString(),
      });
    }
    const events = await changesOf(line);
    expect(events.map((e) => [e.sequence, e.kind])).toEqual([
      [1, 'activated'],
      [2, 'paused'],
      [3, 'resumed'],
      [4, 'suspended'],
      [5, 'plan_changed'],
      [6, 'restored'],
      [7, 'addon_added'],
      [8, 'addon_removed'],
      [9, 'terminated'],
    ]);
    expect(events[4]?.data).toEqual({ fromPlanId: PLAN_A, toPlanId: PLAN_B });
    expect(events[6]?.data).toEqual({ addonPlanId: ADDON });
    const paged: Change[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Change[]; nextCursor: string | null } = (
        await api.get(`/v1/subscriptions/${line.id}/changes?limit=4${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      paged.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null && paged.length < 20);
    expect(paged).toEqual(events);

    const final = (await api.get(`/v1/subscriptions/${line.id}`)).json();
    expect(final).toMatchObject({ status: 'terminated', endsAt: '2026-04-30T00:00:00.000Z' });
    expect(final.identifiers[0].validTo).toBe('2026-04-30T00:00:00.000Z');
  });

  it.each([
    ['resumed', 'active'],
    ['restored', 'active'],
  ])('refuses %s for an active line with 409 naming the state', async (kind, state) => {
    const line = await newLine();
    const response = await change(line, { kind });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'conflict', errors: [{ field: '/kind' }] });
    expect(response.json().detail).toContain(`is ${state}: it cannot be ${kind}`);
  });

  it('keeps pause and suspension apart: a paused line is not restored, a suspended one not resumed', async () => {
    const paused = await newLine();
    await change(paused, { kind: 'paused' });
    expect((await change(paused, { kind: 'restored' })).json().detail).toContain('is paused');
    expect((await change(paused, { kind: 'suspended' })).statusCode).toBe(409);
    expect((await change(paused, { kind: 'paused' })).statusCode).toBe(409);
    const suspended = await newLine();
    await change(suspended, { kind: 'suspended' });
    expect((await change(suspended, { kind: 'resumed' })).json().detail).toContain('is suspended');
    expect((await change(suspended, { kind: 'paused' })).statusCode).toBe(409);
    // Terminating works from either.
    expect((await change(paused, { kind: 'terminated' })).statusCode).toBe(201);
    expect((await change(suspended, { kind: 'terminated' })).statusCode).toBe(201);
  });

  it('refuses everything on a terminated line with 409 naming the state', async () => {
    const line = await newLine();
    expect((await change(line, { kind: 'terminated' })).statusCode).toBe(201);
    const bodies = [
      { kind: 'terminated' },
      { kind: 'resumed' },
      { kind: 'restored' },
      { kind: 'paused' },
      { kind: 'suspended' },
      { kind: 'plan_changed', planId: PLAN_B },
      { kind: 'addon_added', addonPlanId: ADDON },
    ];
    for (const body of bodies) {
      const response = await change(line, body);
      expect(response.statusCode, body.kind).toBe(409);
      expect(response.json().detail).toContain('is terminated');
    }
    const identifier = await api.post(`/v1/subscriptions/${line.id}/identifiers`, {
      kind: 'username',
      value: 'after-the-end',
    });
    expect([identifier.statusCode, identifier.json().detail]).toEqual([
      409,
      expect.stringContaining('is terminated'),
    ]);
    expect((await changesOf(line)).map((e) => e.kind)).toEqual(['activated', 'terminated']);
  });

  it('releases the identifiers of a terminated line for another line', async () => {
    const line = await newLine({ identifiers: [{ kind: 'msisdn', value: '0170 5550000' }] });
    const taken = await api.post(`/v1/accounts/${account.id}/subscriptions`, {
      identifiers: [{ kind: 'msisdn', value: '+49 170 5550000' }],
    });
    expect(taken.statusCode).toBe(409);
    await change(line, { kind: 'terminated' });
    const reused = await api.post(`/v1/accounts/${account.id}/subscriptions`, {
      identifiers: [{ kind: 'msisdn', value: '+49 170 5550000' }],
    });
    expect(reused.statusCode).toBe(201);
  });

  it.each([
    ['a plan change without planId', { kind: 'plan_changed' }, '/planId'],
    ['planId on a pause', { kind: 'paused', planId: PLAN_B }, '/planId'],
    ['an add-on without addonPlanId', { kind: 'addon_added' }, '/addonPlanId'],
    [
      'addonPlanId on a plan change',
      { kind: 'plan_changed', planId: PLAN_B, addonPlanId: ADDON },
      '/addonPlanId',
    ],
    ['activated, which only creation writes', { kind: 'activated' }, '/kind'],
    ['an unknown kind', { kind: 'hibernated' }, '/kind'],
    ['a planId that is not a uuid', { kind: 'plan_changed', planId: 'gold' }, '/planId'],
    ['an effectiveAt without a zone', { kind: 'paused', effectiveAt: '2026-02-01T00:00:00' }, '/effectiveAt'],
    ['an effectiveAt in the future', { kind: 'paused', effectiveAt: '2999-01-01T00:00:00Z' }, '/effectiveAt'],
  ])('answers %s with 400 naming the field', async (_name, body, field) => {
    const line = await newLine();
    const response = await change(line, body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'validation_failed',
      errors: expect.arrayContaining([expect.objectContaining({ field })]),
    });
  });

  it('refuses a change dated before the last one, and no-op plan and add-on changes', async () => {
    const line = await newLine();
    expect((await change(line, { kind: 'paused', effectiveAt: '2026-03-01T00:00:00Z' })).statusCode).toBe(
      201,
    );
    const backdated = await change(line, { kind: 'resumed', effectiveAt: '2026-02-01T00:00:00Z' });
    expect([backdated.statusCode, backdated.json().errors[0].field]).toEqual([409, '/effectiveAt']);
    expect(backdated.json().detail).toContain('paused at 2026-03-01T00:00:00.000Z');
    const samePlan = await change(line, { kind: 'plan_changed', planId: PLAN_A });
    expect([samePlan.statusCode, samePlan.json().errors[0].field]).toEqual([409, '/planId']);
    const absent = await change(line, { kind: 'addon_removed', addonPlanId: ADDON });
    expect([absent.statusCode, absent.json().errors[0].field]).toEqual([409, '/addonPlanId']);
    expect((await change(line, { kind: 'addon_added', addonPlanId: ADDON })).statusCode).toBe(201);
    expect((await change(line, { kind: 'addon_added', addonPlanId: ADDON })).statusCode).toBe(409);
  });

  it('dates a change on a line that has not started at its start', async () => {
    const line = await newLine({ startsAt: '2999-01-01T00:00:00Z' });
    const response = await change(line, { kind: 'terminated' });
    expect(response.statusCode).toBe(201);
    expect(response.json().change.effectiveAt).toBe('2999-01-01T00:00:00.000Z');
  });

  it('applies one of 10 concurrent pauses; the others see the paused state', async () => {
    const line = await newLine();
    const responses = await Promise.all(Array.from({ length: 10 }, () => change(line, { kind: 'paused' })));
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, ...Array(9).fill(409)]);
    expect((await changesOf(line)).map((e) => e.sequence)).toEqual([1, 2]);
  });

  it('keeps events append-only in the database', async () => {
    const line = await newLine();
    const events = h.database.db.updateTable('subscription_events').set({ kind: 'terminated' });
    await expect(events.where('subscription_id', '=', line.id).execute()).rejects.toThrow(/append-only/);
    await expect(
      h.database.db.deleteFrom('subscription_events').where('subscription_id', '=', line.id).execute(),
    ).rejects.toThrow(/append-only/);
  });

  it('answers a cursor of another subscription with 400', async () => {
    const first = await newLine();
    const second = await newLine();
    await change(first, { kind: 'paused' });
    const page = (await api.get(`/v1/subscriptions/${first.id}/changes?limit=1`)).json();
    expect(page.nextCursor).not.toBeNull();
    const response = await api.get(`/v1/subscriptions/${second.id}/changes?cursor=${page.nextCursor}`);
    expect([response.statusCode, response.json().code]).toEqual([400, 'invalid_cursor']);
  });

  it('audits every change in the same chain, which verifies', async () => {
    const verification = await verifyAuditChain(h.database.db);
    expect(verification.breaks).toEqual([]);
    const actions = await h.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('tenant_id', '=', h.tenant.id)
      .where('object_type', '=', 'subscription')
      .execute();
    expect(new Set(actions.map((a) => a.action))).toEqual(
      new Set([
        'subscription.created',
        'subscription.paused',
        'subscription.resumed',
        'subscription.suspended',
        'subscription.restored',
        'subscription.plan_changed',
        'subscription.addon_added',
        'subscription.addon_removed',
        'subscription.terminated',
      ]),
    );
  });
});
