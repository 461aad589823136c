import { describe, expect, it } from 'vitest';
import { parseMessageCount } from './message-count.js';

describe('parseMessageCount', () => {
  it.each<[string | number, number]>([
    [0, 0],
    [-0, 0],
    [1, 1],
    [160, 160],
    [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    ['0', 0],
    ['1', 1],
    ['007', 7],
    [' 42 ', 42],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('%j is %s', (input, count) => {
    const result = parseMessageCount(input);
    expect(result).toEqual({ ok: true, value: count });
    if (result.ok) expect(Object.is(result.value, -0)).toBe(false);
  });

  it.each<string | number>([
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.MAX_SAFE_INTEGER + 1,
    '',
    '  ',
    '-1',
    '+1',
    '1.0',
    '1e3',
    '0x10',
    '1,000',
    '1 000',
    '12a',
    'Infinity',
    '9007199254740992',
    '99999999999999999',
  ])('rejects %j', (input) => {
    const result = parseMessageCount(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid_count');
  });

  it('names the input in the message', () => {
    const result = parseMessageCount('12a');
    expect(!result.ok && result.error.message).toContain('"12a"');
  });
});
