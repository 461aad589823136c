import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layering rules of docs/architecture.md, checked on every test run: core is pure (no I/O,
 * no clock, no randomness, no npm dependency but TypeBox) and never imports server; server uses
 * core only through its public entry point.
 */
const ROOT = join(import.meta.dirname, '..');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\('([^']+)'\)/g;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name));
}

async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? '');
}

describe('dependency rules', () => {
  it('core imports only itself and @sinclair/typebox', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles(join(ROOT, 'packages/core/src'))) {
      for (const specifier of await importsOf(file)) {
        const allowed =
          specifier.startsWith('./') ||
          specifier.startsWith('../') ||
          specifier.startsWith('@sinclair/typebox');
        if (!allowed) offenders.push(`${relative(ROOT, file)} imports ${specifier}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('core reads no clock and draws no random numbers', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles(join(ROOT, 'packages/core/src'))) {
      const text = await readFile(file, 'utf8');
      for (const pattern of [
        /Date\.now\(/,
        /new Date\(\)/,
        /Math\.random\(/,
        /performance\.now\(/,
        /process\./,
      ]) {
        if (pattern.test(text)) offenders.push(`${relative(ROOT, file)} uses ${pattern.source}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('server reaches core only through @tollgate/core', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles(join(ROOT, 'packages/server/src'))) {
      for (const specifier of await importsOf(file)) {
        if (specifier.includes('core/src') || specifier.startsWith('@tollgate/core/')) {
          offenders.push(`${relative(ROOT, file)} imports ${specifier}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('server capabilities never import the entry points (cli, bench)', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles(join(ROOT, 'packages/server/src'))) {
      const path = relative(join(ROOT, 'packages/server/src'), file);
      if (path.startsWith('cli/') || path.startsWith('bench/') || !path.includes('/')) continue;
      for (const specifier of await importsOf(file)) {
        if (/(^|\/)(cli|bench)\//.test(specifier))
          offenders.push(`${relative(ROOT, file)} imports ${specifier}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
