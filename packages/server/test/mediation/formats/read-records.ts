import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import {
  type ReadSourceOptions,
  readSourceRecords,
} from '../../../src/mediation/formats/read-source-records.js';
import { resolveSourceProfile, type SourceProfile } from '../../../src/mediation/formats/source-profile.js';
import type { SourceRecord, UsageRecord } from '../../../src/mediation/usage-record.js';

export const SAMPLES = join(dirname(fileURLToPath(import.meta.url)), 'samples');

/** A profile from its settings as a client writes them; a test's settings are valid. */
export function profileOf(input: unknown): SourceProfile {
  const resolved = resolveSourceProfile(input);
  if (!resolved.ok) throw new Error(resolved.message);
  return resolved.profile;
}

/** The file's bytes as a stream cut into chunks of the given size (every byte its own chunk with 1). */
export function streamOf(content: string | Buffer, chunkBytes = 65_536): Readable {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += chunkBytes)
    chunks.push(bytes.subarray(start, start + chunkBytes));
  return Readable.from(chunks);
}

export interface ReadResult {
  readonly batches: SourceRecord[][];
  readonly records: SourceRecord[];
}

export async function readRecords(
  content: string | Buffer,
  profile: SourceProfile,
  options: Partial<ReadSourceOptions> & { chunkBytes?: number } = {},
): Promise<ReadResult> {
  const { chunkBytes, ...readOptions } = options;
  const batches: SourceRecord[][] = [];
  for await (const batch of readSourceRecords(streamOf(content, chunkBytes), profile, {
    batchSize: 1000,
    ...readOptions,
  }))
    batches.push(batch);
  return { batches, records: batches.flat() };
}

export async function readSample(
  name: string,
  profile: SourceProfile,
  options: Partial<ReadSourceOptions> = {},
) {
  return readRecords(await readFile(join(SAMPLES, name)), profile, options);
}

/** The usage record of a source record that must be one. */
export function usageOf(record: SourceRecord | undefined): UsageRecord {
  if (record?.outcome.kind !== 'record')
    throw new Error(`not a usage record: ${JSON.stringify(record, replacer)}`);
  return record.outcome.record;
}

/** Outcomes in a compact form for table-like expectations. */
export function outcomeSummary(record: SourceRecord): string {
  const { outcome } = record;
  if (outcome.kind === 'record') return `${record.lineNumber} record`;
  if (outcome.kind === 'skip') return `${record.lineNumber} skip ${outcome.reason}`;
  return `${record.lineNumber} ${outcome.reason}${outcome.field === null ? '' : ` ${outcome.field}`}`;
}

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `${value}n` : value;
}
