import type { Kysely } from 'kysely';
import type { PaymentCollector, PaymentOutcome, PaymentRequest } from '../balances/payment-collector.js';
import type { Database } from '../db/database-schema.js';
import { collectPayment } from './collect-payment.js';
import type { PaymentGateways } from './gateways/payment-gateway.js';

/**
 * Prepaid auto-recharge through the payment path: a gateway charge of the account's default
 * method, recorded as a payment with purpose 'auto_recharge' (kept out of the invoice credit:
 * the money tops up the prepaid balance), under the recharge attempt's idempotency key.
 */
export function gatewayPaymentCollector(
  db: Kysely<Database>,
  gateways: PaymentGateways,
  now: () => Date,
): PaymentCollector {
  return {
    collect: async (request: PaymentRequest): Promise<PaymentOutcome> => {
      const result = await collectPayment(
        db,
        gateways,
        request.tenantId,
        { type: 'system', id: 'auto-recharge' },
        {
          accountId: request.accountId,
          purpose: 'auto_recharge',
          amountMicros: request.amountMicros,
          idempotencyKey: `auto-recharge:${request.idempotencyKey}`,
          description: 'Prepaid auto-recharge',
        },
        now(),
      );
      if (!result.ok)
        return {
          ok: false,
          code: result.code === 'unprocessable' ? 'no_payment_method' : 'declined',
          message: result.message,
        };
      const { payment } = result;
      if (payment.status === 'succeeded')
        return { ok: true, reference: payment.gateway_reference ?? payment.id };
      if (payment.status === 'failed')
        return {
          ok: false,
          code: 'declined',
          message: payment.failure_message ?? payment.failure_code ?? 'declined',
        };
      return {
        ok: false,
        code: 'unavailable',
        message: `the payment is ${payment.status}${payment.failure_code === null ? '' : ` (${payment.failure_code})`}`,
      };
    },
  };
}
