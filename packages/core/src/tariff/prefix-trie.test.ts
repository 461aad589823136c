import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PrefixTrie, PrefixTrieBuilder } from './prefix-trie.js';

function matches(trie: PrefixTrie, text: string): string[] {
  const out: number[] = [];
  const count = trie.matches(text, out);
  return out.slice(0, count).map((id) => trie.prefixOf(id));
}

describe('PrefixTrie', () => {
  const builder = new PrefixTrieBuilder();
  for (const prefix of ['49', '+4930', '4930', '491', 'voicemail', 'sip:alice', '1', 'voice-2'])
    builder.insert(prefix);
  const trie = builder.build();

  it.each([
    ['+4930123456', ['4930', '49']],
    ['4930123456', ['4930', '49']],
    ['+4917', ['491', '49']],
    ['49', ['49']],
    ['4', []],
    ['+331', []],
    ['voicemail', ['voicemail']],
    ['voicemail-7', ['voicemail']],
    ['voice', []],
    ['voice-2x', ['voice-2']],
    ['sip:alice@example.com', ['sip:alice']],
    ['1212', ['1']],
    ['', []],
  ])('%s matches %j, longest first', (text, expected) => {
    expect(matches(trie, text)).toEqual(expected);
  });

  it('gives a prefix written with and without + one id', () => {
    expect(builder.insert('+49')).toBe(builder.insert('49'));
    expect(trie.size).toBe(7);
  });

  it('agrees with a brute-force scan for any prefixes and numbers', () => {
    const digits = fc.stringMatching(/^[0-9]{1,8}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(digits, { maxLength: 200 }),
        fc.array(fc.stringMatching(/^\+?[0-9]{0,12}$/)),
        (prefixes, numbers) => {
          const builder = new PrefixTrieBuilder();
          for (const p of prefixes) builder.insert(p);
          const built = builder.build();
          for (const number of numbers) {
            const key = number.replace(/^\+/, '');
            const expected = prefixes.filter((p) => key.startsWith(p)).sort((a, b) => b.length - a.length);
            expect(matches(built, number)).toEqual(expected);
          }
        },
      ),
    );
  });
});
