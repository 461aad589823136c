import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { issueApiKey } from '../../src/auth/api-keys.js';
import { buildApp } from '../../src/http/build-app.js';
import { createPaymentGateways } from '../../src/payments/gateways/create-payment-gateways.js';
import type { PaymentGateways } from '../../src/payments/gateways/payment-gateway.js';
import type { SandboxGateway } from '../../src/payments/gateways/sandbox-gateway.js';
import { type BillingFixture, openBillingFixture } from '../billing/billing-fixture.js';

export const APRIL_1 = '2026-04-01T00:00:00+02:00';
export const MAY_1 = '2026-05-01T00:00:00+02:00';
export const SANDBOX_SECRET = 'whsec_payments_test';

/** A billing fixture with German VAT, the sandbox gateway, and the API over both. */
export interface PaymentsFixture extends BillingFixture {
  readonly app: FastifyInstance;
  readonly gateways: PaymentGateways;
  readonly sandbox: SandboxGateway;
  readonly headers: { readonly admin: Record<string, string>; readonly operator: Record<string, string> };
  call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  /** A postpaid account with a 30.00 line from March 1st, billed on April 1st: one invoice of 71.40. */
  billedAccount(msisdn: string): Promise<{ accountId: string; invoiceId: string; subscriptionId: string }>;
}

export async function openPaymentsFixture(): Promise<PaymentsFixture> {
  const f = await openBillingFixture();
  await f.taxRule('DE', '*', [{ code: 'DE-VAT', name: 'USt', ratePercent: '19' }]);
  const gateways = createPaymentGateways({ sandbox: true, sandboxWebhookSecret: SANDBOX_SECRET });
  const engine = f.engine();
  const app = await buildApp({
    db: f.database.db,
    now: () => f.clock.now,
    charging: engine,
    paymentGateways: gateways,
  });
  const admin = {
    authorization: `Bearer ${(await issueApiKey(f.database.db, f.tenantId, 'admin', 'admin')).key}`,
  };
  const operator = {
    authorization: `Bearer ${(await issueApiKey(f.database.db, f.tenantId, 'ops', 'operator')).key}`,
  };
  let plan: string | null = null;
  return {
    ...f,
    app,
    gateways,
    sandbox: gateways.get('sandbox') as SandboxGateway,
    headers: { admin, operator },
    call: (method, url, payload, headers = operator) =>
      app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) }),
    billedAccount: async (msisdn) => {
      plan ??= await f.plan('basic', { name: 'Basic', recurringFee: '30.00' });
      const accountId = await f.account();
      const subscriptionId = await f.line(accountId, msisdn, plan, '2026-03-01T00:00:00+01:00');
      const before = f.clock.now;
      f.clock.now = new Date(APRIL_1);
      await f.billRun(APRIL_1);
      f.clock.now = before > f.clock.now ? before : new Date('2026-04-01T08:00:00+02:00');
      const [invoice] = await f.invoices(accountId);
      if (invoice === undefined || invoice.total !== '71.40')
        throw new Error(`unexpected invoice ${JSON.stringify(invoice)}`);
      return { accountId, invoiceId: invoice.id, subscriptionId };
    },
    close: async () => {
      await app.close();
      await f.close();
    },
  };
}
