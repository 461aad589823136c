import type { LightMyRequestResponse } from 'fastify';
import { MAY_1, openPaymentsFixture, type PaymentsFixture } from '../payments/payments-fixture.js';

export const PASSWORD = 'correct horse battery staple';
/** Where the clock stands once both customers are billed for April. */
export const MAY_2 = '2026-05-02T09:00:00Z';

/** A customer of the operator, with a customer user signed in, and what the customer has. */
export interface Party {
  readonly customerId: string;
  /** Postpaid, billed on April 1st (71.40) and May 1st (with April's calls). */
  readonly accountId: string;
  readonly subscriptionId: string;
  readonly msisdn: string;
  /** The finalised invoice of April 1st. */
  readonly invoiceId: string;
  /** The finalised invoice of May 1st: its usage line holds April's call. */
  readonly mayInvoiceId: string;
  /** The position of the May invoice's usage line. */
  readonly usagePosition: number;
  /** The rated record of April's call. */
  readonly ratedUsageId: string;
  readonly email: string;
  readonly cookies: Record<string, string>;
}

export type Call = (
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
  headers?: Record<string, string>,
) => Promise<LightMyRequestResponse>;

export interface CustomerAccessFixture extends PaymentsFixture {
  readonly slug: string;
  readonly a: Party;
  readonly b: Party;
  /** Requests with a party's session cookie (or any cookies). */
  as(who: Party | Record<string, string>): Call;
  /** Signs a user in; its session cookie. */
  signIn(email: string): Promise<Record<string, string>>;
  /** A staff user of the role, signed in. */
  staff(role: 'admin' | 'operator' | 'support' | 'read-only'): Promise<Record<string, string>>;
}

/**
 * The payments fixture with two customers, A and B, each a postpaid account with a line, billed
 * on April 1st and (with a call of theirs in April) on May 1st, and a customer user signed in.
 */
export async function openCustomerAccessFixture(): Promise<CustomerAccessFixture> {
  const f = await openPaymentsFixture();
  const db = f.database.db;
  const { slug } = await db
    .selectFrom('tenants')
    .select('slug')
    .where('id', '=', f.tenantId)
    .executeTakeFirstOrThrow();
  const signIn = async (email: string) => {
    const response = await f.app.inject({
      method: 'POST',
      url: '/v1/sessions',
      payload: { tenant: slug, email, password: PASSWORD },
    });
    const cookie = response.cookies.find((c) => c.name === 'tollgate_session');
    if (cookie === undefined) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
    return { tollgate_session: cookie.value };
  };
  const createUser = async (payload: object) => {
    const response = await f.call('POST', '/v1/users', payload, f.headers.admin);
    if (response.statusCode !== 201) throw new Error(`user: ${response.statusCode} ${response.body}`);
  };

  const billed = async (name: string, msisdn: string) => {
    const { accountId, invoiceId, subscriptionId } = await f.billedAccount(msisdn);
    const { customer_id: customerId } = await db
      .selectFrom('accounts')
      .select('customer_id')
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow();
    const email = `${name}-${Date.now()}@home.test`;
    await createUser({ email, password: PASSWORD, kind: 'customer', customerId });
    return { customerId, accountId, invoiceId, subscriptionId, msisdn, email };
  };
  const a0 = await billed('a', '+4915200000301');
  const b0 = await billed('b', '+4915200000302');
  await f.calls('april', [
    [a0.msisdn, '+4930123456', '2026-04-10T10:00:00+02:00', 120],
    [b0.msisdn, '+4930123456', '2026-04-11T10:00:00+02:00', 60],
  ]);
  f.clock.now = new Date(MAY_1);
  await f.billRun(MAY_1);
  f.clock.now = new Date(MAY_2);

  const complete = async (party: typeof a0): Promise<Party> => {
    const may = (await f.invoices(party.accountId)).find((invoice) => invoice.id !== party.invoiceId);
    if (may === undefined) throw new Error('no May invoice');
    const line = await db
      .selectFrom('invoice_lines')
      .select('position')
      .where('invoice_id', '=', may.id)
      .where('kind', '=', 'usage')
      .executeTakeFirstOrThrow();
    const usage = await db
      .selectFrom('rated_usage')
      .select('id')
      .where('account_id', '=', party.accountId)
      .executeTakeFirstOrThrow();
    return {
      ...party,
      mayInvoiceId: may.id,
      usagePosition: line.position,
      ratedUsageId: String(usage.id),
      cookies: await signIn(party.email),
    };
  };
  const a = await complete(a0);
  const b = await complete(b0);

  let staffCounter = 0;
  return {
    ...f,
    slug,
    a,
    b,
    as: (who) => {
      const cookies = 'cookies' in who ? (who as Party).cookies : (who as Record<string, string>);
      return (method, url, payload, headers = {}) =>
        f.app.inject({ method, url, cookies, headers, ...(payload === undefined ? {} : { payload }) });
    },
    signIn,
    staff: async (role) => {
      staffCounter++;
      const email = `staff-${role}-${staffCounter}@operator.test`;
      await createUser({ email, password: PASSWORD, kind: 'staff', role });
      return signIn(email);
    },
  };
}
