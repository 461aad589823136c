import { describe, expect, it } from 'vitest';
import type { UnitsScale } from '../../../src/mediation/formats/source-profile.js';
import { MAX_USAGE_UNITS, readUsageUnits } from '../../../src/mediation/formats/usage-quantity.js';

function read(text: string, scale: UnitsScale): string {
  const units = readUsageUnits(text, scale);
  return units.ok ? `${units.value}` : `${units.reason}: ${units.problem}`;
}

describe('readUsageUnits', () => {
  it.each<[string, UnitsScale, string]>([
    ['125', 'seconds', '125'],
    [' 007 ', 'seconds', '7'],
    ['+3', 'messages', '3'],
    // A started second is a used second.
    ['12.001', 'seconds', '13'],
    ['12.000', 'seconds', '12'],
    ['1000', 'milliseconds', '1'],
    ['1001', 'milliseconds', '2'],
    ['1', 'milliseconds', '1'],
    ['0', 'milliseconds', '0'],
    ['999.5', 'milliseconds', '1'],
    ['2000.5', 'milliseconds', '3'],
    ['2048', 'kilobytes', '2048000'],
    ['18446744073709', 'bytes', '18446744073709'],
    ['-0', 'seconds', '0'],
    ['9223372036854775807', 'units', '9223372036854775807'],
  ])('reads %j as %s: %s', (text, scale, expected) => {
    expect(read(text, scale)).toBe(expected);
  });

  it.each<[string, UnitsScale, string]>([
    ['-5', 'seconds', 'negative_usage: is negative'],
    ['-0.5', 'milliseconds', 'negative_usage: is negative'],
    ['1.5', 'bytes', 'invalid_field: is not a whole number of bytes'],
    ['1.5', 'kilobytes', 'invalid_field: is not a whole number of kilobytes'],
    ['2', 'messages', '2'],
    ['1e3', 'bytes', 'invalid_field: is not a number of units'],
    ['', 'bytes', 'invalid_field: is not a number of units'],
    ['twelve', 'seconds', 'invalid_field: is not a number of units'],
    [
      '9223372036854775808',
      'bytes',
      `impossible_usage: is more than ${MAX_USAGE_UNITS} units, the most a record can hold`,
    ],
    [
      '9223372036854776',
      'kilobytes',
      `impossible_usage: is more than ${MAX_USAGE_UNITS} units, the most a record can hold`,
    ],
    [
      '1'.repeat(500),
      'bytes',
      `impossible_usage: is more than ${MAX_USAGE_UNITS} units, the most a record can hold`,
    ],
  ])('rejects %j as %s', (text, scale, expected) => {
    expect(read(text, scale)).toBe(expected);
  });
});
