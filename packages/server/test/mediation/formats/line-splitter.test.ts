import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter, type PhysicalLine } from '../../../src/mediation/formats/line-splitter.js';

function split(bytes: Buffer, maxLineBytes: number, cuts: readonly number[]): PhysicalLine[] {
  const splitter = new LineSplitter(maxLineBytes);
  const lines: PhysicalLine[] = [];
  let start = 0;
  for (const cut of [...cuts].sort((a, b) => a - b).filter((at) => at > 0 && at < bytes.length)) {
    splitter.push(bytes.subarray(start, cut));
    start = cut;
    for (let line = splitter.next(); line !== null; line = splitter.next()) lines.push(line);
  }
  splitter.push(bytes.subarray(start));
  for (let line = splitter.next(); line !== null; line = splitter.next()) lines.push(line);
  splitter.end();
  for (let line = splitter.next(); line !== null; line = splitter.next()) lines.push(line);
  return lines;
}

describe('LineSplitter', () => {
  it('splits at LF and CRLF, keeps a lone CR, and ends a last line without a break', () => {
    const lines = split(Buffer.from('\uFEFFa\r\nb\rc\n\nd\r'), 100, []);
    expect(lines.map(({ lineNumber, text, lineBreak }) => [lineNumber, text, lineBreak])).toEqual([
      [1, 'a', '\r\n'],
      [2, 'b\rc', '\n'],
      [3, '', '\n'],
      [4, 'd', '\r'],
    ]);
  });

  it('keeps a line of exactly the limit whole, even when its CR and LF arrive in other chunks', () => {
    const bytes = Buffer.from(`${'x'.repeat(8)}\r\nnext`);
    for (const cut of [7, 8, 9]) {
      const [first] = split(bytes, 8, [cut]);
      expect(first).toEqual({
        lineNumber: 1,
        text: 'x'.repeat(8),
        byteLength: 8,
        tooLarge: false,
        lineBreak: '\r\n',
      });
    }
  });

  it('cuts lines into the same lines whatever the chunks', () => {
    const unit = fc.constantFrom('a', ',', '"', ' ', '\r', '\n', 'é', '€', '𝄞', '\uFEFF');
    fc.assert(
      fc.property(
        fc.string({ unit, maxLength: 80 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.nat(100), { maxLength: 8 }),
        (text, maxLineBytes, cuts) => {
          const bytes = Buffer.from(text, 'utf8');
          const lines = split(bytes, maxLineBytes, cuts);
          expect(split(bytes, maxLineBytes, [])).toEqual(lines);
          const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
          const expected = body === '' ? [] : body.split('\n');
          if (body.endsWith('\n')) expected.pop();
          expect(lines).toHaveLength(expected.length);
          for (const [index, line] of lines.entries()) {
            const whole = expected[index]!.replace(/\r$/, '');
            expect(line.lineNumber).toBe(index + 1);
            expect(line.byteLength).toBe(Buffer.byteLength(whole));
            expect(line.tooLarge).toBe(line.byteLength > maxLineBytes);
            if (!line.tooLarge) expect(line.text).toBe(whole);
            else {
              // Cut at the limit, never inside a character.
              expect(whole.startsWith(line.text)).toBe(true);
              expect(Buffer.byteLength(line.text)).toBeLessThanOrEqual(maxLineBytes);
              expect(Buffer.byteLength(line.text)).toBeGreaterThan(maxLineBytes - 4);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
