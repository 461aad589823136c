/**
 * The outside payment gateway as the auto-recharge needs it: take an amount from the customer's
 * stored payment method. The idempotency key lets a gateway that supports them collect once
 * however often a request is retried. The serving process collects through the payment
 * gateways (payments/gateway-payment-collector.ts); noPaymentMethodCollector stands for a
 * process without them.
 */
export interface PaymentCollector {
  collect(request: PaymentRequest): Promise<PaymentOutcome>;
}

export interface PaymentRequest {
  readonly tenantId: string;
  readonly accountId: string;
  readonly amountMicros: bigint;
  readonly currency: string;
  readonly idempotencyKey: string;
}

export type PaymentOutcome =
  | { readonly ok: true; readonly reference: string }
  | {
      readonly ok: false;
      readonly code: 'declined' | 'no_payment_method' | 'unavailable';
      readonly message: string;
    };

/** The collector of a process without payment gateways: nothing can be collected. */
export const noPaymentMethodCollector: PaymentCollector = {
  collect: async () => ({
    ok: false,
    code: 'no_payment_method',
    message: 'no payment gateway is available to this process',
  }),
};
