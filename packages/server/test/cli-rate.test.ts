import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CGRATES_CONFORMANCE, CONFORMANCE_SKIP_REASON, HAS_CONFORMANCE, runCli } from './run-cli.js';

const TUTORIAL = join(CGRATES_CONFORMANCE, 'tutorial');
const TUTORIAL2 = join(CGRATES_CONFORMANCE, 'tutorial2');
const cgrates = (dir: string) => ['--tariff-dir', dir, '--tariff-format', 'cgrates'];
const rateCgrates = (dir: string) => ['rate', ...cgrates(dir)];

function jsonl(requests: readonly object[]): string {
  return `${requests.map((r) => JSON.stringify(r)).join('\n')}\n`;
}

function parseLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const at = '2019-03-11T09:00:00Z';
const base = { tenant: 'cgrates.org', category: 'call', subject: '1001', answerTime: at };

describe.skipIf(!HAS_CONFORMANCE)(
  `CGRateS tutorial2 public cases ${HAS_CONFORMANCE ? '' : CONFORMANCE_SKIP_REASON}`,
  () => {
    it('rates the four public examples exactly, in order, one error line included', async () => {
      const requests = [
        { id: 'a', ...base, destination: '1002', usage: '45s' },
        { id: 'b', ...base, destination: '1003', usage: '45s' },
        { id: 'c', ...base, category: 'data', destination: '', usage: 2048 },
        { id: 'd', ...base, destination: '4003', usage: '1m' },
      ];
      const run = await runCli([...rateCgrates(TUTORIAL2), '--requests', '-'], jsonl(requests));
      const results = parseLines(run.stdout);
      expect(results.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
      expect(results.slice(0, 3).map((r) => r.cost)).toEqual(['0.55', '1.4', '2']);
      expect(results[3]).toMatchObject({ id: 'd', error: { code: 'no_rate_for_destination' } });
      expect(run.code).toBe(4);
    });

    it.each([
      [
        'peak on a weekday morning',
        { destination: '1003', answerTime: '2019-03-11T09:00:00Z', usage: '2m' },
        '2.6',
      ],
      ['off-peak evening', { destination: '1003', answerTime: '2019-03-11T20:00:00Z', usage: '2m' }, '1.3'],
      [
        'weekend (Sunday as 7)',
        { destination: '1003', answerTime: '2019-03-10T12:00:00Z', usage: '10s' },
        '0.2',
      ],
      [
        'NEW_YEAR beats DST_2030 by weight',
        { destination: '2012', answerTime: '2020-01-01T12:00:00Z', usage: '10s' },
        '0.2',
      ],
      [
        'DST_2030 on other days',
        { destination: '2012', answerTime: '2020-01-02T12:00:00Z', usage: '10s' },
        '1.4',
      ],
      ['voicemail is free', { destination: 'voicemail', answerTime: at, usage: '3m' }, '0'],
      [
        'connect fee only',
        { subject: 'RPF_SPECIAL_BLC', destination: '1003', answerTime: at, usage: '5m' },
        '0.1',
      ],
      ['per message SMS', { category: 'sms', destination: '1002', answerTime: at, usage: 3 }, '0.3'],
      [
        'per message SMS by longest prefix',
        { category: 'sms', destination: '1099', answerTime: at, usage: 1 },
        '0.2',
      ],
      [
        'reseller flat fee',
        { category: 'reseller1', destination: '4003', answerTime: at, usage: '1h' },
        '0.1',
      ],
    ])('%s', async (_name, request, expected) => {
      const run = await runCli(
        [...rateCgrates(TUTORIAL2), '--requests', '-'],
        jsonl([{ id: 'x', ...base, ...request }]),
      );
      expect(parseLines(run.stdout)[0]).toMatchObject({ id: 'x', cost: expected });
    });

    it('splits a call across the evening boundary between the PEAK and OFFPEAK_EVENING rates', async () => {
      const request = {
        id: 'x',
        ...base,
        destination: '1003',
        answerTime: '2019-03-11T18:59:00Z',
        usage: '2m',
      };
      const run = await runCli([...rateCgrates(TUTORIAL2), '--explain', '--requests', '-'], jsonl([request]));
      const [result] = parseLines(run.stdout) as [
        { cost: string; explanation: { spans: { timeBand: string; rate: string }[] } },
      ];
      // 0.2 connect + 1.2 for the first minute at peak, then 60 s at 0.01/s off-peak.
      expect(result.cost).toBe('2');
      expect(result.explanation.spans.map((s) => [s.timeBand, s.rate])).toEqual([
        ['PEAK', 'RT_120C'],
        ['OFFPEAK_EVENING', 'RT_60C'],
      ]);
    });
  },
);

describe.skipIf(!HAS_CONFORMANCE)(
  `CGRateS tutorial cases ${HAS_CONFORMANCE ? '' : CONFORMANCE_SKIP_REASON}`,
  () => {
    it.each([
      [{ destination: '1002', usage: '2m' }, '0.7'], // CGRateS's float arithmetic says 0.7002
      [{ destination: '1002', usage: '45s' }, '0.6'],
      [{ destination: '1002', usage: '61s' }, '0.6017'],
      [{ destination: '1003', usage: '10s' }, '0.1'],
      [{ destination: '1003', usage: '20s' }, '0.2'], // *disconnect does not cap offline cost
      [{ subject: '1002', destination: '1001', usage: '90s' }, '0.65'],
      [{ subject: '1003', destination: '1001', usage: '90s' }, '0.325'],
      [{ destination: '1001', usage: '1m', answerTime: '2012-01-01T00:00:00Z' }, '0.6'], // the 2010 activation
      [{ category: 'sms', subject: 'anyone', destination: '+491234', usage: 2 }, '0.02'],
    ])('%j costs %s', async (request, expected) => {
      const line = { id: 'x', ...base, answerTime: '2014-06-01T10:00:00Z', ...request };
      const run = await runCli([...rateCgrates(TUTORIAL), '--requests', '-'], jsonl([line]));
      expect(parseLines(run.stdout)[0]).toMatchObject({ cost: expected });
    });

    it('flags the *disconnect max cost in the explanation without capping', async () => {
      const line = {
        id: 'x',
        ...base,
        answerTime: '2014-06-01T10:00:00Z',
        destination: '1003',
        usage: '20s',
      };
      const run = await runCli([...rateCgrates(TUTORIAL), '--explain', '--requests', '-'], jsonl([line]));
      expect(parseLines(run.stdout)[0]).toMatchObject({
        cost: '0.2',
        explanation: { maxCost: { amount: '0.12', strategy: 'disconnect', reached: true } },
      });
    });
  },
);

describe('batch input errors', () => {
  it('answers every line, naming the line and field of bad ones, and keeps going', async () => {
    const input = [
      JSON.stringify({
        id: 1,
        tenant: 'demo',
        category: 'call',
        subject: 'a',
        destination: '+4930555',
        answerTime: '2026-03-09T10:00:00Z',
        usage: '1m',
        extra: true,
      }),
      '{not json',
      JSON.stringify({
        id: 3,
        tenant: 'demo',
        category: 'call',
        subject: 'a',
        destination: '+4930555',
        answerTime: 'yesterday',
        usage: '1m',
      }),
      JSON.stringify({
        id: 4,
        tenant: 'demo',
        category: 'call',
        subject: 'a',
        destination: '+4930555',
        answerTime: '2026-03-09T10:00:00Z',
        usage: '-5s',
      }),
      JSON.stringify([1, 2]),
      JSON.stringify({
        id: 6,
        category: 'call',
        subject: 'a',
        destination: '+4930555',
        answerTime: '2026-03-09T10:00:00Z',
        usage: '1m',
      }),
      JSON.stringify({
        id: 7,
        tenant: 'demo',
        category: 'call',
        subject: 'a',
        destination: '+4930555',
        answerTime: '2026-03-09T10:00:00+01:00',
        usage: 'PT1M',
      }),
    ].join('\n');
    const run = await runCli(
      ['rate', '--tariff-dir', 'packages/server/samples/demo', '--requests', '-'],
      input,
    );
    const results = parseLines(run.stdout);
    expect(results).toHaveLength(7);
    expect(results[0]).toMatchObject({ id: 1, cost: '0.07', currency: 'EUR' });
    expect(results[1]).toMatchObject({ id: null, line: 2, error: { code: 'invalid_request' } });
    expect(results[2]).toMatchObject({
      id: 3,
      line: 3,
      error: { message: expect.stringContaining('"answerTime"') },
    });
    expect(results[3]).toMatchObject({
      id: 4,
      line: 4,
      error: { message: expect.stringContaining('"usage"') },
    });
    expect(results[4]).toMatchObject({ id: null, line: 5 });
    expect(results[5]).toMatchObject({ id: 6, error: { message: expect.stringContaining('"tenant"') } });
    expect(results[6]).toMatchObject({ id: 7, cost: '0.07' });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('rated 2, not rated 5');
  });
});

describe('single requests and tariff commands', () => {
  it('prints the cost and its explanation for one request given by flags', async () => {
    const run = await runCli([
      'rate',
      '--tariff-dir',
      'packages/server/samples/demo',
      '--tenant',
      'demo',
      '--category',
      'call',
      '--subject',
      '+4930111',
      '--destination',
      '+4930555123',
      '--answer-time',
      '2026-03-09T09:15:00+01:00',
      '--usage',
      '2m10s',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('cost: 0.1283 EUR');
    expect(run.stdout).toContain('PEAK, rate LOCAL_PEAK group 1');
  });

  it('exits 2 and names the flag when a request flag is wrong', async () => {
    const run = await runCli([
      'rate',
      '--tariff-dir',
      'packages/server/samples/demo',
      '--tenant',
      'demo',
      '--category',
      'call',
      '--subject',
      'a',
      '--answer-time',
      'now',
      '--usage',
      '1m',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--answer-time');
  });

  it('exits 2 on an unknown command', async () => {
    expect((await runCli(['frobnicate'])).code).toBe(2);
  });

  it('validates the demo tariff', async () => {
    const run = await runCli(['tariff', 'validate', '--tariff-dir', 'packages/server/samples/demo']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^valid: tariff demo-retail-2026/);
  });

  it('rejects a broken native tariff whole, naming each problem', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tollgate-test-'));
    const file = join(dir, 'tariff.yaml');
    await writeFile(
      file,
      [
        'format: tollgate.tariff/v1',
        'id: broken',
        'currency: EUR',
        'timeZone: Mars/Olympus',
        'rounding: { method: up, decimals: 4 }',
        'destinations: [{ id: D, prefixes: ["49"] }]',
        'rates: [{ id: R, groups: [{ price: "0.1", per: 60s, increment: 0s }] }]',
        'ratingPlans: [{ id: P, bindings: [{ destination: D, rate: MISSING }] }]',
        'ratingProfiles: [{ tenant: t, category: call, subject: "*any", activationTime: "2026-01-01T00:00:00Z", ratingPlan: P }]',
      ].join('\n'),
    );
    const run = await runCli(['tariff', 'validate', '--tariff-dir', file]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('timeZone: unknown_time_zone');
    expect(run.stderr).toContain('rates[0].groups[0].increment: invalid_increment');
    expect(run.stderr).toContain('ratingPlans[0].bindings[0].rate: unknown_reference');
  });

  it.skipIf(!HAS_CONFORMANCE)('imports a CGRateS plan to a native file that rates the same', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tollgate-test-'));
    const out = join(dir, 'tariff.yaml');
    const imported = await runCli(['tariff', 'import', ...cgrates(TUTORIAL2), '--out', out]);
    expect(imported.code).toBe(0);
    const request = { id: 'b', ...base, destination: '1003', usage: '45s' };
    const run = await runCli(['rate', '--tariff-dir', dir, '--requests', '-'], jsonl([request]));
    expect(parseLines(run.stdout)[0]).toMatchObject({ cost: '1.4' });
  });
});
