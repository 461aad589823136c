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

  it('reports a configuration file that cannot be read', async () => {
    const loaded = await loadConfig({ TOLLGATE_CONFIG: '/nonexistent/tollgate.yaml' });
    expect(loaded.ok ? [] : loaded.problems[0]).toContain('TOLLGATE_CONFIG /nonexistent/tollgate.yaml');
  });
});
