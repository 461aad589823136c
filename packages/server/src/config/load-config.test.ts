import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('uses defaults and converts environment text by the setting type', async () => {
    const loaded = await loadConfig({ TOLLGATE_PORT: '8080', TOLLGATE_SEED_DEMO: 'false' });
    expect(loaded).toMatchObject({
      ok: true,
      config: { port: 8080, host: '127.0.0.1', seedDemo: false, logLevel: 'info' },
    });
  });

  it('names every bad value and the variable it came from', async () => {
    const loaded = await loadConfig({
      TOLLGATE_PORT: 'eighty',
      TOLLGATE_LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://x',
    });
    expect(loaded.ok).toBe(false);
    const problems = loaded.ok ? [] : loaded.problems.join('\n');
    expect(problems).toContain('port (TOLLGATE_PORT)');
    expect(problems).toContain('logLevel (TOLLGATE_LOG_LEVEL)');
    expect(problems).toContain('databaseUrl (DATABASE_URL)');
  });

  it('offers the sandbox gateway by default, with the documented development secret, and no Stripe', async () => {
    const loaded = await loadConfig({});
    expect(loaded).toMatchObject({
      ok: true,
      config: { sandboxGateway: true, sandboxWebhookSecret: 'whsec_sandbox_development' },
    });
    expect(loaded.ok && loaded.config.stripeSecretKey).toBeUndefined();
  });

  it('reads the payment gateway settings from their variables', async () => {
    const loaded = await loadConfig({
      TOLLGATE_SANDBOX_GATEWAY: 'false',
      TOLLGATE_SANDBOX_WEBHOOK_SECRET: 'whsec_sandbox_other',
      TOLLGATE_STRIPE_SECRET_KEY: 'sk_test_abc',
      TOLLGATE_STRIPE_WEBHOOK_SECRET: 'whsec_abc',
      TOLLGATE_STRIPE_API_BASE: 'http://127.0.0.1:12111',
    });
    expect(loaded).toMatchObject({
      ok: true,
      config: {
        sandboxGateway: false,
        sandboxWebhookSecret: 'whsec_sandbox_other',
        stripeSecretKey: 'sk_test_abc',
        stripeWebhookSecret: 'whsec_abc',
        stripeApiBase: 'http://127.0.0.1:12111',
      },
    });
  });

  it('names a bad secret without printing it', async () => {
    const loaded = await loadConfig({
      TOLLGATE_STRIPE_SECRET_KEY: 'pk_live_publishable_by_mistake',
      TOLLGATE_STRIPE_WEBHOOK_SECRET: 'not-a-signing-secret',
    });
    const problems = loaded.ok ? '' : loaded.problems.join('\n');
    expect(problems).toContain('stripeSecretKey (TOLLGATE_STRIPE_SECRET_KEY)');
    expect(problems).toContain('stripeWebhookSecret (TOLLGATE_STRIPE_WEBHOOK_SECRET)');
    expect(problems).not.toContain('pk_live_publishable_by_mistake');
    expect(problems).not.toContain('not-a-signing-secret');
  });

  it('refuses a Stripe key without the webhook signing secret', async () => {
    const loaded = await loadConfig({ TOLLGATE_STRIPE_SECRET_KEY: 'sk_test_abc' });
    expect(loaded.ok ? [] : loaded.problems).toEqual([
      'stripeWebhookSecret (TOLLGATE_STRIPE_WEBHOOK_SECRET): required when stripeSecretKey is set',
    ]);
  });

  it('reports a configuration file that cannot be read', async () => {
    const loaded = await loadConfig({ TOLLGATE_CONFIG: '/nonexistent/tollgate.yaml' });
    expect(loaded.ok ? [] : loaded.problems[0]).toContain('TOLLGATE_CONFIG /nonexistent/tollgate.yaml');
  });
});
