import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readSourceRecords } from '../../../src/mediation/formats/read-source-records.js';
import type { SourceRecord } from '../../../src/mediation/usage-record.js';
import { outcomeSummary, profileOf, readRecords, usageOf } from './read-records.js';

const CSV = profileOf({
  format: 'csv',
  csv: { header: true, columns: { recordId: 'id', subscriber: 'msisdn', startedAt: 'at', units: 'seconds' } },
});
const HEADER = 'id,msisdn,at,seconds\n';

function row(id: number, seconds = 60): string {
  return `r${id},+4930111111,2026-03-28T09:15:09Z,${seconds}\n`;
}

function rows(count: number): string {
  return Array.from({ length: count }, (_, index) => row(index + 1)).join('');
}

describe('readSourceRecords', () => {
  it('reads the good records around malformed ones and goes on', async () => {
    const text = [
      HEADER,
      row(1),
      'r2,+4930111111,2026-03-28T09:15:09Z\n', // a column short
      'r3,"+4930111111"x,2026-03-28T09:15:09Z,60\n', // text after a closing quote
      row(4),
      'r5,+4930111111,2026-03-28T09:15:09Z,60,extra\n',
      row(6),
    ].join('');
    const { records } = await readRecords(text, CSV);
    expect(records.map(outcomeSummary)).toEqual([
      '2 record',
      '3 malformed_record',
      '4 malformed_record',
      '5 record',
      '6 malformed_record',
      '7 record',
    ]);
    expect(records[1]!.raw).toBe('r2,+4930111111,2026-03-28T09:15:09Z');
    expect(records[2]!.outcome).toMatchObject({
      message: 'field 2: its closing quote is followed by "x", not the delimiter ","',
    });
  });

  it('rejects only the line of a quote that never closes, and reads the lines after it', async () => {
    const text = `${HEADER}${row(1)}r2,"+4930111111,2026-03-28T09:15:09Z,60\n${row(3)}${row(4)}${row(5)}`;
    const { records } = await readRecords(text, CSV);
    expect(records.map(outcomeSummary)).toEqual([
      '2 record',
      '3 malformed_record',
      '4 record',
      '5 record',
      '6 record',
    ]);
    expect(records[1]!.outcome).toMatchObject({
      message: 'the file ends inside a quoted field that opens on this line',
    });
  });

  it('takes a quote that spans lines into a wrong field count for a broken one', async () => {
    const text = `${HEADER}r1,"+4930111111,2026-03-28T09:15:09Z,60\nr2",+4930111111,2026-03-28T09:15:09Z,60\n${row(3)}`;
    const { records } = await readRecords(text, CSV);
    expect(records.map(outcomeSummary)).toEqual(['2 malformed_record', '3 record', '4 record']);
    expect(records[0]!.outcome).toMatchObject({
      message:
        "a quoted field that opens on this line runs on to line 3, giving 5 fields where the format has 4 (the header's)",
    });
  });

  it('stops a runaway quote at the size limit', async () => {
    const profile = profileOf({ ...CSV, maxRecordBytes: 256 });
    const text = `${HEADER}r1,"+4930111111,2026-03-28T09:15:09Z,60\n${rows(20)}`;
    const { records } = await readRecords(text, profile);
    expect(records).toHaveLength(21);
    expect(records[0]!.outcome).toMatchObject({
      reason: 'malformed_record',
      message: 'a quoted field that opens on this line runs on past 256 bytes without closing',
    });
    expect(records.slice(1).every((record) => record.outcome.kind === 'record')).toBe(true);
  });

  it('drops a byte-order mark, reads CRLF and LF, ignores blank lines', async () => {
    const text = `\uFEFF${HEADER.replace('\n', '\r\n')}${row(1).replace('\n', '\r\n')}\r\n   \n${row(2)}\n`;
    const { records } = await readRecords(text, CSV);
    expect(records.map(outcomeSummary)).toEqual(['2 record', '5 record']);
    expect(records.map((record) => usageOf(record).recordId)).toEqual(['r1', 'r2']);
    expect(records[0]!.raw).toBe('r1,+4930111111,2026-03-28T09:15:09Z,60');
  });

  it('reads the same records whatever the chunks, down to one byte', async () => {
    const text = `\uFEFF${HEADER}${row(1)}r2,"+4930 ""x""\r\nnext",2026-03-28T09:15:09Z,7\r\n\n${row(3)}é,"unclosed\n${row(4)}`;
    const whole = await readRecords(text, CSV);
    for (const chunkBytes of [1, 2, 3, 5, 17])
      expect(await readRecords(text, CSV, { chunkBytes })).toEqual(whole);
    expect(whole.records.map(outcomeSummary)).toEqual([
      '2 record',
      '3 record',
      '6 record',
      '7 malformed_record',
      '8 record',
    ]);
  });

  it('gives nothing for an empty file, a blank one, or a header alone', async () => {
    for (const text of ['', '\uFEFF', '\n\n', HEADER])
      expect((await readRecords(text, CSV)).batches).toEqual([]);
  });

  it('rejects a record over the size limit, keeping its first bytes, and goes on', async () => {
    const profile = profileOf({ ...CSV, maxRecordBytes: 256 });
    // A multi-byte character across the limit: the kept text does not end in half of it.
    const huge = `r2,+4930111111,2026-03-28T09:15:09Z,${'9'.repeat(220)}€€€€€€€€€\n`;
    const { records } = await readRecords(`${HEADER}${row(1)}${huge}${row(3)}`, profile, { chunkBytes: 7 });
    expect(records.map(outcomeSummary)).toEqual(['2 record', '3 record_too_large', '4 record']);
    const raw = records[1]!.raw;
    expect(Buffer.byteLength(raw)).toBeLessThanOrEqual(256);
    expect(huge.startsWith(raw)).toBe(true);
    expect(records[1]!.outcome).toMatchObject({
      message: `the record has ${Buffer.byteLength(huge) - 1} bytes, more than the source's limit of 256; its raw text is cut to the first 256 bytes`,
    });
  });

  it('gives batches of the size asked for, in file order', async () => {
    const { batches } = await readRecords(HEADER + rows(25), CSV, { batchSize: 10 });
    expect(batches.map((batch) => batch.length)).toEqual([10, 10, 5]);
    expect(batches.flat().map((record) => record.lineNumber)).toEqual(
      Array.from({ length: 25 }, (_, index) => index + 2),
    );
  });

  it('resumes after a line without giving out what came before', async () => {
    const text = `${HEADER}${row(1)}r2,"a\nb",2026-03-28T09:15:09Z,1\nbroken"\n${row(4)}${row(5)}`;
    const all = await readRecords(text, CSV);
    expect(all.records.map(outcomeSummary)).toEqual([
      '2 record',
      '3 record',
      '5 malformed_record',
      '6 record',
      '7 record',
    ]);
    for (const afterLine of [0, 1, 2, 3, 4, 5, 6, 7])
      expect((await readRecords(text, CSV, { afterLine })).records).toEqual(
        all.records.filter((record) => record.lineNumber > afterLine),
      );
  });

  it('reads no further than the consumer asks', async () => {
    let chunksRead = 0;
    const lines = rows(1000);
    const chunks = function* () {
      yield Buffer.from(HEADER);
      for (let start = 0; start < lines.length; start += 1000) {
        chunksRead++;
        yield Buffer.from(lines.slice(start, start + 1000));
      }
    };
    const input = Readable.from(chunks(), { highWaterMark: 1 });
    const batches = readSourceRecords(input, CSV, { batchSize: 5 });
    const first = await batches.next();
    expect((first.value as SourceRecord[]).length).toBe(5);
    // Only what the stream's small buffer holds was read, not the file's 52 chunks.
    expect(chunksRead).toBeLessThan(5);
    await batches.return(undefined);
    expect(input.destroyed).toBe(true);
  });

  it('refuses a batch size that is not one', async () => {
    await expect(readSourceRecords(Readable.from([]), CSV, { batchSize: 0 }).next()).rejects.toThrow(
      RangeError,
    );
  });
});
