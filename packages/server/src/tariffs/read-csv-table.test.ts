import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImportIssues } from './import-issue.js';
import { type CsvRow, readCsvTable } from './read-csv-table.js';

const COLUMNS = ['Id', 'Prefix', 'Name'] as const;
type Column = (typeof COLUMNS)[number];

function read(text: string, columns: readonly Column[] = COLUMNS) {
  const issues = new ImportIssues();
  const rows = readCsvTable('T.csv', text, columns, issues);
  return { rows, errors: issues.errorList() };
}

/**
 * readCsvTable as it was before unquoted files got a reader of their own: csv-parse for every
 * file, each record's line taken from on_record's context. The reader must agree with it exactly.
 */
function readWithCsvParse(text: string, columns: readonly Column[] = COLUMNS) {
  const issues = new ImportIssues();
  const lineBreak = /\r\n|\r|\n/g;
  const normalised = text.replace(lineBreak, '\n');
  const endLines: number[] = [];
  const records = parse(normalised, {
    bom: true,
    comment: '#',
    comment_no_infix: true,
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      const line = typeof error?.lines === 'number' ? error.lines : 0;
      issues.error(
        { file: 'T.csv', line },
        'csv_syntax',
        `not valid CSV: ${error?.message ?? 'unreadable record'}`,
      );
      return undefined;
    },
    on_record: (record: string[], context) => {
      endLines.push(context.lines);
      return record;
    },
  });
  const rows: CsvRow<Column>[] = [];
  records.forEach((fields, index) => {
    const line =
      (endLines[index] ?? Number.NaN) -
      fields.reduce((sum, field) => sum + (field.match(lineBreak)?.length ?? 0), 0);
    if (fields.length !== columns.length) {
      issues.error(
        { file: 'T.csv', line },
        'wrong_column_count',
        `expected ${columns.length} columns (${columns.join(',')}), found ${fields.length}`,
      );
      return;
    }
    const values = {} as Record<Column, string>;
    columns.forEach((column, at) => {
      values[column] = fields[at] ?? '';
    });
    rows.push({ line, values });
  });
  return { rows, errors: issues.errorList() };
}

/** Pieces that exercise what a CSV reader can get wrong: separators, line breaks, white space, comments. */
const PIECES = [
  'a',
  'DST_1',
  '49',
  'x y',
  ',',
  ',',
  ',,',
  '\n',
  '\n',
  '\r\n',
  '\r',
  '#',
  '# note',
  ' ',
  '\t',
  '\u00a0',
  '\u2028',
  '\u3000',
  '\ufeff',
  '\u180e',
  '\u200b',
  '"',
  '"a,\nb"',
  '""',
  'é',
  '€',
  '😀',
  '\ud800',
  '\u0000',
];

const csvText = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((pieces) => pieces.join(''));
const quoteFree = fc
  .array(fc.constantFrom(...PIECES.filter((piece) => !piece.includes('"'))), { maxLength: 60 })
  .map((pieces) => pieces.join(''));

describe('readCsvTable', () => {
  it('reads rows, skipping comments and blank lines, with each row’s line', () => {
    const { rows, errors } = read(
      '\ufeff#Id,Prefix,Name\n\nDST_DE, 49 ,Germany\n  # a comment\n \t\nDST_FR,33,\n',
    );
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { line: 3, values: { Id: 'DST_DE', Prefix: '49', Name: 'Germany' } },
      { line: 6, values: { Id: 'DST_FR', Prefix: '33', Name: '' } },
    ]);
  });

  it('reports a row with the wrong number of fields, with its line, and leaves it out', () => {
    const { rows, errors } = read('#h\nA,1,x\nB,2\nC,3,y,z\n,,\n');
    expect(rows.map((row) => row.line)).toEqual([2, 5]);
    expect(errors.map(({ line, code, message }) => ({ line, code, message }))).toEqual([
      { line: 3, code: 'wrong_column_count', message: 'expected 3 columns (Id,Prefix,Name), found 2' },
      { line: 4, code: 'wrong_column_count', message: 'expected 3 columns (Id,Prefix,Name), found 4' },
    ]);
  });

  it('points a record with a quoted line break at the line where it starts', () => {
    const { rows, errors } = read('#h\r\nA,"1\r\n2",x\r\n\r\nB,2,"y\n\nz"\nC,3,w');
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { line: 2, values: { Id: 'A', Prefix: '1\n2', Name: 'x' } },
      { line: 5, values: { Id: 'B', Prefix: '2', Name: 'y\n\nz' } },
      { line: 8, values: { Id: 'C', Prefix: '3', Name: 'w' } },
    ]);
  });

  it('counts lines the same in LF, CRLF and CR files', () => {
    const lines = ['#h', 'A,1,x', '', '# c', 'B,2,y'];
    for (const lineBreak of ['\n', '\r\n', '\r']) {
      expect(read(lines.join(lineBreak)).rows.map((row) => row.line)).toEqual([2, 5]);
    }
  });

  it('reads a file with no commas in linear time', () => {
    const text = 'x\n'.repeat(200_000);
    const started = performance.now();
    const { errors } = read(text);
    expect(errors).toHaveLength(1001); // 1000 kept, then one saying how many more were dropped
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('reads any text as csv-parse does, rows, lines and errors alike', () => {
    fc.assert(
      fc.property(csvText, (text) => {
        expect(read(text)).toEqual(readWithCsvParse(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it('reads any unquoted text as csv-parse does, rows, lines and errors alike', () => {
    fc.assert(
      fc.property(
        quoteFree,
        fc.constantFrom<readonly Column[]>(COLUMNS, ['Id'], ['Id', 'Prefix']),
        (text, columns) => {
          expect(read(text, columns)).toEqual(readWithCsvParse(text, columns));
        },
      ),
      { numRuns: 3_000 },
    );
  });
});
