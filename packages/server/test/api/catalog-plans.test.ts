import type { TariffDocument } from '@tollgate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_LABEL } from '../test-database.js';
import { type ApiHarness, openApiHarness } from './api-fixtures.js';
import { demoTariffDocument, get, post, uniqueCode, withLocalPeakPrice } from './catalog-fixtures.js';

const SINCE = '2020-01-01T00:00:00Z';
const PEAK_CALL = { category: 'call', subject: '+4930111', destination: '+4930555123', usage: '2m10s' };

describe(`catalog: plans (${DATABASE_LABEL})`, () => {
  let h: ApiHarness;
  let demo: TariffDocument;
  let tariffId: string;
  let dearTariffId: string;
  beforeAll(async () => {
    h = await openApiHarness();
    demo = await demoTariffDocument();
    const create = async (code: string, document: TariffDocument) =>
      (
        await post(h.app, '/v1/tariffs', h.tenant.keys.operator, {
          code,
          name: code,
          activatesAt: SINCE,
          document,
        })
      ).json().id as string;
    tariffId = await create('plan-tariff', demo);
    dearTariffId = await create('dear-tariff', withLocalPeakPrice(demo, '0.10'));
  });
  afterAll(async () => {
    await h?.close();
  });

  const operator = () => h.tenant.keys.operator;
  const reader = () => h.tenant.keys['read-only'];
  const basePlan = (overrides: object = {}) => ({
    code: uniqueCode('base'),
    name: 'Residential',
    kind: 'base',
    effectiveFrom: SINCE,
    recurringFee: '9.99',
    feePeriod: 'month',
    tariffId,
    ...overrides,
  });
  const createPlan = (body: object, key = operator()) => post(h.app, '/v1/plans', key, body);

  it('creates a plan with exact money, fees and allowances, and reads it back', async () => {
    const created = await createPlan(
      basePlan({
        oneTimeFees: [{ code: 'activation', name: 'Activation', amount: '19.000001' }],
        allowances: [
          { service: 'voice', amount: '300m', category: 'call' },
          { service: 'sms', amount: '100' },
          { service: 'data', amount: '1GB' },
          { service: 'money', amount: '5.00' },
          { service: 'iot-events', amount: '1000' },
        ],
      }),
    );
    expect(created.statusCode).toBe(201);
    const plan = created.json();
    expect(plan).toMatchObject({
      kind: 'base',
      latestVersion: 1,
      current: {
        version: 1,
        effectiveFrom: '2020-01-01T00:00:00.000Z',
        recurringFee: '9.99',
        currency: 'EUR',
        feePeriod: 'month',
        oneTimeFees: [{ code: 'activation', name: 'Activation', amount: '19.000001' }],
        allowances: [
          { service: 'voice', amount: '300m', category: 'call' },
          { service: 'sms', amount: '100' },
          { service: 'data', amount: '1GB' },
          { service: 'money', amount: '5.00' },
          { service: 'iot-events', amount: '1000' },
        ],
        tariffId,
        ratingSubject: '*any',
      },
    });
    const stored = await h.database.db
      .selectFrom('plan_versions')
      .select(['recurring_fee_micros', 'one_time_fees'])
      .where('plan_id', '=', plan.id)
      .executeTakeFirstOrThrow();
    expect(stored.recurring_fee_micros).toBe(9_990_000n);
    expect(stored.one_time_fees).toEqual([
      { code: 'activation', name: 'Activation', amountMicros: '19000001' },
    ]);

    const read = (await get(h.app, `/v1/plans/${plan.id}`, reader())).json();
    expect(read.current).toEqual(plan.current);
    expect(read.versions).toEqual([plan.current]);
  });

  it('adds versions effective later without changing history; ?at= shows the version then', async () => {
    const plan = (await createPlan(basePlan())).json();
    const v2 = await post(h.app, `/v1/plans/${plan.id}/versions`, operator(), {
      effectiveFrom: '2100-01-01T00:00:00Z',
      recurringFee: '12.50',
      feePeriod: 'month',
      tariffId: dearTariffId,
    });
    expect(v2.statusCode).toBe(201);
    expect(v2.json()).toMatchObject({ version: 2, recurringFee: '12.5', tariffId: dearTariffId });

    const at = async (instant?: string) =>
      (
        await get(
          h.app,
          `/v1/plans/${plan.id}${instant ? `?at=${encodeURIComponent(instant)}` : ''}`,
          reader(),
        )
      ).json();
    expect((await at()).current).toMatchObject({ version: 1, recurringFee: '9.99' });
    expect((await at('2099-12-31T23:59:59Z')).current).toMatchObject({ version: 1 });
    expect((await at('2100-01-01T00:00:00Z')).current).toMatchObject({ version: 2, recurringFee: '12.5' });
    expect((await at('2019-12-31T23:59:59Z')).current).toBeNull();
    expect((await at()).versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);

    const notLater = await post(h.app, `/v1/plans/${plan.id}/versions`, operator(), {
      effectiveFrom: '2099-06-01T00:00:00Z',
      recurringFee: '11',
      feePeriod: 'month',
      tariffId,
    });
    expect([notLater.statusCode, notLater.json().errors[0].field]).toEqual([422, '/effectiveFrom']);
    const past = await post(h.app, `/v1/plans/${plan.id}/versions`, operator(), {
      effectiveFrom: '2021-01-01T00:00:00Z',
      recurringFee: '11',
      feePeriod: 'month',
      tariffId,
    });
    expect([past.statusCode, past.json().errors[0].field]).toEqual([422, '/effectiveFrom']);
    await expect(
      h.database.db
        .updateTable('plan_versions')
        .set({ recurring_fee_micros: 1n })
        .where('plan_id', '=', plan.id)
        .execute(),
    ).rejects.toThrow(/immutable/);
  });

  it('quotes usage with the plan version and tariff in effect at the answer time', async () => {
    const plan = (await createPlan(basePlan())).json();
    await post(h.app, `/v1/plans/${plan.id}/versions`, operator(), {
      effectiveFrom: '2100-01-01T00:00:00Z',
      recurringFee: '12.50',
      feePeriod: 'month',
      tariffId: dearTariffId,
    });
    const quote = (answerTime: string) =>
      post(h.app, '/v1/rating/quote', reader(), { planId: plan.id, ...PEAK_CALL, answerTime });
    const before = await quote('2099-12-30T09:15:00+01:00');
    expect(before.statusCode).toBe(200);
    expect(before.json()).toMatchObject({
      cost: '0.1283',
      tariff: { id: tariffId, version: 1 },
      plan: { id: plan.id, version: 1 },
    });
    expect((await quote('2100-01-05T09:15:00+01:00')).json()).toMatchObject({
      cost: '0.2367',
      tariff: { id: dearTariffId, version: 1 },
      plan: { id: plan.id, version: 2 },
    });
    const tooEarly = await quote('2019-06-03T09:15:00Z');
    expect([tooEarly.statusCode, tooEarly.json().code]).toEqual([422, 'unprocessable']);
  });

  it('rates under the plan version’s rating subject when the usage names none', async () => {
    const special = {
      ...demo,
      ratingProfiles: [
        ...demo.ratingProfiles,
        { ...demo.ratingProfiles[0]!, subject: 'VIP', ratingPlan: 'RESIDENTIAL' },
      ],
    };
    const vipTariff = (
      await post(h.app, '/v1/tariffs', operator(), {
        code: uniqueCode('vip'),
        name: 'VIP',
        activatesAt: SINCE,
        document: special,
      })
    ).json();
    expect(vipTariff.id).toBeDefined();
    const plan = (await createPlan(basePlan({ tariffId: vipTariff.id, ratingSubject: 'VIP' }))).json();
    const { subject: _subject, ...withoutSubject } = PEAK_CALL;
    const quoted = await post(h.app, '/v1/rating/quote', reader(), {
      planId: plan.id,
      ...withoutSubject,
      answerTime: '2026-03-09T09:15:00+01:00',
    });
    expect(quoted.json()).toMatchObject({ subject: 'VIP', explanation: { ratedSubject: 'VIP' } });
  });

  it.each([
    ['money as a JSON number', { recurringFee: 9.99 }, '/recurringFee'],
    ['money below the micro-unit', { recurringFee: '9.9900001' }, '/recurringFee'],
    ['an unknown currency', { currency: 'XQQ' }, '/currency'],
    [
      'a voice allowance in bytes',
      { allowances: [{ service: 'voice', amount: '1GB' }] },
      '/allowances/0/amount',
    ],
    ['a zero allowance', { allowances: [{ service: 'sms', amount: '0' }] }, '/allowances/0/amount'],
    [
      'a money allowance with a unit',
      { allowances: [{ service: 'money', amount: '5 EUR' }] },
      '/allowances/0/amount',
    ],
    [
      'a fee code twice',
      {
        oneTimeFees: [
          { code: 'a', name: 'A', amount: '1' },
          { code: 'a', name: 'B', amount: '2' },
        ],
      },
      '/oneTimeFees/1/code',
    ],
    ['a base plan without tariff', { tariffId: undefined }, '/tariffId'],
    ['an unknown period', { feePeriod: 'fortnight' }, '/feePeriod'],
    ['an unknown field', { colour: 'red' }, '/colour'],
  ])('answers %s with 400 naming the field', async (_name, overrides, field) => {
    const response = await createPlan(basePlan(overrides));
    expect([response.statusCode, response.json().code]).toEqual([400, 'validation_failed']);
    expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('refuses a tariff in another currency, or one it cannot see: 422', async () => {
    const usd = await createPlan(basePlan({ currency: 'USD' }));
    expect([usd.statusCode, usd.json().errors[0].field]).toEqual([422, '/currency']);
    const theirTariff = (
      await post(h.app, '/v1/tariffs', h.otherTenant.keys.operator, {
        code: 'theirs',
        name: 'T',
        document: demo,
      })
    ).json();
    const foreign = await createPlan(basePlan({ tariffId: theirTariff.id }));
    expect([foreign.statusCode, foreign.json().errors[0].field]).toEqual([422, '/tariffId']);
    const addon = await createPlan({
      code: uniqueCode('addon'),
      name: 'Data pack',
      kind: 'addon',
      recurringFee: '5',
      feePeriod: 'month',
      allowances: [{ service: 'data', amount: '5GB' }],
    });
    expect(addon.statusCode).toBe(201);
    expect(addon.json().current).toMatchObject({ tariffId: null, recurringFee: '5' });
    const twice = await createPlan({ ...basePlan(), code: addon.json().code });
    expect([twice.statusCode, twice.json().code]).toEqual([409, 'conflict']);
  });

  it('lists plans with the version in effect now, filtered by kind', async () => {
    const addons = (await get(h.app, '/v1/plans?kind=addon&limit=200', reader())).json();
    expect(addons.items.length).toBeGreaterThan(0);
    for (const item of addons.items) expect(item.kind).toBe('addon');
    const plan = (await createPlan(basePlan())).json();
    const listed = (await get(h.app, `/v1/plans?code=${plan.code}`, reader())).json();
    expect(listed).toMatchObject({ items: [{ id: plan.id, latestVersion: 1, current: { version: 1 } }] });
  });

  it("hides another tenant's plans: 404, never 403; read-only keys cannot write", async () => {
    const plan = (await createPlan(basePlan())).json();
    const theirs = h.otherTenant.keys.admin;
    expect((await get(h.app, `/v1/plans/${plan.id}`, theirs)).statusCode).toBe(404);
    const version = await post(h.app, `/v1/plans/${plan.id}/versions`, theirs, {
      recurringFee: '1',
      feePeriod: 'month',
    });
    expect(version.statusCode).toBe(404);
    const quoted = await post(h.app, '/v1/rating/quote', theirs, {
      planId: plan.id,
      ...PEAK_CALL,
      answerTime: '2026-03-09T09:15:00+01:00',
    });
    expect(quoted.statusCode).toBe(404);
    expect((await get(h.app, `/v1/plans?code=${plan.code}`, theirs)).json().items).toEqual([]);
    expect((await createPlan(basePlan(), reader())).statusCode).toBe(403);
    const readOnlyVersion = await post(h.app, `/v1/plans/${plan.id}/versions`, reader(), {
      recurringFee: '1',
      feePeriod: 'month',
      tariffId,
    });
    expect(readOnlyVersion.statusCode).toBe(403);
  });
});
