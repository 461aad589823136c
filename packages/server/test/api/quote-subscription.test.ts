import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from '../run-cli.js';
import { DATABASE_LABEL } from '../test-database.js';
import { type ApiHarness, bearer, openApiHarness } from './api-fixtures.js';

describe(`rating quote for a subscription (${DATABASE_LABEL})`, () => {
  let h: ApiHarness;
  let subscriptionId: string;
  let planlessId: string;
  const post = (url: string, payload: object) =>
    h.app.inject({ method: 'POST', url, headers: bearer(h.tenant.keys.operator), payload });

  beforeAll(async () => {
    h = await openApiHarness();
    const document = parseYaml(
      await readFile(join(REPO_ROOT, 'packages/server/samples/demo/tariff.yaml'), 'utf8'),
    );
    const tariff = (
      await post('/v1/tariffs', { code: 'demo', name: 'Demo', activatesAt: '2026-01-01T00:00:00Z', document })
    ).json();
    const plan = (
      await post('/v1/plans', {
        code: 'res',
        name: 'Residential',
        kind: 'base',
        recurringFee: '9.99',
        feePeriod: 'month',
        tariffId: tariff.id,
        effectiveFrom: '2026-01-01T00:00:00Z',
      })
    ).json();
    const customer = (await post('/v1/customers', { kind: 'person', givenName: 'Quote' })).json();
    const account = (await post('/v1/accounts', { customerId: customer.id, kind: 'postpaid' })).json();
    const line = await post(`/v1/accounts/${account.id}/subscriptions`, {
      identifiers: [{ kind: 'msisdn', value: '0151 1234567' }],
      planId: plan.id,
      startsAt: '2026-01-01T00:00:00Z',
    });
    subscriptionId = line.json().id;
    const planless = await post(`/v1/accounts/${account.id}/subscriptions`, {
      identifiers: [{ kind: 'msisdn', value: '0151 7654321' }],
      startsAt: '2026-01-01T00:00:00Z',
    });
    planlessId = planless.json().id;
  });
  afterAll(async () => {
    await h?.close();
  });

  const usage = {
    category: 'call',
    destination: '+4930555123',
    answerTime: '2026-03-09T09:15:00+01:00',
    usage: '2m10s',
  };

  it("prices with the line's plan and tariff at the answer time, rated as the line's number", async () => {
    const response = await post('/v1/rating/quote', { subscriptionId, ...usage });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      cost: '0.1283',
      subject: '+491511234567',
      explanation: {
        subject: '+491511234567',
        ratedSubject: '*any',
        destination: { destinationId: 'DE_BERLIN' },
      },
    });
  });

  it('refuses a line without a plan, and another tenant’s line', async () => {
    const planless = await post('/v1/rating/quote', { subscriptionId: planlessId, ...usage });
    expect(planless.statusCode).toBeGreaterThanOrEqual(400);
    expect(planless.statusCode).toBeLessThan(500);
    const theirs = await h.app.inject({
      method: 'POST',
      url: '/v1/rating/quote',
      headers: bearer(h.otherTenant.keys.admin),
      payload: { subscriptionId, ...usage },
    });
    expect(theirs.statusCode).toBe(404);
  });

  it('takes exactly one of tariffId, planId and subscriptionId', async () => {
    const both = await post('/v1/rating/quote', { subscriptionId, planId: subscriptionId, ...usage });
    expect([both.statusCode, both.json().code]).toEqual([400, 'validation_failed']);
  });
});
