import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from './database-schema.js';

export type DatabaseDriver = 'pglite' | 'postgres';

export interface DatabaseConfig {
  /** PostgreSQL connection string; when absent, the embedded PGlite database is used. */
  readonly databaseUrl?: string | undefined;
  /** PGlite data directory; `memory://` (or absent) keeps the database in memory. */
  readonly dataDir?: string | undefined;
  /** Connections in the PostgreSQL pool. */
  readonly poolSize?: number | undefined;
}

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly driver: DatabaseDriver;
  /**
   * Plain SQL on the same database, for libraries that bring their own SQL (the job queue): a
   * text without values may hold several statements.
   */
  readonly executeSql: ExecuteSql;
  close(): Promise<void>;
}

export type ExecuteSql = (text: string, values?: readonly unknown[]) => Promise<{ rows: unknown[] }>;

/** PostgreSQL's type oid of int8 (bigint). */
const INT8_OID = 20;

/**
 * Opens Tollgate's database: PostgreSQL when a URL is given (production), else PGlite, the same
 * PostgreSQL compiled to WebAssembly and embedded (DESIGN.md section 4). One SQL dialect and one
 * migration set serve both; int8 comes back as bigint from both, so money never passes through a
 * JavaScript number.
 */
export async function createDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  if (config.databaseUrl !== undefined && config.databaseUrl.length > 0) {
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: config.poolSize ?? 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID
            ? (value: string) => BigInt(value)
            : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle client can be cut off by the server (a restart, a dropped test database); without a
    // listener that error would crash the process. The pool replaces the client on next use.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const executeSql: ExecuteSql = async (text, values) => {
      const result = await pool.query(text, values === undefined ? undefined : [...values]);
      // Several statements in one text answer with one result each; the last one is the answer.
      const last = Array.isArray(result) ? result.at(-1) : result;
      return { rows: (last?.rows ?? []) as unknown[] };
    };
    return { db, driver: 'postgres', executeSql, close: () => db.destroy() };
  }
  const client = await PGlite.create(config.dataDir ?? 'memory://', {
    parsers: { [INT8_OID]: (value: string) => BigInt(value) },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  // PGlite has one connection, which the Kysely driver hands out in turn: holding it while the
  // SQL runs keeps a library's statements out of a transaction Kysely has open.
  const executeSql: ExecuteSql = (text, values) =>
    db.connection().execute(async () => {
      if (values !== undefined && values.length > 0) {
        const result = await client.query(text, [...values]);
        return { rows: result.rows };
      }
      // Without values, PGlite's simple protocol runs every statement of the text.
      const results = await client.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    });
  return { db, driver: 'pglite', executeSql, close: () => db.destroy() };
}
