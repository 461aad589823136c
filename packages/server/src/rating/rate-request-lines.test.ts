import { PassThrough, Readable } from 'node:stream';
import { compileTariff, type TariffDocument } from '@tollgate/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rateRequestLines } from './rate-request-lines.js';

const DOCUMENT: TariffDocument = {
  format: 'tollgate.tariff/v1',
  id: 'fuzz',
  currency: 'EUR',
  timeZone: 'UTC',
  rounding: { method: 'up', decimals: 4 },
  destinations: [{ id: 'DE', prefixes: ['+49'] }],
  rates: [{ id: 'R', groups: [{ price: '0.1', per: '60s', increment: '1s' }] }],
  ratingPlans: [{ id: 'P', bindings: [{ destination: 'DE', rate: 'R' }] }],
  ratingProfiles: [
    {
      tenant: 't',
      category: 'call',
      subject: '*any',
      activationTime: '2026-01-01T00:00:00Z',
      ratingPlan: 'P',
    },
  ],
};

const compiled = compileTariff(DOCUMENT);
if (!compiled.ok) throw new Error('fixture tariff does not compile');
const tariff = compiled.value;

async function run(
  lines: readonly string[],
): Promise<{ results: Record<string, unknown>[]; summary: unknown }> {
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  const summary = await rateRequestLines(Readable.from([lines.join('\n')]), output, {
    tariff,
    explain: false,
  });
  output.end();
  const results = text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { results, summary };
}

describe('rateRequestLines', () => {
  it('answers every non-blank line, in order, with a cost or an error with a code, whatever the input', async () => {
    const field = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.boolean(),
      fc.double(),
      fc.constant('2026-03-09T10:00:00Z'),
      fc.constant('45s'),
    );
    const request = fc.record(
      {
        id: fc.oneof(fc.string(), fc.integer()),
        tenant: fc.oneof(fc.constant('t'), field),
        category: fc.oneof(fc.constant('call'), field),
        subject: field,
        destination: fc.oneof(fc.constant('+4930123'), field),
        answerTime: field,
        usage: field,
      },
      { requiredKeys: [] },
    );
    const line = fc.oneof(
      request.map((r) => JSON.stringify(r)),
      fc.string({ minLength: 1 }),
      fc.json(),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 20 }), async (lines) => {
        const { results } = await run(lines);
        const expected = lines.filter((l) => l.trim().length > 0).length;
        expect(results).toHaveLength(expected);
        for (const result of results) {
          const ok = typeof result.cost === 'string';
          const error = result.error as { code?: unknown; message?: unknown } | undefined;
          expect(ok || (typeof error?.code === 'string' && typeof error.message === 'string')).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('rates good lines exactly and counts the rest', async () => {
    const good = JSON.stringify({
      id: 'a',
      tenant: 't',
      category: 'call',
      subject: 's',
      destination: '+4930',
      answerTime: '2026-03-09T10:00:00Z',
      usage: '90s',
    });
    const { results, summary } = await run([good, '', 'garbage', good]);
    expect(results.map((r) => r.cost ?? (r.error as { code: string }).code)).toEqual([
      '0.15',
      'invalid_request',
      '0.15',
    ]);
    expect(summary).toEqual({ lines: 4, rated: 2, failed: 1 });
  });
});
