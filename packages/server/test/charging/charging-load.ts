import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';
import { type Kysely, sql } from 'kysely';
import { verifyLedger } from '../../src/balances/verify-ledger.js';
import type { Database } from '../../src/db/database-schema.js';

/** Helpers for the charging concurrency tests: real HTTP connections, ledger checks, a balance watch. */

export interface JsonResponse {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the tests' expectations
  readonly body: any;
}

/**
 * A JSON client over at most `connections` keep-alive HTTP connections (node:http; undici is not
 * a dependency). Requests beyond that wait for a free connection, as on a real load generator.
 * `sockets` holds every connection it used, so a test can count them.
 */
export class HttpClient {
  readonly sockets = new Set<Socket>();
  readonly #agent: Agent;

  constructor(
    readonly baseUrl: string,
    readonly apiKey: string,
    connections: number,
  ) {
    this.#agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  get(path: string): Promise<JsonResponse> {
    return this.#send('GET', path, undefined);
  }

  post(path: string, body: unknown): Promise<JsonResponse> {
    return this.#send('POST', path, body);
  }

  patch(path: string, body: unknown): Promise<JsonResponse> {
    return this.#send('PATCH', path, body);
  }

  close(): void {
    this.#agent.destroy();
  }

  #send(method: string, path: string, body: unknown): Promise<JsonResponse> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, this.baseUrl),
        {
          method,
          agent: this.#agent,
          headers: {
            authorization: `Bearer ${this.apiKey}`,
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': payload.length }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: res.statusCode ?? 0, body: text === '' ? undefined : JSON.parse(text) });
            } catch (error) {
              reject(new Error(`${method} ${path}: not JSON (${res.statusCode}): ${text}`, { cause: error }));
            }
          });
        },
      );
      req.on('socket', (socket) => this.sockets.add(socket));
      req.on('error', reject);
      req.end(payload);
    });
  }
}

/** How many of `items` each distinct value of `keyOf` has, for compact expectations. */
export function tally<T>(items: readonly T[], keyOf: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const key = keyOf(item);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export async function mainBucket(
  db: Kysely<Database>,
  accountId: string,
): Promise<{ balance: bigint; reserved: bigint }> {
  const row = await db
    .selectFrom('balance_buckets')
    .select(['balance', 'reserved'])
    .where('account_id', '=', accountId)
    .where('is_main', '=', true)
    .executeTakeFirstOrThrow();
  return { balance: BigInt(row.balance), reserved: BigInt(row.reserved) };
}

/**
 * Every way the ledger could disagree with itself, as readable lines (empty when consistent),
 * checked with our own queries and with the product's verifier: each bucket's cached balance is
 * the sum of its entries, its reserved the sum of its pending reservations; each transaction
 * balances per unit; no reservation is committed for more than it held.
 */
export async function ledgerProblems(db: Kysely<Database>): Promise<string[]> {
  const problems: string[] = [];
  const { rows: buckets } = await sql<{
    id: string;
    balance: string;
    reserved: string;
    entries: string | null;
    pending: string | null;
  }>`
    select b.id, b.balance::text, b.reserved::text,
      (select sum(amount)::text from ledger_entries e where e.bucket_id = b.id) as entries,
      (select sum(amount)::text from reservations r where r.bucket_id = b.id and r.status = 'pending') as pending
    from balance_buckets b`.execute(db);
  for (const b of buckets) {
    if (BigInt(b.balance) !== BigInt(b.entries ?? 0))
      problems.push(`bucket ${b.id}: balance ${b.balance} but its entries sum to ${b.entries ?? 0}`);
    if (BigInt(b.reserved) !== BigInt(b.pending ?? 0))
      problems.push(
        `bucket ${b.id}: reserved ${b.reserved} but its pending reservations sum to ${b.pending ?? 0}`,
      );
  }
  const { rows: unbalanced } = await sql<{ transaction_id: string; unit: string; total: string }>`
    select transaction_id, unit, sum(amount)::text as total from ledger_entries
    group by transaction_id, unit having sum(amount) <> 0`.execute(db);
  for (const t of unbalanced) problems.push(`transaction ${t.transaction_id} is off by ${t.total} ${t.unit}`);
  const { rows: overCommitted } = await sql<{ id: string }>`
    select id from reservations where status = 'committed' and committed_amount > amount`.execute(db);
  for (const r of overCommitted) problems.push(`reservation ${r.id} committed more than it held`);
  const verified = await verifyLedger(db);
  for (const p of verified.problems)
    problems.push(`verifyLedger: ${p.kind} bucket ${p.bucketId} expected ${p.expected} got ${p.actual}`);
  return problems;
}

/**
 * Runs `work` while reading a value over and over (at least once) and keeping the lowest: a test
 * watches a balance during a storm of requests to see that it never dips below its floor at any
 * moment a reader could observe, not only at the end. No timing is asserted.
 */
export async function whileWatching<T>(
  read: () => Promise<bigint>,
  work: () => Promise<T>,
): Promise<{ result: T; samples: number; lowest: bigint }> {
  let stopped = false;
  const watching = (async () => {
    let samples = 0;
    let lowest: bigint | undefined;
    do {
      const value = await read();
      samples += 1;
      if (lowest === undefined || value < lowest) lowest = value;
      await new Promise((resolve) => setImmediate(resolve));
    } while (!stopped);
    return { samples, lowest: lowest! };
  })();
  try {
    const result = await work();
    return { result, ...(await stopWatching()) };
  } finally {
    await stopWatching().catch(() => undefined);
  }

  function stopWatching() {
    stopped = true;
    return watching;
  }
}
