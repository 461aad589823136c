import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SourceProfile } from '../../../src/mediation/formats/source-profile.js';
import { usageEventOutcome } from '../../../src/mediation/formats/usage-event.js';
import type { RecordOutcome, RejectReason, SourceRecord } from '../../../src/mediation/usage-record.js';
import { profileOf, readRecords } from './read-records.js';

const REJECT_REASONS: readonly RejectReason[] = [
  'malformed_record',
  'record_too_large',
  'missing_field',
  'invalid_field',
  'negative_usage',
  'impossible_usage',
];
const MAX_RECORD_BYTES = 256;

const GOOD_LINES = {
  asterisk: [
    '"","1001","4930123456","from-internal","""Alice"" <1001>","SIP/1001-01","SIP/trunk-02","Dial","SIP/trunk/4930123456,60","2026-03-28 09:15:02","2026-03-28 09:15:09","2026-03-28 09:17:14",132,125,"ANSWERED","DOCUMENTATION","1711617302.12","vip"',
    '"","1002","4989555000","from-internal","""Bob"" <1002>","SIP/1002-03","","Dial","SIP/trunk/4989555000,60","2026-03-28 09:20:00",,"2026-03-28 09:20:30",30,0,"NO ANSWER","DOCUMENTATION"',
  ],
  freeswitch: [
    '"Alice","1001","4930123456","default","2026-03-28 09:15:02","2026-03-28 09:15:09","2026-03-28 09:17:14","132","125","NORMAL_CLEARING","a5c9f6c0-e752","b6d0a7d1-e752","1001","PCMA","PCMA"',
    '"Bob","1002","4989555000","default","2026-03-28 09:20:00","","2026-03-28 09:20:30","30","0","NO_ANSWER","c7e1b8e2-e752","","1002","PCMA","PCMA"',
  ],
  csv: [
    'c-1,+4930111111,"+4930 222, ext 2",call,2026-03-28T09:15:09+01:00,125,s-1',
    'c-2,+4930111111,,sms,2026-03-28 09:16:00,1,',
  ],
  csvWithHeader: ['c-3;+4930111111;call;1774689309000;60000', 'c-4;"+4930;111111";data;1774689309000;"1"'],
  jsonl: [
    '{"id":"ev-1","subscriber":"+4930111111","service":"call","startedAt":"2026-03-28T09:15:09Z","units":125}',
    '{"id":"ev-2","subscriber":{"kind":"imsi","value":"262011234567890"},"service":"data","startedAt":"2026-03-28T10:00:00","units":"18446744073709"}',
  ],
} as const;

const PROFILES: Readonly<Record<keyof typeof GOOD_LINES, SourceProfile>> = {
  asterisk: profileOf({ format: 'asterisk', timeZone: 'Europe/Berlin', maxRecordBytes: MAX_RECORD_BYTES }),
  freeswitch: profileOf({
    format: 'freeswitch',
    timeZone: 'America/New_York',
    maxRecordBytes: MAX_RECORD_BYTES,
  }),
  csv: profileOf({
    format: 'csv',
    timeZone: 'Europe/Berlin',
    maxRecordBytes: MAX_RECORD_BYTES,
    csv: {
      columns: {
        recordId: 1,
        subscriber: 2,
        destination: 3,
        service: 4,
        startedAt: 5,
        units: 6,
        chargingSession: 7,
      },
    },
  }),
  csvWithHeader: profileOf({
    format: 'csv',
    maxRecordBytes: MAX_RECORD_BYTES,
    csv: {
      delimiter: ';',
      header: true,
      columns: { recordId: 'id', subscriber: 'msisdn', service: 'service', startedAt: 'at', units: 5 },
      timeFormat: 'epoch_milliseconds',
    },
  }),
  jsonl: profileOf({ format: 'jsonl', maxRecordBytes: MAX_RECORD_BYTES }),
};
/** The first line of a file of a format with a header; it is not a record. */
const HEADERS: Partial<Record<keyof typeof GOOD_LINES, string>> = {
  csvWithHeader: 'id;msisdn;service;at;used\r\n',
};

