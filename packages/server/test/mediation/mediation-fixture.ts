import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { type IngestOutcome, ingestUsageFile } from '../../src/mediation/ingest-usage-file.js';
import { saveUsageSource } from '../../src/mediation/save-usage-source.js';
import type { UsageSource } from '../../src/mediation/usage-source-store.js';
import { type ChargingFixture, openChargingFixture } from '../charging/charging-fixture.js';

export const TEST_ACTOR = { type: 'system', id: 'test' } as const;

/** A switch's CSV export: a header, the switch's call id, numbers as dialled, ISO times, seconds. */
export const SWITCH_PROFILE = {
  format: 'csv',
  timeZone: 'Europe/Berlin',
  csv: {
    header: true,
    columns: {
      recordId: 'call_id',
      subscriber: 'caller',
      destination: 'callee',
      service: 'service',
      startedAt: 'answered_at',
      units: 'units',
      chargingSession: 'session',
    },
    timeFormat: 'iso8601',
  },
} as const;

export const SWITCH_HEADER = 'call_id,caller,callee,service,answered_at,units,session';

export interface MediationFixture extends ChargingFixture {
  readonly source: UsageSource;
  readonly work: string;
  /** Writes a file into the fixture's folder and returns its path. */
  file(name: string, text: string): Promise<string>;
  ingest(path: string, batchSize?: number): Promise<IngestOutcome>;
  /** Sum of the current charges (charges less reversals) of an account, and their count. */
  charges(accountId: string): Promise<{ records: number; chargedMicros: bigint }>;
}

export async function openMediationFixture(): Promise<MediationFixture> {
  const charging = await openChargingFixture();
  const saved = await saveUsageSource(charging.database.db, charging.tenantId, TEST_ACTOR, {
    name: 'switch',
    profile: SWITCH_PROFILE,
  });
  if (!saved.ok) throw new Error(saved.message);
  const work = await mkdtemp(join(tmpdir(), 'tollgate-mediation-'));
  return {
    ...charging,
    source: saved.source,
    work,
    file: async (name, text) => {
      const path = join(work, name);
      await writeFile(path, text);
      return path;
    },
    ingest: (path, batchSize) =>
      ingestUsageFile(charging.database.db, {
        tenantId: charging.tenantId,
        source: saved.source,
        path,
        ...(batchSize === undefined ? {} : { batchSize }),
      }),
    charges: async (accountId) => {
      const { rows } = await sql<{ records: string | number; charged: string | null }>`
        select count(*) filter (where entry = 'charge') - count(*) filter (where entry = 'reversal') as records,
          sum(charged_micros)::text as charged
        from rated_usage where account_id = ${accountId}`.execute(charging.database.db);
      return { records: Number(rows[0]!.records), chargedMicros: BigInt(rows[0]!.charged ?? '0') };
    },
    close: async () => {
      await charging.close();
      await rm(work, { recursive: true, force: true });
    },
  };
}
