import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompiledTariff } from '@tollgate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTariff, type TariffSource } from '../tariffs/load-tariff.js';
import type { CdrContext } from './cdr-rating-request.js';
import { CDR_COLUMNS, cdrLine, generateCdrs } from './generate-cdrs.js';
import { generateDeck } from './generate-deck.js';
import { rateCdrFile } from './rate-cdr-file.js';
import { RatingWorkerPool, workerResourceLimits } from './rating-worker-pool.js';
import { readLineChunks } from './read-line-chunks.js';
import { writeNativeDeck } from './write-native-deck.js';

const CDRS = 4_000;
const noSample = (): void => {};

let dir: string;
let source: TariffSource;
let context: CdrContext;
let tariff: CompiledTariff;
let cdrFile: string;
let pool: RatingWorkerPool;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tollgate-worker-pool-'));
  const deck = generateDeck({ seed: 7, prefixCount: 2_000 });
  const written = await writeNativeDeck(deck, dir);
  source = { path: written.path, format: 'native', currency: deck.currency, timeZone: deck.timeZone };
  context = { tenant: deck.tenant, category: deck.category };
  const loaded = await loadTariff(source);
  if (!loaded.ok) throw new Error('the generated deck does not load');
  tariff = loaded.tariff;
  const cdrs = generateCdrs({
    seed: 8,
    count: CDRS,
    prefixes: deck.destinations.flatMap((destination) => destination.prefixes),
    monthStartMs: Date.UTC(2026, 2, 1),
    days: 31,
  });
  // Every outcome a record can have, CRLF line ends and blank lines among them, no final line break.
  const broken = [
    'x1,+1,+2',
    'x2,+4477009,+4930,2026-13-01T00:00:00Z,1000',
    'x3,+4477009,+4930,2026-03-01T00:00:00Z,-5',
  ];
  let text = `${CDR_COLUMNS.join(',')}\n`;
  let i = 0;
  for (const cdr of cdrs) {
    text += cdrLine(cdr);
    if (++i % 500 === 0) text += `${broken[(i / 500) % broken.length]}\r\n\n`;
  }
  text += 'last,+4477009,+4930,2026-03-01T12:00:00Z,60000';
  cdrFile = join(dir, 'cdrs.csv');
  await writeFile(cdrFile, text);
  pool = await RatingWorkerPool.start({ source, context, workers: 2 });
}, 60_000);

afterAll(async () => {
  await pool?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('RatingWorkerPool', () => {
  it('starts every worker, each loading the tariff', () => {
    expect(pool.startUp.loadMs).toHaveLength(2);
    expect(pool.startUp.wallMs).toBeGreaterThan(0);
  });

  it.each([64, 4_096, 1 << 20])(
    'writes byte for byte what the one-thread path writes (%i-byte chunks)',
    async (chunkBytes) => {
      const single = await rateCdrFile(tariff, context, cdrFile, join(dir, 'single.csv'), noSample);
      const parallelOutput = join(dir, `parallel-${chunkBytes}.csv`);
      const parallel = await pool.rateFile(cdrFile, parallelOutput, noSample, chunkBytes);
      expect(single.tally.total).toBe(CDRS + 1 + CDRS / 500);
      expect(single.tally.errorsByCode.size).toBeGreaterThan(3);
      expect(parallel.tally.rated).toBe(single.tally.rated);
      expect(parallel.tally.costSumMicros).toBe(single.tally.costSumMicros);
      expect([...parallel.tally.errorsByCode].sort()).toEqual([...single.tally.errorsByCode].sort());
      expect(parallel.outputBytes).toBe(single.outputBytes);
      expect((await readFile(parallelOutput)).equals(await readFile(join(dir, 'single.csv')))).toBe(true);
      if (chunkBytes < 1 << 20) expect(parallel.chunks).toBeGreaterThan(2);
    },
  );

  it('refuses a file with another header, and an empty file, as the one-thread path does', async () => {
    const wrong = join(dir, 'wrong.csv');
    await writeFile(wrong, 'a,b,c\n1,2,3\n');
    const empty = join(dir, 'empty.csv');
    await writeFile(empty, '');
    for (const file of [wrong, empty]) {
      const other = await RatingWorkerPool.start({ source, context, workers: 2 });
      try {
        await expect(other.rateFile(file, join(dir, 'refused.csv'), noSample)).rejects.toThrow(
          /expected the header id,subject/,
        );
      } finally {
        await other.close();
      }
    }
  });
});

describe('readLineChunks', () => {
  const text = 'id,name\r\n1,Zoë\n\n2,日本\n3,🙂,x\nlast,unterminated';

  it.each([1, 2, 3, 7, 64])(
    'cuts a file into whole lines that add up to it (%i-byte reads)',
    async (size) => {
      const path = join(dir, `lines-${size}.csv`);
      await writeFile(path, text);
      const file = await open(path, 'r');
      try {
        const chunks: Buffer[] = [];
        for await (const chunk of readLineChunks(file, path, size)) {
          const bytes = Buffer.from(chunk.buffer, 0, chunk.length);
          expect(bytes.at(-1)).toBe(10);
          chunks.push(Buffer.from(bytes));
        }
        expect(chunks.map((chunk) => chunk.toString('utf8')).join('')).toBe(`${text}\n`);
      } finally {
        await file.close();
      }
    },
  );
});

describe('workerResourceLimits', () => {
  it('gives workers the young generation of --max-semi-space-size', () => {
    expect(workerResourceLimits(['--expose-gc', '--max-semi-space-size=64'])).toEqual({
      maxYoungGenerationSizeMb: 192,
    });
    expect(workerResourceLimits(['--max-semi-space-size', '16'])).toEqual({ maxYoungGenerationSizeMb: 48 });
    expect(workerResourceLimits(['--expose-gc'])).toEqual({});
  });
});
