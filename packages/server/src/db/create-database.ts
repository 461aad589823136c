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
  close(): Promise<void>;
}

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
    return { db, driver: 'postgres', close: () => db.destroy() };
  }
  const client = await PGlite.create(config.dataDir ?? 'memory://', {
    parsers: { [INT8_OID]: (value: string) => BigInt(value) },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return { db, driver: 'pglite', close: () => db.destroy() };
}
