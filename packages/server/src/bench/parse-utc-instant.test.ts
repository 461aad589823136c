import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../seed/seeded-random.js';
import { parseUtcInstant } from './parse-utc-instant.js';

describe('parseUtcInstant', () => {
  it('reads the fixed shape exactly as Date.parse does, over random instants from 1970 to 2199', () => {
    const random = new SeededRandom(1);
    const endMs = Date.UTC(2200, 0, 1);
    for (let i = 0; i < 20_000; i++) {
      const text = `${new Date(Math.floor((random.next() * endMs) / 1_000) * 1_000).toISOString().slice(0, 19)}Z`;
      expect(parseUtcInstant(text)).toBe(Date.parse(text));
    }
  });

  it.each([
    '2026-03-09T09:00:00.250Z',
    '2026-03-09T10:00:00+01:00',
    '2026-03-09T10:00+0100',
    '2026-03-09t09:00:00z',
  ])('reads other ISO 8601 instants with a zone through Date.parse: %s', (text) => {
    expect(parseUtcInstant(text)).toBe(Date.parse(text));
    expect(parseUtcInstant(text)).not.toBeNaN();
  });

  it.each([
    '2026-02-29T00:00:00Z', // not a leap year
    '2026-02-30T00:00:00.000Z',
    '2026-04-31T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-03-09T24:00:00Z',
    '2026-03-09T23:60:00Z',
    '2026-03-09T23:59:60Z',
    '2026-03-09 09:00:00Z',
    '2026-03-09T09:00:00', // no zone: the instant is unknown
    '2026-03-0xT09:00:00Z',
    '',
    'yesterday',
  ])('rejects %j', (text) => {
    expect(parseUtcInstant(text)).toBeNaN();
  });

  it('accepts the leap day of a leap year', () => {
    expect(parseUtcInstant('2024-02-29T12:00:00Z')).toBe(Date.UTC(2024, 1, 29, 12));
  });
});
