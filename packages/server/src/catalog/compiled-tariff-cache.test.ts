import { readFile } from 'node:fs/promises';
import type { TariffDocument } from '@tollgate/core';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CompiledTariffCache } from './compiled-tariff-cache.js';

const demo = parseYaml(
  await readFile(new URL('../../samples/demo/tariff.yaml', import.meta.url), 'utf8'),
) as TariffDocument;

describe('CompiledTariffCache', () => {
  it('compiles a version once, however many ask at the same time', async () => {
    const cache = new CompiledTariffCache(4);
    let loads = 0;
    const load = async () => {
      loads++;
      return demo;
    };
    const [a, b] = await Promise.all([cache.get('v1', load), cache.get('v1', load)]);
    expect(a).toBe(b);
    expect(await cache.get('v1', load)).toBe(a);
    expect(loads).toBe(1);
  });

  it('holds at most its capacity, evicting the least recently used', async () => {
    const cache = new CompiledTariffCache(2);
    const load = async () => demo;
    await cache.get('a', load);
    await cache.get('b', load);
    await cache.get('a', load); // a is now the most recent
    await cache.get('c', load);
    expect([cache.has('a'), cache.has('b'), cache.has('c'), cache.size]).toEqual([true, false, true, 2]);
  });

  it('forgets a failed load, so the next request tries again', async () => {
    const cache = new CompiledTariffCache(2);
    await expect(cache.get('x', async () => Promise.reject(new Error('database down')))).rejects.toThrow(
      'database down',
    );
    expect(cache.has('x')).toBe(false);
    await expect(cache.get('y', async () => ({ ...demo, currency: 'NOPE' }))).rejects.toThrow(
      /no longer compiles/,
    );
    expect(cache.has('y')).toBe(false);
    expect((await cache.get('x', async () => demo)).currency).toBe('EUR');
  });
});
