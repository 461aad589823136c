import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { findDuplicateJsonKey, lineAndColumn } from './json-text.js';
import { loadTariff, readTariffDocument, type TariffSourceIssue } from './load-tariff.js';

const DEMO_TARIFF = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../samples/demo/tariff.yaml',
);

let dir: string;
let demoDocument: unknown;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tollgate-load-tariff-'));
  demoDocument = parseYaml(await readFile(DEMO_TARIFF, 'utf8'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readNative(name: string, text: string) {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return {
    file,
    read: await readTariffDocument({ path: file, format: 'native', currency: 'EUR', timeZone: 'UTC' }),
  };
}

async function expectUnreadable(name: string, text: string): Promise<TariffSourceIssue> {
  const { file, read } = await readNative(name, text);
  if (read.ok) expect.fail(`expected ${name} to be rejected`);
  expect(read.errors).toHaveLength(1);
  const [issue] = read.errors;
  expect(issue).toMatchObject({ file, code: 'unreadable_file' });
  return issue as TariffSourceIssue;
}

describe('readTariffDocument on a native tariff.json', () => {
  it('reads the same document as the YAML reader did, and it compiles', async () => {
    const { read } = await readNative('demo.json', JSON.stringify(demoDocument, null, 2));
    if (!read.ok) expect.fail(JSON.stringify(read.errors));
    expect(read.document).toEqual(demoDocument);
    const loaded = await loadTariff({
      path: path.join(dir, 'demo.json'),
      format: 'native',
      currency: 'EUR',
      timeZone: 'UTC',
    });
    expect(loaded.ok).toBe(true);
  });

  it('finds tariff.json in a folder', async () => {
    const folder = await mkdtemp(path.join(dir, 'folder-'));
    await writeFile(path.join(folder, 'tariff.json'), JSON.stringify(demoDocument));
    const read = await readTariffDocument({
      path: folder,
      format: 'native',
      currency: 'EUR',
      timeZone: 'UTC',
    });
    expect(read.ok && read.document).toEqual(demoDocument);
  });

  it('skips a byte order mark, as the YAML reader did', async () => {
    const { read } = await readNative('bom.json', `\ufeff${JSON.stringify(demoDocument)}`);
    expect(read.ok && read.document).toEqual(demoDocument);
  });

  it('names the line and column of a syntax error', async () => {
    const issue = await expectUnreadable(
      'broken.json',
      '{\n  "format": "tollgate.tariff/v1",\n  "id": "x",,\n}\n',
    );
    expect(issue.line).toBe(3);
    expect(issue.message).toMatch(/ at position 48 \(line 3, column 13\)$/);
  });

  it('points a truncated file at its end', async () => {
    const issue = await expectUnreadable('truncated.json', '{\n  "id": "x",\n  "rates": [\n');
    expect(issue).toMatchObject({ line: 4, message: 'Unexpected end of JSON input (line 4, column 1)' });
  });

  it('keeps V8’s message when it names no position', async () => {
    const issue = await expectUnreadable('token.json', '{"id": x}');
    expect(issue.line).toBeUndefined();
    expect(issue.message).toContain('is not valid JSON');
  });

  it('rejects a key repeated within one object, as the YAML reader did', async () => {
    const issue = await expectUnreadable('duplicate.json', '{\n  "id": "a",\n  "rates": [],\n  "id": "b"\n}');
    expect(issue).toMatchObject({
      line: 4,
      message: 'Map keys must be unique: "id" is repeated at line 4, column 3',
    });
  });

  it('reads YAML-only syntax from .yaml files only', async () => {
    const yaml = 'format: tollgate.tariff/v1 # a comment\nid: x\n';
    const { read } = await readNative('tariff-like.yaml', yaml);
    expect(read.ok && read.document).toEqual({ format: 'tollgate.tariff/v1', id: 'x' });
    await expectUnreadable('tariff-like.json', yaml);
  });

  it('still names the line of a YAML error', async () => {
    const issue = await expectUnreadable('broken.yml', 'id: x\nid: y\n');
    expect(issue.line).toBe(2);
  });
});

describe('findDuplicateJsonKey', () => {
  it.each<[string, unknown]>([
    ['{"a":1,"b":2}', undefined],
    ['{"a":{"a":1},"b":[{"a":1},{"a":2}],"c":"a"}', undefined],
    ['[{"x":1,"y":{"z":[1,{"x":2}]},"x":3}]', { key: 'x', position: 30 }],
    ['{"a\\u0062":1,"ab":2}', { key: 'ab', position: 13 }],
    ['{"a\\"":1,"a\\\\":2,"a":3}', undefined],
    ['{"k":"\\\\","k2":"\\"","k":0}', { key: 'k', position: 20 }],
    ['{"a":[],"b":{},"a":{}}', { key: 'a', position: 15 }],
    ['"a"', undefined],
  ])('in %s finds %j', (json, expected) => {
    expect(findDuplicateJsonKey(json)).toEqual(expected);
  });

  it('agrees with the YAML reader on any JSON value', () => {
    const key = fc.constantFrom('a', 'b', 'a\\', 'a"', '\u00e9', '');
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(0, 1.5, 'a', 'x"y', true, null),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.array(fc.tuple(key, tie('node')), { maxLength: 4 }),
      ),
    })).node;
    // Objects written as key/value pairs, so keys can repeat.
    const write = (node: unknown): string => {
      if (!Array.isArray(node)) return JSON.stringify(node);
      if (node.every((item) => Array.isArray(item) && item.length === 2 && typeof item[0] === 'string')) {
        return `{${(node as [string, unknown][]).map(([k, v]) => `${JSON.stringify(k)}: ${write(v)}`).join(', ')}}`;
      }
      return `[${node.map(write).join(', ')}]`;
    };
    fc.assert(
      fc.property(value, (node) => {
        const json = write(node);
        let yamlRejects = false;
        try {
          parseYaml(json);
        } catch {
          yamlRejects = true;
        }
        expect(findDuplicateJsonKey(json) !== undefined).toBe(yamlRejects);
      }),
      { numRuns: 500 },
    );
  });
});

describe('lineAndColumn', () => {
  it('counts from 1, lines ending at \\n', () => {
    expect(lineAndColumn('abc', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd\n', 4)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn('a\r\nb', 3)).toEqual({ line: 2, column: 1 });
    expect(lineAndColumn('a\n', 2)).toEqual({ line: 2, column: 1 });
  });
});
