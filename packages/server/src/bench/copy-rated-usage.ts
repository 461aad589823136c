import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

/** COPY streams a megabyte at a time: large enough that the file is never the bottleneck. */
const COPY_CHUNK_BYTES = 1 << 20;

export interface CopyRun {
  readonly rows: number;
  readonly bytes: number;
  readonly elapsedMs: number;
}

/**
 * The baseline of the ingest workload: the rows ingestion stored, written back into the same table
 * with PostgreSQL's COPY, the fastest way rows get into a table. One connection of its own (pg's
 * client speaks the COPY sub-protocol through pg-copy-streams; Kysely does not).
 */
export class RatedUsageCopy {
  private constructor(
    private readonly client: pg.Client,
    /** Every column of rated_usage in table order, quoted, ids and timestamps included. */
    readonly columns: string,
  ) {}

  static async connect(databaseUrl: string): Promise<RatedUsageCopy> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      // Read from the catalog rather than listed here, so the baseline follows the table as it is;
      // a generated column (none today) cannot be written, and the table would compute it again.
      const { rows } = await client.query<{ columns: string }>(
        `select string_agg(quote_ident(attname), ', ' order by attnum) as columns
         from pg_attribute
         where attrelid = 'rated_usage'::regclass and attnum > 0 and not attisdropped and attgenerated = ''`,
      );
      return new RatedUsageCopy(client, rows[0]!.columns);
    } catch (error) {
      await client.end();
      throw error;
    }
  }

  /** Writes every row of rated_usage to `path` in COPY's text format. */
  async exportTo(path: string): Promise<CopyRun> {
    const startedMs = performance.now();
    const source = this.client.query(copyTo(`copy (select ${this.columns} from rated_usage) to stdout`));
    await pipeline(source, createWriteStream(path, { highWaterMark: COPY_CHUNK_BYTES }));
    const elapsedMs = performance.now() - startedMs;
    return { rows: source.rowCount, bytes: (await stat(path)).size, elapsedMs };
  }

  /**
   * Empties rated_usage (and the suspended records and attempts, which point at it by foreign
   * key), in a transaction of its own: COPY into a table truncated in the same transaction may
   * skip WAL (wal_level minimal), which ingestion never does. TRUNCATE fires no row triggers.
   */
  async truncate(): Promise<void> {
    await this.client.query('truncate rated_usage, suspended_records, suspense_attempts');
  }

  /** Fresh statistics and no dead rows, as before the ingestion. */
  async vacuumAnalyze(): Promise<void> {
    await this.client.query('vacuum analyze');
  }

  /** Flushes every dirty page, so the timed phase that follows starts with nothing to write back. */
  async checkpoint(): Promise<void> {
    await this.client.query('checkpoint');
  }

  /** COPY FROM STDIN of a file written by exportTo, timed from the first byte read to the commit. */
  async copyFrom(path: string): Promise<CopyRun> {
    const startedMs = performance.now();
    const sink = this.client.query(copyFrom(`copy rated_usage (${this.columns}) from stdin`));
    await pipeline(createReadStream(path, { highWaterMark: COPY_CHUNK_BYTES }), sink);
    const elapsedMs = performance.now() - startedMs;
    return { rows: sink.rowCount, bytes: (await stat(path)).size, elapsedMs };
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
