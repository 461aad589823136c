import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CustomerAccessFixture, openCustomerAccessFixture } from '../api/customer-access-fixture.js';
import { DATABASE_LABEL } from '../test-database.js';

describe(`fraud cases are for staff (${DATABASE_LABEL})`, () => {
  let f: CustomerAccessFixture;
  beforeAll(async () => {
    f = await openCustomerAccessFixture();
  }, 120_000);
  afterAll(async () => {
    await f?.close();
  });

  it('refuses a signed-in customer the cases, a case, the rules and a decision', async () => {
    const customer = f.as(f.a);
    const id = '00000000-0000-4000-8000-000000000000';
    for (const [method, url] of [
      ['GET', '/v1/fraud-cases'],
      ['GET', `/v1/fraud-cases?subscriptionId=${f.a.subscriptionId}`],
      ['GET', `/v1/fraud-cases/${id}`],
      ['GET', '/v1/fraud-rules'],
    ] as const) {
      const response = await customer(method, url);
      expect([url, response.statusCode]).toEqual([url, 403]);
    }
    const decided = await customer('POST', `/v1/fraud-cases/${id}/decision`, {
      decision: 'dismiss',
      reason: 'mine',
    });
    expect(decided.statusCode).toBe(403);
  });
});