/** Characters that matter to the readers: quotes, delimiters, line ends, blanks, a BOM, multi-byte text. */
const TRICKY = fc.constantFrom(
  '"',
  ',',
  ';',
  '\r',
  '\n',
  ' ',
  '\t',
  '\uFEFF',
  'é',
  '€',
  '𝄞',
  '{',
  '}',
  ':',
  '-',
  '.',
  '0',
  '9',
);
const trickyText = fc.string({
  unit: fc.oneof(TRICKY, fc.string({ minLength: 1, maxLength: 1 })),
  maxLength: 60,
});

const FIELD_VALUES = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1.5',
    '99999999999999999999',
    '2026-03-28 09:15:09',
    '2026-13-40 25:61:61',
    'ANSWERED',
  ),
  fc.constantFrom('NO ANSWER', 'call', 'sms', 'VOICE', '+4930111111', 'x'.repeat(300), '2026-03-29 02:30:00'),
  trickyText,
);

/** A line of random fields, each maybe quoted (and its quotes maybe doubled), joined by a delimiter. */
const fieldLine = fc
  .tuple(fc.array(fc.tuple(FIELD_VALUES, fc.boolean()), { maxLength: 22 }), fc.constantFrom(',', ';'))
  .map(([fields, delimiter]) =>
    fields.map(([value, quoted]) => (quoted ? `"${value.replaceAll('"', '""')}"` : value)).join(delimiter),
  );

/** A good line of the format with a few characters deleted, inserted or replaced. */
function mutatedLine(format: keyof typeof GOOD_LINES) {
  const edit = fc.tuple(fc.nat(), fc.constantFrom('delete', 'insert', 'replace'), TRICKY);
  return fc
    .tuple(fc.constantFrom(...GOOD_LINES[format]), fc.array(edit, { minLength: 1, maxLength: 4 }))
    .map(([line, edits]) => {
      let text = line;
      for (const [at, kind, character] of edits) {
        const index = at % (text.length + 1);
        const keep = kind === 'insert' ? index : index + 1;
        text = text.slice(0, index) + (kind === 'delete' ? '' : character) + text.slice(keep);
      }
      return text;
    });
}

function fileOf(format: keyof typeof GOOD_LINES) {
  const line = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...GOOD_LINES[format]) },
    { weight: 3, arbitrary: mutatedLine(format) },
    { weight: 2, arbitrary: fieldLine },
    { weight: 2, arbitrary: trickyText },
    { weight: 1, arbitrary: format === 'jsonl' ? fc.json({ maxDepth: 2 }) : fc.constant('') },
  );
  return fc
    .tuple(
      fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n')), { maxLength: 25 }),
      fc.boolean(),
      fc.boolean(),
    )
    .map(([lines, bom, finalBreak]) => {
      const text = lines.map(([content, lineBreak]) => content + lineBreak).join('');
      const file =
        (bom ? '\uFEFF' : '') + (HEADERS[format] ?? '') + (finalBreak ? text : text.replace(/\r?\n$/, ''));
      // As a file holds it: a lone surrogate (half an edited 𝄞) is no UTF-8, it reads as U+FFFD.
      return Buffer.from(file, 'utf8').toString('utf8');
    });
}

/** The file's lines as the readers number them: after a BOM, split at LF, a CR before it is part of the break. */
function linesOf(text: string): { text: string; lineBreak: string }[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body === '') return [];
  const parts = body.split('\n');
  if (body.endsWith('\n')) parts.pop();
  return parts.map((part, index) => {
    const hasCr = part.endsWith('\r');
    const lineBreak =
      index < parts.length - 1 || body.endsWith('\n') ? (hasCr ? '\r\n' : '\n') : hasCr ? '\r' : '';
    return { text: hasCr ? part.slice(0, -1) : part, lineBreak };
  });
}

