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

  it('reads the notification channels from their variables; none by default', async () => {
    const none = await loadConfig({});
    expect(none.ok && [none.config.smtpUrl, none.config.smsUrl]).toEqual([undefined, undefined]);
    expect(none.ok && none.config.mailFrom).toBe('Tollgate <no-reply@localhost>');
    const loaded = await loadConfig({
      TOLLGATE_SMTP_URL: 'smtp://mailer:s3cret@mail.example.com:587',
      TOLLGATE_MAIL_FROM: 'Demo Telecom <billing@example.com>',
      TOLLGATE_SMS_URL: 'https://sms.example.com/v1/messages',
      TOLLGATE_SMS_TOKEN: 'tok-123',
      TOLLGATE_SMS_FROM: 'DemoTel',
    });
    expect(loaded).toMatchObject({
      ok: true,
      config: {
        smtpUrl: 'smtp://mailer:s3cret@mail.example.com:587',
        mailFrom: 'Demo Telecom <billing@example.com>',
        smsUrl: 'https://sms.example.com/v1/messages',
        smsToken: 'tok-123',
        smsFrom: 'DemoTel',
      },
    });
  });

  it('names a bad SMTP URL without printing its password, and wants a token with an SMS URL', async () => {
    const bad = await loadConfig({ TOLLGATE_SMTP_URL: 'http://mailer:hunter2@mail.example.com' });
    const problems = bad.ok ? '' : bad.problems.join('\n');
    expect(problems).toContain('smtpUrl (TOLLGATE_SMTP_URL)');
    expect(problems).not.toContain('hunter2');
    const tokenless = await loadConfig({ TOLLGATE_SMS_URL: 'https://sms.example.com/v1/messages' });
    expect(tokenless.ok ? [] : tokenless.problems).toEqual([
      'smsToken (TOLLGATE_SMS_TOKEN): required when smsUrl is set',
    ]);
  });

  it("takes the portal's public URL from TOLLGATE_PUBLIC_URL, else the server's own address", async () => {
    const set = await loadConfig({ TOLLGATE_PUBLIC_URL: 'https://portal.example.com/tollgate' });
    expect(set.ok && set.config.publicUrl).toBe('https://portal.example.com/tollgate');
    const unset = await loadConfig({ TOLLGATE_HOST: '0.0.0.0', TOLLGATE_PORT: '8080' });
    expect(unset.ok && unset.config.publicUrl).toBe('http://0.0.0.0:8080');
    const ipv6 = await loadConfig({ TOLLGATE_HOST: '::1' });
    expect(ipv6.ok && ipv6.config.publicUrl).toBe('http://[::1]:3000');
    for (const bad of ['portal.example.com', 'https://portal.example.com/?a=1', 'ftp://portal.example.com']) {
      const loaded = await loadConfig({ TOLLGATE_PUBLIC_URL: bad });
      expect(loaded.ok ? [] : loaded.problems.join('\n')).toContain('publicUrl (TOLLGATE_PUBLIC_URL)');
    }
  });

  it('reports a configuration file that cannot be read', async () => {
    const loaded = await loadConfig({ TOLLGATE_CONFIG: '/nonexistent/tollgate.yaml' });
    expect(loaded.ok ? [] : loaded.problems[0]).toContain('TOLLGATE_CONFIG /nonexistent/tollgate.yaml');
  });
});
