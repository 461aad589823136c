import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createThrowawayDatabase,
  type ServeProcess,
  startServeProcess,
} from '../../src/bench/serve-process.js';
import { DEFAULT_PORTAL_DIR } from '../../src/http/serve-portal.js';
import { TEST_DATABASE_URL } from '../test-database.js';

/** A real Tollgate server (`tollgate serve`) with the demo operator, for the browser to drive. */
export interface PortalServer {
  readonly url: string;
  readonly adminKey: string;
  readonly process: ServeProcess;
  stop(): Promise<void>;
}

/**
 * Starts `tollgate serve` from the sources on a free port, on a fresh embedded database, or on a
 * fresh database of the PostgreSQL server named by TEST_DATABASE_URL; it seeds the demo operator
 * and its activity as a first start on a fresh machine does.
 */
export async function startPortalServer(): Promise<PortalServer> {
  if (!existsSync(join(DEFAULT_PORTAL_DIR, 'index.html')))
    throw new Error(`the web app is not built (${DEFAULT_PORTAL_DIR}): run \`npm run build\` first`);
  const dataDir = await mkdtemp(join(tmpdir(), 'tollgate-portal-'));
  const database =
    TEST_DATABASE_URL === undefined || TEST_DATABASE_URL === ''
      ? undefined
      : await createThrowawayDatabase(TEST_DATABASE_URL);
  const serve = await startServeProcess(
    {
      TOLLGATE_DATA_DIR: dataDir,
      ...(database === undefined ? {} : { DATABASE_URL: database.url }),
      // Plain HTTP on loopback: the session cookie cannot be Secure here.
      TOLLGATE_SECURE_COOKIES: 'false',
    },
    { fromSource: true },
  );
  if (serve.adminKey === undefined) throw new Error('the server did not seed the demo operator');
  return {
    url: serve.url,
    adminKey: serve.adminKey,
    process: serve,
    stop: async () => {
      await serve.stop();
      await rm(dataDir, { recursive: true, force: true });
      await database?.drop();
    },
  };
}
