import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { issueApiKey } from '../../src/auth/api-keys.js';
import type { ApiKeyRole } from '../../src/db/database-schema.js';
import { buildApp } from '../../src/http/build-app.js';
import { type BillingFixture, openBillingFixture } from '../billing/billing-fixture.js';

const PASSWORD = 'correct horse battery staple';

export interface InsightsFixture {
  readonly billing: BillingFixture;
  readonly app: FastifyInstance;
  readonly keys: Readonly<Record<ApiKeyRole, string>>;
  get(url: string, role?: ApiKeyRole): Promise<LightMyRequestResponse>;
  post(url: string, payload: object, role?: ApiKeyRole): Promise<LightMyRequestResponse>;
  /** Signs in a new portal user of the customer who holds `accountId`; returns its session cookies. */
  customerSession(accountId: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * The billing fixture (the demo operator, its tariff, ingestion and charging) behind the HTTP API
 * with the fixture's clock, and a key of every role.
 */
export async function openInsightsFixture(): Promise<InsightsFixture> {
  const billing = await openBillingFixture();
  const { db } = billing.database;
  const app = await buildApp({ db, now: () => billing.clock.now, charging: billing.engine() });
  const keys = {} as Record<ApiKeyRole, string>;
  for (const role of ['admin', 'operator', 'support', 'read-only'] as const)
    keys[role] = (await issueApiKey(db, billing.tenantId, `${role} insights`, role)).key;
  const headers = (role: ApiKeyRole) => ({ authorization: `Bearer ${keys[role]}` });
  let users = 0;
  return {
    billing,
    app,
    keys,
    get: (url, role = 'support') => app.inject({ method: 'GET', url, headers: headers(role) }),
    post: (url, payload, role = 'support') =>
      app.inject({ method: 'POST', url, headers: headers(role), payload }),
    customerSession: async (accountId) => {
      const account = await db
        .selectFrom('accounts')
        .select('customer_id')
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow();
      users++;
      const email = `portal-${users}-${Date.now()}@example.com`;
      const user = await app.inject({
        method: 'POST',
        url: '/v1/users',
        headers: headers('admin'),
        payload: { email, password: PASSWORD, kind: 'customer', customerId: account.customer_id },
      });
      if (user.statusCode !== 201) throw new Error(`user: ${user.body}`);
      const tenant = await db
        .selectFrom('tenants')
        .select('slug')
        .where('id', '=', billing.tenantId)
        .executeTakeFirstOrThrow();
      const session = await app.inject({
        method: 'POST',
        url: '/v1/sessions',
        payload: { tenant: tenant.slug, email, password: PASSWORD },
      });
      const cookie = session.cookies.find((c) => c.name === 'tollgate_session');
      if (cookie === undefined) throw new Error(`sign-in: ${session.body}`);
      return { tollgate_session: cookie.value };
    },
    close: async () => {
      await app.close();
      await billing.close();
    },
  };
}
