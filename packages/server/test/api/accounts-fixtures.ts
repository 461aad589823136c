import type { LightMyRequestResponse } from 'fastify';
import { type ApiHarness, bearer, type TestTenant } from './api-fixtures.js';

type Method = 'GET' | 'POST' | 'PATCH';

/** Requests of the accounts tests: one tenant's key of one role, JSON in and out. */
export function client(h: ApiHarness, key: string) {
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
    patch: (url: string, payload: unknown) => send('PATCH', url, payload),
  };
}

export type Client = ReturnType<typeof client>;

export async function createCustomer(api: Client, name = 'Ada'): Promise<string> {
  const response = await api.post('/v1/customers', { kind: 'person', givenName: name });
  if (response.statusCode !== 201) throw new Error(`customer: ${response.body}`);
  return response.json().id;
}

export async function createAccount(api: Client, fields: Record<string, unknown> = {}): Promise<Account> {
  const customerId = (fields.customerId as string | undefined) ?? (await createCustomer(api));
  const response = await api.post('/v1/accounts', { kind: 'postpaid', ...fields, customerId });
  if (response.statusCode !== 201) throw new Error(`account: ${response.body}`);
  return response.json();
}

export async function createSubscription(
  api: Client,
  accountId: string,
  body: Record<string, unknown>,
): Promise<Subscription> {
  const response = await api.post(`/v1/accounts/${accountId}/subscriptions`, body);
  if (response.statusCode !== 201) throw new Error(`subscription: ${response.body}`);
  return response.json();
}

export interface Account {
  id: string;
  accountNumber: string;
  customerId: string;
  kind: string;
  currency: string;
  creditLimit: string | null;
  status: string;
}

export interface Identifier {
  id: string;
  kind: string;
  value: string;
  validFrom: string;
  validTo: string | null;
}

export interface Subscription {
  id: string;
  accountId: string;
  planId: string | null;
  status: string;
  startsAt: string;
  endsAt: string | null;
  identifiers: Identifier[];
}

export interface Change {
  id: string;
  sequence: number;
  kind: string;
  effectiveAt: string;
  data: Record<string, unknown>;
}

/** The operator key of a tenant: the role that may change accounts. */
export function operator(h: ApiHarness, tenant: TestTenant = h.tenant): Client {
  return client(h, tenant.keys.operator);
}
