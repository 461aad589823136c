import type { PaymentGateway } from './payment-gateway.js';
import { SandboxGateway } from './sandbox-gateway.js';
import { StripeGateway } from './stripe-gateway.js';

/** The gateway settings of Config (config/load-config.ts), under the names the gateways use. */
export interface PaymentGatewaySettings {
  /** The built-in sandbox (TOLLGATE_SANDBOX_GATEWAY); off in production, where it would take fake cards. */
  readonly sandbox: boolean;
  readonly sandboxWebhookSecret: string;
  /** Stripe is used when its secret key is set. */
  readonly stripeSecretKey?: string;
  readonly stripeWebhookSecret?: string;
  readonly stripeApiBase?: string;
}

/**
 * The gateways this process can charge through, by name (the name stored with each method and
 * payment). A gateway without its settings is left out rather than failing later at a charge.
 */
export function createPaymentGateways(settings: PaymentGatewaySettings): Map<string, PaymentGateway> {
  const gateways = new Map<string, PaymentGateway>();
  if (settings.sandbox) {
    gateways.set('sandbox', new SandboxGateway({ webhookSecret: settings.sandboxWebhookSecret }));
  }
  if (settings.stripeSecretKey !== undefined && settings.stripeSecretKey !== '') {
    // loadConfig refuses a secret key without a webhook secret; this guards other callers.
    if (settings.stripeWebhookSecret === undefined || settings.stripeWebhookSecret === '') {
      throw new RangeError('Stripe is configured without its webhook signing secret');
    }
    const stripe = new StripeGateway({
      secretKey: settings.stripeSecretKey,
      webhookSecret: settings.stripeWebhookSecret,
      ...(settings.stripeApiBase === undefined ? {} : { apiBase: settings.stripeApiBase }),
    });
    gateways.set(stripe.name, stripe);
  }
  return gateways;
}
