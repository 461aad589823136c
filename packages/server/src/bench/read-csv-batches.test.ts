import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsvBatches } from './read-csv-batches.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tollgate-read-csv-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(text: string, chunkBytes: number): Promise<string[][]> {
  const path = join(dir, `file-${chunkBytes}.csv`);
  await writeFile(path, text);
  const records: string[][] = [];
  for await (const batch of readCsvBatches(path, { columns: ['a', 'b', 'c'], chunkBytes })) {
    for (const record of batch) records.push([...record]);
  }
  return records;
}

describe('readCsvBatches', () => {
  const text = 'a,b,c\n1,two,3\r\n\n4,,six\n7,8\n9,10,11,12\nlast,line,unterminated';
  const expected = [
    ['1', 'two', '3'],
    ['4', '', 'six'],
    ['7', '8'],
    ['9', '10', '11', '12'],
    ['last', 'line', 'unterminated'],
  ];

  it.each([1, 2, 3, 7, 64, 1 << 20])(
    'splits lines and fields the same way at every chunk size (%i bytes)',
    async (size) => {
      expect(await readAll(text, size)).toEqual(expected);
    },
  );

  it('refuses a file with another header', async () => {
    await expect(readAll('x,y,z\n1,2,3\n', 1024)).rejects.toThrow(/expected the header a,b,c/);
  });
});
