import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { issueApiKey } from '../../src/auth/api-keys.js';
import { markInvoicePaid } from '../../src/billing/mark-invoice-paid.js';
import { buildApp } from '../../src/http/build-app.js';
import { type BillingFixture, openBillingFixture } from '../billing/billing-fixture.js';
import { TEST_ACTOR } from '../mediation/mediation-fixture.js';

export const APRIL_1 = '2026-04-01T00:00:00+02:00';

/** The billing fixture (German VAT, a 30.00 monthly plan), the API over it with a clock the test moves, and keys. */
export interface ReceivablesFixture extends BillingFixture {
  readonly app: FastifyInstance;
  readonly planId: string;
  readonly keys: { readonly operator: string; readonly readOnly: string };
  call(method: 'GET' | 'POST', url: string, payload?: object, key?: string): Promise<LightMyRequestResponse>;
  /** Postpaid accounts with a line each from `startsAt` (default March 1st). */
  accounts(count: number, startsAt?: string): Promise<string[]>;
  /** The account's number and invoices (number, total, due date), oldest first. */
  invoicesOf(accountId: string): Promise<
    {
      id: string;
      number: string;
      status: string;
      total: string;
      dueOn: string;
      issuedOn: string;
      amountDue: string;
    }[]
  >;
  accountNumberOf(accountId: string): Promise<string>;
  /** Marks every open invoice of the demo operator's own accounts paid, so only the test's accounts owe. */
  settleDemoAccounts(except: readonly string[]): Promise<void>;
}

let lines = 0;

export async function openReceivablesFixture(): Promise<ReceivablesFixture> {
  const f = await openBillingFixture();
  await f.taxRule('DE', '*', [{ code: 'DE-VAT', name: 'USt', ratePercent: '19' }]);
  const planId = await f.plan('basic', { name: 'Basic', recurringFee: '30.00' });
  const app = await buildApp({ db: f.database.db, now: () => f.clock.now });
  const operator = (await issueApiKey(f.database.db, f.tenantId, 'ops', 'operator')).key;
  const readOnly = (await issueApiKey(f.database.db, f.tenantId, 'reader', 'read-only')).key;
  const db = f.database.db;
  return {
    ...f,
    app,
    planId,
    keys: { operator, readOnly },
    call: (method, url, payload, key = operator) =>
      app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${key}` },
        ...(payload === undefined ? {} : { payload }),
      }),
    accounts: async (count, startsAt = '2026-03-01T00:00:00+01:00') => {
      const ids: string[] = [];
      for (let index = 0; index < count; index++) {
        const accountId = await f.account();
        lines++;
        await f.line(accountId, `+49152${String(900000 + lines).padStart(8, '0')}`, planId, startsAt);
        ids.push(accountId);
      }
      return ids;
    },
    invoicesOf: async (accountId) => {
      const response = await app.inject({
        method: 'GET',
        url: `/v1/invoices?accountId=${accountId}&kind=invoice&limit=200`,
        headers: { authorization: `Bearer ${readOnly}` },
      });
      const items = response.json().items as {
        id: string;
        number: string;
        status: string;
        total: string;
        dueOn: string;
        issuedOn: string;
        amountDue: string;
      }[];
      return items
        .map(({ id, number, status, total, dueOn, issuedOn, amountDue }) => ({
          id,
          number,
          status,
          total,
          dueOn,
          issuedOn,
          amountDue,
        }))
        .sort((a, b) => (a.number < b.number ? -1 : 1));
    },
    accountNumberOf: async (accountId) =>
      (
        await db
          .selectFrom('accounts')
          .select('account_number')
          .where('id', '=', accountId)
          .executeTakeFirstOrThrow()
      ).account_number,
    settleDemoAccounts: async (except) => {
      const open = await db
        .selectFrom('invoices')
        .select(['id', 'account_id'])
        .where('tenant_id', '=', f.tenantId)
        .where('kind', '=', 'invoice')
        .where('status', '=', 'finalized')
        .execute();
      for (const invoice of open.filter((row) => !except.includes(row.account_id))) {
        const paid = await markInvoicePaid(db, f.tenantId, TEST_ACTOR, invoice.id, f.clock.now);
        if (!paid.ok) throw new Error(JSON.stringify(paid));
      }
    },
    close: async () => {
      await app.close();
      await f.close();
    },
  };
}

/** A CSV statement in the default layout (comma, decimal point, ISO dates). */
export function statementCsv(rows: readonly (readonly [string, string, string, string, string])[]): string {
  const quote = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return ['date,amount,currency,reference,counterparty', ...rows.map((row) => row.map(quote).join(','))].join(
    '\n',
  );
}
