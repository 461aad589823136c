import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_LABEL } from '../test-database.js';
import { type InsightsFixture, openInsightsFixture } from './insights-fixture.js';

/** Saturday 11 April 2026, noon in Berlin: day 11 of the 30-day April cycle. */
const NOW = new Date('2026-04-11T12:00:00+02:00');

/**
 * The demo's postpaid customer (billed on the 1st, Europe/Berlin): a line on Residential (9.99 a
 * month) since 1 January, previewing a move to Business (29.00 a month, 1000 minutes).
 */
describe(`the plan change preview (${DATABASE_LABEL})`, () => {
  let f: InsightsFixture;
  let lineId: string;
  let plans: { residential: string; business: string; addon: string };

  beforeAll(async () => {
    f = await openInsightsFixture();
    const { db } = f.billing.database;
    const line = await db
      .selectFrom('subscription_identifiers')
      .select('subscription_id')
      .where('value', '=', f.billing.postpaid.msisdn)
      .executeTakeFirstOrThrow();
    lineId = line.subscription_id;
    const rows = await db.selectFrom('plans').select(['id', 'code']).execute();
    const idOf = (code: string) => rows.find((r) => r.code === code)!.id;
    plans = {
      residential: idOf('residential'),
      business: idOf('business'),
      addon: await f.billing.plan('preview-extra', { kind: 'addon', recurringFee: '2.00' }),
    };
    // Bill January to March, each run billing the next cycle in advance: April is billed as
    // Residential before the change, as it would be in production.
    for (const asOf of [
      '2026-02-01T00:00:00+01:00',
      '2026-03-01T00:00:00+01:00',
      '2026-04-01T00:00:00+02:00',
    ])
      await f.billing.billRun(asOf);
    f.billing.clock.now = NOW;
  }, 180_000);
  afterAll(async () => {
    await f?.close();
  });

  const preview = (body: object, role: 'support' | 'read-only' = 'support') =>
    f.post(`/v1/subscriptions/${lineId}/plan-change-preview`, body, role);

  it('credits the rest of the cycle at the old fee and charges it at the new one', async () => {
    const response = await preview({ planId: plans.business });
    expect(response.statusCode).toBe(200);
    // From 11 April to the cycle's end, 20 of April's 30 days:
    //   credit  9.99 × 20 / 30 = 6.66 exactly
    //   charge 29.00 × 20 / 30 = 19.3333… → 19.33 (half up to the cent)
    //   net    19.33 − 6.66 = 12.67
    expect(response.json()).toEqual({
      subscriptionId: lineId,
      accountId: f.billing.postpaid.accountId,
      currency: 'EUR',
      effectiveAt: NOW.toISOString(),
      effectiveDate: '2026-04-11',
      cycle: { start: '2026-04-01', end: '2026-04-30', days: 30 },
      currentPlan: {
        id: plans.residential,
        code: 'residential',
        name: 'Residential',
        recurringFee: '9.99',
        feePeriod: 'month',
      },
      newPlan: {
        id: plans.business,
        code: 'business',
        name: 'Business',
        recurringFee: '29.00',
        feePeriod: 'month',
        allowances: [{ service: 'voice', amount: '1000m' }],
      },
      lines: [
        {
          kind: 'recurring_credit',
          planId: plans.residential,
          label: 'Residential',
          from: '2026-04-11',
          to: '2026-04-30',
          days: 20,
          windowDays: 30,
          fee: '9.99',
          amount: '-6.66',
        },
        {
          kind: 'recurring',
          planId: plans.business,
          label: 'Business',
          from: '2026-04-11',
          to: '2026-04-30',
          days: 20,
          windowDays: 30,
          fee: '29.00',
          amount: '19.33',
        },
      ],
      credit: '-6.66',
      charge: '19.33',
      net: '12.67',
    });
  });

  it('prorates any day of the cycle, and takes a whole cycle back exactly', async () => {
    // From 2 April, 29 days: credit 9.99 × 29 / 30 = 9.657 → 9.66; charge 29 × 29 / 30 = 28.0333… → 28.03.
    const second = (
      await preview({ planId: plans.business, effectiveAt: '2026-04-02T08:00:00+02:00' })
    ).json();
    expect(second).toMatchObject({
      effectiveDate: '2026-04-02',
      credit: '-9.66',
      charge: '28.03',
      net: '18.37',
    });
    // From the cycle's first day: the whole 9.99 back, the whole 29.00 charged.
    const first = (await preview({ planId: plans.business, effectiveAt: '2026-03-31T22:00:00Z' })).json();
    expect(first).toMatchObject({
      effectiveDate: '2026-04-01',
      credit: '-9.99',
      charge: '29.00',
      net: '19.01',
    });
  });

  it('changes nothing', async () => {
    const { db } = f.billing.database;
    const count = async () => ({
      events: (
        await db
          .selectFrom('subscription_events')
          .select('id')
          .where('subscription_id', '=', lineId)
          .execute()
      ).length,
      audit: (await db.selectFrom('audit_log').select('id').execute()).length,
      plan: (
        await db
          .selectFrom('subscriptions')
          .select('plan_id')
          .where('id', '=', lineId)
          .executeTakeFirstOrThrow()
      ).plan_id,
    });
    const before = await count();
    expect((await preview({ planId: plans.business })).statusCode).toBe(200);
    expect(await count()).toEqual(before);
    expect(before.plan).toBe(plans.residential);
  });

  it('refuses what the change itself would refuse', async () => {
    expect((await preview({ planId: plans.residential })).json()).toMatchObject({ code: 'conflict' });
    expect((await preview({ planId: plans.addon })).json()).toMatchObject({ code: 'unprocessable' });
    expect((await preview({ planId: randomUUID() })).json()).toMatchObject({ code: 'unprocessable' });
    const future = await preview({ planId: plans.business, effectiveAt: '2026-04-12T00:00:00+02:00' });
    expect(future.json()).toMatchObject({ code: 'validation_failed' });
    const beforeStart = await preview({ planId: plans.business, effectiveAt: '2025-12-31T00:00:00Z' });
    expect(beforeStart.json()).toMatchObject({ code: 'conflict' });
    const unknown = await f.post(`/v1/subscriptions/${randomUUID()}/plan-change-preview`, {
      planId: plans.business,
    });
    expect(unknown.statusCode).toBe(404);
    expect((await preview({ planId: plans.business }, 'read-only')).statusCode).toBe(403);
  });

  it('answers the customer about their own lines only', async () => {
    const cookies = await f.customerSession(f.billing.postpaid.accountId);
    const own = await f.app.inject({
      method: 'POST',
      url: `/v1/subscriptions/${lineId}/plan-change-preview`,
      cookies,
      payload: { planId: plans.business },
    });
    expect(own.json()).toMatchObject({ net: '12.67' });
    const { db } = f.billing.database;
    const theirs = await db
      .selectFrom('subscription_identifiers')
      .select('subscription_id')
      .where('value', '=', f.billing.prepaid.msisdn)
      .executeTakeFirstOrThrow();
    const other = await f.app.inject({
      method: 'POST',
      url: `/v1/subscriptions/${theirs.subscription_id}/plan-change-preview`,
      cookies,
      payload: { planId: plans.business },
    });
    expect(other.statusCode).toBe(404);
  });

  // Last: it changes the plan.
  it('is what the next invoice then bills', async () => {
    const previewed = (await preview({ planId: plans.business })).json();
    const changed = await f.post(
      `/v1/subscriptions/${lineId}/changes`,
      { kind: 'plan_changed', planId: plans.business },
      'operator',
    );
    expect(changed.statusCode).toBe(201);
    await f.billing.billRun('2026-05-01T00:00:00+02:00');
    const invoices = await f.billing.invoices(f.billing.postpaid.accountId);
    const may = invoices[invoices.length - 1]!;
    // 11 April is day 20554 since 1970-01-01, 1 May day 20574.
    const april = may.lines.filter((l) => l.from === 20554 && l.to === 20574);
    expect(april).toHaveLength(2);
    expect(april.map((l) => [l.kind, l.amount]).sort()).toEqual(
      previewed.lines.map((l: { kind: string; amount: string }) => [l.kind, l.amount]).sort(),
    );
  });
});
