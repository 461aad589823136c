import pg from 'pg';

/** The server's WAL position and checkpoint counts at one moment. */
export interface WalReading {
  readonly lsnBytes: bigint;
  readonly checkpointsRequested: number;
  readonly checkpointsTimed: number;
}

/** What the server wrote between two readings. */
export interface WalActivity {
  readonly walBytes: number;
  /** Checkpoints started because max_wal_size worth of WAL was written, and on the timer. */
  readonly checkpointsRequested: number;
  readonly checkpointsTimed: number;
}

/**
 * Reads how much WAL the server has written and how many checkpoints it ran (pg_stat_bgwriter,
 * PostgreSQL 15-16), on a connection of its own. Bulk writes are bound by WAL as much as by CPU:
 * the WAL a phase writes, and the checkpoints it forces, say why two phases that write the same
 * rows take different times. Both counters are the whole server's.
 */
export async function readWal(databaseUrl: string): Promise<WalReading> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ lsn: string; requested: string; timed: string }>(
      `select pg_current_wal_lsn()::text as lsn, checkpoints_req::text as requested,
         checkpoints_timed::text as timed
       from pg_stat_bgwriter`,
    );
    const row = rows[0]!;
    return {
      lsnBytes: lsnToBytes(row.lsn),
      checkpointsRequested: Number(row.requested),
      checkpointsTimed: Number(row.timed),
    };
  } finally {
    await client.end();
  }
}

export function walBetween(from: WalReading, to: WalReading): WalActivity {
  return {
    walBytes: Number(to.lsnBytes - from.lsnBytes),
    checkpointsRequested: to.checkpointsRequested - from.checkpointsRequested,
    checkpointsTimed: to.checkpointsTimed - from.checkpointsTimed,
  };
}

/** An LSN as PostgreSQL prints it, `16/B374D4B8`: the high and low 32 bits of a byte position, in hex. */
function lsnToBytes(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  if (high === undefined || low === undefined) throw new Error(`not an LSN: ${lsn}`);
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}
