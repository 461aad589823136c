import { describe, expect, it } from 'vitest';
import { bareArrayLiteral, textArrayLiteral } from './array-literal.js';

describe('array literals', () => {
  it('writes bare elements and NULLs', () => {
    expect(bareArrayLiteral([1n, null, 3, '4'])).toBe('{1,NULL,3,4}');
    expect(bareArrayLiteral([])).toBe('{}');
  });

  it('quotes text and escapes quotes and backslashes', () => {
    expect(textArrayLiteral(['a', 'b,c', 'say "hi"', 'back\\slash', null, '', 'NULL', '{x}'])).toBe(
      '{"a","b,c","say \\"hi\\"","back\\\\slash",NULL,"","NULL","{x}"}',
    );
  });
});
