import type { LightMyRequestResponse } from 'fastify';
import { type ApiHarness, bearer, type TestTenant } from './api-fixtures.js';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Requests of the balance tests: one tenant's key of one role, JSON in and out. */
export function balanceClient(h: ApiHarness, key: string) {
  const send = (method: Method, url: string, payload?: unknown): Promise<LightMyRequestResponse> =>
    h.app.inject({
      method,
      url,
      headers: bearer(key),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  return {
    get: (url: string) => send('GET', url),
    post: (url: string, payload: unknown = {}) => send('POST', url, payload),
    put: (url: string, payload: unknown) => send('PUT', url, payload),
    delete: (url: string) => send('DELETE', url),
  };
}

export type BalanceClient = ReturnType<typeof balanceClient>;

/** A new customer and account of the tenant: prepaid in EUR unless the fields say otherwise. */
export async function openAccount(
  h: ApiHarness,
  fields: Record<string, unknown> = {},
  tenant: TestTenant = h.tenant,
): Promise<{ id: string; accountNumber: string; currency: string }> {
  const api = balanceClient(h, tenant.keys.operator);
  const customer = await api.post('/v1/customers', { kind: 'person', givenName: 'Ada' });
  if (customer.statusCode !== 201) throw new Error(`customer: ${customer.body}`);
  const account = await api.post('/v1/accounts', {
    kind: 'prepaid',
    customerId: customer.json().id,
    ...fields,
  });
  if (account.statusCode !== 201) throw new Error(`account: ${account.body}`);
  return account.json();
}

export async function topUp(
  api: BalanceClient,
  accountId: string,
  amount: string,
): Promise<LightMyRequestResponse> {
  return api.post(`/v1/accounts/${accountId}/topups`, { amount, method: 'operator' });
}

let lineCounter = 0;

/** A new line (subscription) of an account, known by a unique username. */
export async function openLine(api: BalanceClient, accountId: string): Promise<string> {
  lineCounter++;
  const line = await api.post(`/v1/accounts/${accountId}/subscriptions`, {
    identifiers: [{ kind: 'username', value: `line-${lineCounter}-${Date.now()}` }],
  });
  if (line.statusCode !== 201) throw new Error(`subscription: ${line.body}`);
  return line.json().id;
}
