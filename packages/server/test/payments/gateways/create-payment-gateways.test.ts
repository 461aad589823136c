import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createPaymentGateways } from '../../../src/payments/gateways/create-payment-gateways.js';
import { SandboxGateway } from '../../../src/payments/gateways/sandbox-gateway.js';
import { StripeGateway } from '../../../src/payments/gateways/stripe-gateway.js';

describe('createPaymentGateways', () => {
  it('offers the sandbox alone by default', () => {
    const gateways = createPaymentGateways({
      sandbox: true,
      sandboxWebhookSecret: 'whsec_sandbox_development',
    });
    expect([...gateways.keys()]).toEqual(['sandbox']);
    expect(gateways.get('sandbox')).toBeInstanceOf(SandboxGateway);
  });

  it('adds Stripe when its secret key is set, and leaves the sandbox out when it is off', () => {
    const gateways = createPaymentGateways({
      sandbox: false,
      sandboxWebhookSecret: 'whsec_sandbox_development',
      stripeSecretKey: 'sk_test_abc',
      stripeWebhookSecret: 'whsec_abc',
      stripeApiBase: 'http://127.0.0.1:12111',
    });
    expect([...gateways.keys()]).toEqual(['stripe']);
    expect(gateways.get('stripe')).toBeInstanceOf(StripeGateway);
  });

  it('refuses Stripe without its webhook signing secret, and keeps the key out of the message', () => {
    const create = () =>
      createPaymentGateways({
        sandbox: true,
        sandboxWebhookSecret: 'x',
        stripeSecretKey: 'sk_test_secret_value',
      });
    expect(create).toThrow(/webhook signing secret/);
    expect(create).not.toThrow(/sk_test_secret_value/);
  });

  it('does not show the Stripe keys when the gateway is printed', () => {
    const gateways = createPaymentGateways({
      sandbox: true,
      sandboxWebhookSecret: 'whsec_sandbox_hidden',
      stripeSecretKey: 'sk_test_hidden',
      stripeWebhookSecret: 'whsec_hidden',
    });
    const gatewayList = [...gateways.values()];
    expect(JSON.stringify(gatewayList)).not.toMatch(/hidden/);
    expect(inspect(gatewayList, { depth: 20 })).not.toMatch(/hidden/);
  });
});