function checkOutcome(outcome: RecordOutcome): void {
  if (outcome.kind === 'skip') expect(outcome.reason).not.toBe('');
  else if (outcome.kind === 'reject') {
    expect(REJECT_REASONS).toContain(outcome.reason);
    expect(outcome.message.length).toBeGreaterThan(0);
    expect(outcome.message.length).toBeLessThanOrEqual(2000);
  } else {
    const { record } = outcome;
    expect(record.units).toBeGreaterThanOrEqual(0n);
    expect(Number.isSafeInteger(record.startedAtMs)).toBe(true);
    expect(record.subscriber.value).not.toBe('');
  }
}

/**
 * Every line of the file belongs to exactly one record (a record spans the lines its raw text
 * holds breaks for), or is blank; records come in file order.
 */
function checkCoverage(text: string, records: readonly SourceRecord[], hasHeader: boolean): void {
  const lines = linesOf(text);
  const owner = new Array<number>(lines.length + 1).fill(0);
  if (hasHeader) owner[1] = -1;
  let previous = 0;
  for (const [index, record] of records.entries()) {
    expect(record.lineNumber).toBeGreaterThan(previous);
    const last = record.lineNumber + (record.raw.match(/\n/g)?.length ?? 0);
    for (let line = record.lineNumber; line <= last; line++) {
      expect(owner[line]).toBe(0);
      owner[line] = index + 1;
    }
    previous = last;
    const spanned = lines.slice(record.lineNumber - 1, last);
    const raw = spanned
      .map((line, at) => line.text + (at < spanned.length - 1 ? line.lineBreak : ''))
      .join('');
    if (record.outcome.kind !== 'reject' || record.outcome.reason !== 'record_too_large')
      expect(record.raw).toBe(raw);
  }
  for (let line = 1; line <= lines.length; line++)
    if (owner[line] === 0) expect(lines[line - 1]!.text.trim(), `line ${line} has no record`).toBe('');
}

describe('every format, on any input', () => {
  for (const format of Object.keys(GOOD_LINES) as (keyof typeof GOOD_LINES)[])
    it(`${format}: one outcome per record, whatever the chunks; a resumed read gives the rest`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fileOf(format),
          fc.integer({ min: 1, max: 64 }),
          fc.nat(30),
          async (text, chunkBytes, afterLine) => {
            const profile = PROFILES[format];
            const { records } = await readRecords(text, profile, { batchSize: 7 });
            for (const record of records) checkOutcome(record.outcome);
            checkCoverage(text, records, HEADERS[format] !== undefined);
            const chunked = await readRecords(text, profile, { batchSize: 3, chunkBytes });
            expect(chunked.records).toEqual(records);
            const resumed = await readRecords(text, profile, { batchSize: 5, afterLine });
            expect(resumed.records).toEqual(records.filter((record) => record.lineNumber > afterLine));
          },
        ),
        { numRuns: 150 },
      );
    });

  it('usageEventOutcome reads any JSON value without throwing', () => {
    const defaults = PROFILES.jsonl;
    const eventLike = fc.record(
      {
        id: fc.oneof(fc.string(), fc.integer()),
        subscriber: fc.oneof(fc.string(), fc.record({ kind: fc.string(), value: fc.anything() })),
        service: fc.oneof(fc.constantFrom('call', 'sms', 'data'), fc.string()),
        direction: fc.anything(),
        startedAt: fc.oneof(fc.constantFrom('2026-03-28T09:15:09Z', '2026-03-28 09:15'), fc.string()),
        units: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.bigInt().map(String)),
        unit: fc.anything(),
        chargingSession: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.anything(), eventLike), (value) => {
        checkOutcome(usageEventOutcome(value, defaults));
      }),
      { numRuns: 500 },
    );
  });
});
