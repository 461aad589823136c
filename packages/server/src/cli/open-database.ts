import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Config } from '../config/load-config.js';
import { createDatabase, type DatabaseHandle } from '../db/create-database.js';

/** The configured database: PostgreSQL with DATABASE_URL, else PGlite in the data directory. */
export async function openConfiguredDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
): Promise<DatabaseHandle> {
  if (config.databaseUrl !== undefined) return createDatabase({ databaseUrl: config.databaseUrl });
  const dataDir = resolve(config.dataDir);
  await mkdir(dataDir, { recursive: true });
  return createDatabase({ dataDir });
}
