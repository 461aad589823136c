import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareArrayLiteral, textArrayLiteral } from '../../src/db/array-literal.js';
import { DATABASE_LABEL, openTestDatabase, type TestDatabase } from '../test-database.js';

describe(`array literals through the database (${DATABASE_LABEL})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('gives back every text as it was sent, quotes, braces, commas, line breaks and NULLs included', async () => {
    const text = fc.oneof(
      fc.constant(null),
      fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replaceAll('\u0000', '')),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 20 }), async (values) => {
        const { rows } = await sql<{ value: string | null }>`
          select unnest(${textArrayLiteral(values)}::text[]) as value`.execute(database.db);
        expect(rows.map((r) => r.value)).toEqual(values);
      }),
      { numRuns: 50 },
    );
  });

  it('gives back integers beyond 2^53 and NULLs', async () => {
    const values = [9_223_372_036_854_775_807n, -9_223_372_036_854_775_808n, null, 0n];
    const { rows } = await sql<{ value: string | bigint | null }>`
      select unnest(${bareArrayLiteral(values)}::int8[]) as value`.execute(database.db);
    expect(rows.map((r) => (r.value === null ? null : BigInt(r.value)))).toEqual(values);
  });
});
