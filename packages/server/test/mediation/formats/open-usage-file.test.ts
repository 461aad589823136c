import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openUsageFile } from '../../../src/mediation/formats/open-usage-file.js';
import { readSourceRecords } from '../../../src/mediation/formats/read-source-records.js';
import type { SourceRecord } from '../../../src/mediation/usage-record.js';
import { outcomeSummary, profileOf, SAMPLES } from './read-records.js';

const ASTERISK = profileOf({ format: 'asterisk', timeZone: 'Europe/Berlin' });

async function readAll(path: string): Promise<{ records: SourceRecord[]; bytesRead: number }> {
  const file = await openUsageFile(path);
  const records: SourceRecord[] = [];
  for await (const batch of readSourceRecords(file.records, ASTERISK, { batchSize: 2 }))
    records.push(...batch);
  return { records, bytesRead: file.bytesRead() };
}

describe('openUsageFile', () => {
  let work: string;
  let master: Buffer;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tollgate-formats-'));
    master = await readFile(join(SAMPLES, 'asterisk-master.csv'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('reads a plain file as it is', async () => {
    const { records, bytesRead } = await readAll(join(SAMPLES, 'asterisk-master.csv'));
    expect(records.map(outcomeSummary)).toEqual([
      '1 record',
      '2 skip not answered: NO ANSWER',
      '3 skip not answered: BUSY',
      '4 record',
      '5 skip not answered: FAILED',
    ]);
    expect(bytesRead).toBe(master.length);
  });

  it('gunzips a gzip file whatever its name, counting the compressed bytes read', async () => {
    const path = join(work, 'Master.csv.1');
    const compressed = gzipSync(master);
    await writeFile(path, compressed);
    const plain = await readAll(join(SAMPLES, 'asterisk-master.csv'));
    const gzipped = await readAll(path);
    expect(gzipped.records).toEqual(plain.records);
    expect(gzipped.bytesRead).toBe(compressed.length);
  });

  it('reads concatenated gzip members as one file', async () => {
    const path = join(work, 'rotated.csv.gz');
    const lines = master.toString('utf8').split('\n');
    const half = Math.floor(lines.length / 2);
    const first = `${lines.slice(0, half).join('\n')}\n`;
    const second = lines.slice(half).join('\n');
    await writeFile(path, Buffer.concat([gzipSync(first), gzipSync(second)]));
    expect((await readAll(path)).records).toHaveLength(5);
  });

  it('throws the corruption of a gzip file to the reader', async () => {
    const path = join(work, 'broken.csv.gz');
    const compressed = gzipSync(master);
    await writeFile(path, compressed.subarray(0, compressed.length - 20));
    await expect(readAll(path)).rejects.toMatchObject({ code: expect.stringMatching(/^Z_/) });
  });

  it('opens a file of fewer bytes than the gzip magic', async () => {
    const path = join(work, 'tiny.csv');
    await writeFile(path, '\n');
    expect((await readAll(path)).records).toEqual([]);
  });
});
