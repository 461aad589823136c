import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/seed/demo-users.js';
import { REPO_ROOT } from './run-cli.js';

const MAIN = resolve(REPO_ROOT, 'packages/server/src/cli/main.ts');

describe('tollgate serve', () => {
  it('migrates, seeds the demo operator and its history once, serves with its key and sign-ins, stops on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tollgate-serve-'));
    const first = await serveOnce(dataDir);
    expect(first.banner).toContain('Demo operator "Demo Telecom"');
    expect(first.banner).toMatch(/Diameter: +Gy\/Ro credit control on 127\.0\.0\.1:\d+/);
    expect(first.banner).toMatch(/payments: +sandbox \(test cards only/);
    expect(first.banner).toMatch(/portal: +http:\/\/127\.0\.0\.1:\d+\/ /);
    expect(first.banner).toMatch(/console: +http:\/\/127\.0\.0\.1:\d+\/console /);
    expect(first.banner).toMatch(
      /its history: +\d+ calls, messages and data sessions since \d{4}-\d{2}-\d{2}/,
    );
    expect(first.banner).toContain(`password "${DEMO_PASSWORD}"`);
    expect(first.banner).toMatch(/customer portal: +anna\.schmidt@example\.com +at http/);
    expect(first.banner).toMatch(/operator console: +admin@demo\.example +at http/);
    expect(first.listed).toMatch(/"items":\[\{/);
    expect(first.signedIn).toBe(201);
    expect(first.exitCode).toBe(0);
    const second = await serveOnce(dataDir);
    expect(second.banner).toContain('Using the existing data');
    expect(second.banner).not.toMatch(/tg_[A-Za-z0-9_-]{43}/);
    expect(second.banner).not.toContain('its history:');
    expect(second.banner).toMatch(/customer portal: +anna\.schmidt@example\.com/);
    expect(second.signedIn).toBe(201);
  }, 120_000);
});

async function serveOnce(
  dataDir: string,
): Promise<{ banner: string; listed: string; signedIn: number; exitCode: number | null }> {
  const child = spawn(
    process.execPath,
    ['--conditions=tollgate-source', '--import', 'tsx', MAIN, 'serve', '--port', '0'],
    {
      cwd: REPO_ROOT,
      // Diameter on a free port: the test must not depend on 3868 being free on this machine.
      env: {
        ...process.env,
        TOLLGATE_DATA_DIR: dataDir,
        TOLLGATE_LOG_LEVEL: 'warn',
        TOLLGATE_DIAMETER_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const address = await new Promise<string>((resolveAddress, reject) => {
    const timer = setInterval(() => {
      const match = /running at (http:\/\/[\d.:]+)/.exec(output);
      if (
        match?.[1] !== undefined &&
        /(API key is shown this once:\n\s+tg_\S+|Using the existing data)/.test(output)
      ) {
        clearInterval(timer);
        resolveAddress(match[1]);
      }
    }, 50);
    child.once('exit', () => {
      clearInterval(timer);
      reject(new Error(`serve exited early:\n${output}`));
    });
  });
  const key = /tg_[A-Za-z0-9_-]{43}/.exec(output)?.[0];
  const listed =
    key === undefined
      ? ''
      : await (
          await fetch(`${address}/v1/customers?limit=1`, { headers: { authorization: `Bearer ${key}` } })
        ).text();
  const signedIn = (
    await fetch(`${address}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'demo', email: 'anna.schmidt@example.com', password: DEMO_PASSWORD }),
    })
  ).status;
  const health = await (await fetch(`${address}/health`)).json();
  expect(health).toEqual({ status: 'ok' });
  const exitCode = await new Promise<number | null>((resolveExit) => {
    child.once('exit', (code) => resolveExit(code));
    child.kill('SIGTERM');
  });
  return { banner: output, listed, signedIn, exitCode };
}
