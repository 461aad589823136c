import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDataVolume, parseDataVolume } from './data-volume.js';

describe('parseDataVolume', () => {
  it.each([
    ['0', 0],
    ['1500', 1_500],
    ['1500B', 1_500],
    ['1500 B', 1_500],
    ['  2KB  ', 2_000],
    ['1KB', 1_000],
    ['1kB', 1_000],
    ['1KiB', 1_024],
    ['1.5MB', 1_500_000],
    ['1.5 MB', 1_500_000],
    ['1MiB', 1_048_576],
    ['0.5KiB', 512],
    ['1GB', 1_000_000_000],
    ['1GiB', 1_073_741_824],
    ['1TB', 1_000_000_000_000],
    ['1TiB', 1_099_511_627_776],
    ['1PB', 1_000_000_000_000_000],
    ['1PiB', 1_125_899_906_842_624],
    ['0.001KB', 1],
    ['0.0000001TB', 100_000],
    ['9007199254740991B', Number.MAX_SAFE_INTEGER],
  ])('%j is %s bytes', (text, volumeBytes) => {
    expect(parseDataVolume(text)).toEqual({ ok: true, value: volumeBytes });
  });

  it.each([
    ['', 'expected'],
    ['B', 'expected'],
    ['-1KB', 'expected'],
    ['+1KB', 'expected'],
    ['1,5MB', 'expected'],
    ['.5MB', 'expected'],
    ['1e3B', 'expected'],
    ['1  MB', 'expected'],
    ['1M', 'unknown unit "M"'],
    ['1Mb', 'unknown unit "Mb"'],
    ['1mb', 'unknown unit "mb"'],
    ['1kb', 'unknown unit "kb"'],
    ['1kiB', 'unknown unit "kiB"'],
    ['1KIB', 'unknown unit "KIB"'],
    ['1EB', 'unknown unit "EB"'],
    ['1s', 'unknown unit "s"'],
    ['1MB5', 'expected'],
    ['0.0001KB', 'not a whole number of bytes'],
    ['0.3KiB', 'not a whole number of bytes'],
    ['1.5B', 'not a whole number of bytes'],
    ['9007199254740992B', 'too large'],
    ['10PB', 'too large'],
    [`${'1'.repeat(63)}B`, 'too large'],
    [`${'1'.repeat(64)}B`, 'expected'],
  ])('rejects %j (%s)', (text, reason) => {
    const result = parseDataVolume(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_data_volume');
      expect(result.error.message).toContain(`"${text}"`);
      expect(result.error.message).toContain(reason);
    }
  });
});

describe('formatDataVolume', () => {
  it.each<[number, 1000 | 1024, string]>([
    [0, 1000, '0B'],
    [999, 1000, '999B'],
    [1_000, 1000, '1kB'],
    [1_500, 1000, '1.5kB'],
    [1_234_567, 1000, '1234.567kB'],
    [1_500_000, 1000, '1.5MB'],
    [1_000_000_000, 1000, '1GB'],
    [1_250_000_000_000, 1000, '1.25TB'],
    [2_000_000_000_000_000, 1000, '2PB'],
    [1_024, 1000, '1.024kB'],
    [0, 1024, '0B'],
    [1_000, 1024, '1000B'],
    [1_024, 1024, '1KiB'],
    [1_536, 1024, '1.5KiB'],
    [1_025, 1024, '1025B'],
    [1_048_576, 1024, '1MiB'],
    [1_073_741_824, 1024, '1GiB'],
    [1_610_612_736, 1024, '1.5GiB'],
  ])('%s bytes in base %s is %j', (volumeBytes, base, text) => {
    expect(formatDataVolume(volumeBytes, base)).toBe(text);
  });

  it.each([-1, 0.5, Number.NaN, 2 ** 53])('throws on %s', (volumeBytes) => {
    expect(() => formatDataVolume(volumeBytes, 1000)).toThrow(RangeError);
  });

  it('round-trips through parseDataVolume in both bases', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.maxSafeNat(), fc.nat({ max: 10_000_000 })),
        fc.constantFrom<1000 | 1024>(1000, 1024),
        (volumeBytes, base) => {
          expect(parseDataVolume(formatDataVolume(volumeBytes, base))).toEqual({
            ok: true,
            value: volumeBytes,
          });
        },
      ),
    );
  });
});
