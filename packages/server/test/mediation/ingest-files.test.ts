import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantAllowance } from '../../src/balances/grant-allowance.js';
import { verifyLedger } from '../../src/balances/verify-ledger.js';
import { changeSuspendedRecord } from '../../src/mediation/change-suspended-record.js';
import { ingestUsageFile } from '../../src/mediation/ingest-usage-file.js';
import { reprocessSuspendedRecords } from '../../src/mediation/reprocess-suspended-records.js';
import { saveUsageSource } from '../../src/mediation/save-usage-source.js';
import { findSuspendedRecord } from '../../src/mediation/suspense-store.js';
import { voiceRequest } from '../charging/charging-fixture.js';
import { DATABASE_LABEL } from '../test-database.js';
import {
  type MediationFixture,
  openMediationFixture,
  SWITCH_HEADER,
  SWITCH_PROFILE,
  TEST_ACTOR,
} from './mediation-fixture.js';

/** Monday 2 March 2026 in Berlin: peak hours in the demo tariff. */
const FIRST_FILE = [
  SWITCH_HEADER,
  // Postpaid, Berlin at peak, dialled nationally: 0.02 connect + 0.05 first minute + 30 s at 0.05/min.
  'c1,+4915112345678,030 123456,call,2026-03-02T11:00:00+01:00,90,',
  // Prepaid, German mobile: 0.05 connect + 4 x 30 s at 0.19/min = 0.43, from its balance.
  'c2,+4917698765432,+4917611111111,call,2026-03-02T11:05:00+01:00,120,',
  // Postpaid SMS: 0.09.
  'c3,+4915112345678,+4917611111111,sms,2026-03-02T11:06:00+01:00,1,',
  'c4,+4999999999,+4930123456,call,2026-03-02T11:07:00+01:00,60,',
  'c5,+4915112345678,+81312345678,call,2026-03-02T11:08:00+01:00,60,',
  'c6,+4915112345678,+4930123456,call,2026-03-02T11:09:00+01:00,-5,',
  'c7,"+4915112345678,+4930123456,call,2026-03-02T11:10:00+01:00,60,',
].join('\r\n');

describe(`ingesting usage files (${DATABASE_LABEL})`, () => {
  let fixture: MediationFixture;
  beforeAll(async () => {
    fixture = await openMediationFixture();
    await fixture.topUp(fixture.prepaid.accountId, '1.00');
  }, 60_000);
  afterAll(async () => {
    await fixture?.close();
  });

  it('loads the good records, suspends the bad ones with their reasons, and sums what it rated', async () => {
    const path = await fixture.file('switch-0001.csv', `\uFEFF${FIRST_FILE}\r\n`);
    const outcome = await fixture.ingest(path);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.run.status).toBe('done');
    expect(outcome.run.counts).toMatchObject({
      read: 7n,
      loaded: 3n,
      suspended: 4n,
      duplicate: 0n,
      skipped: 0n,
    });
    expect(outcome.run.counts.ratedMicros).toEqual({ EUR: '615000' });

    const rated = await fixture.database.db
      .selectFrom('rated_usage')
      .select([
        'record_key',
        'line_number',
        'destination',
        'charged_micros',
        'debited_micros',
        'settlement',
        'units',
      ])
      .orderBy('line_number')
      .execute();
    expect(
      rated.map((r) => [
        r.record_key,
        Number(r.line_number),
        r.destination,
        BigInt(r.charged_micros),
        r.settlement,
      ]),
    ).toEqual([
      ['c1', 2, '+4930123456', 95_000n, 'accrued'],
      ['c2', 3, '+4917611111111', 430_000n, 'debited'],
      ['c3', 4, '+4917611111111', 90_000n, 'accrued'],
    ]);
    expect(await mainBalanceMicros(fixture, fixture.prepaid.accountId)).toBe(570_000n);

    const suspended = await fixture.database.db
      .selectFrom('suspended_records')
      .select(['record_key', 'line_number', 'reason', 'field', 'message', 'raw'])
      .orderBy('line_number')
      .execute();
    expect(suspended.map((s) => [Number(s.line_number), s.reason, s.field])).toEqual([
      [5, 'unknown_subscriber', 'subscriber'],
      [6, 'no_rate', 'destination'],
      [7, 'negative_usage', 'units'],
      [8, 'malformed_record', null],
    ]);
    expect(suspended[0]!.raw).toBe('c4,+4999999999,+4930123456,call,2026-03-02T11:07:00+01:00,60,');
    for (const record of suspended) expect(record.message.length).toBeGreaterThan(0);
    expect((await verifyLedger(fixture.database.db)).problems).toEqual([]);
  });

  it('adds nothing when the same file is loaded again, and reports every record as a duplicate', async () => {
    const path = await fixture.file('switch-0001-again.csv', `\uFEFF${FIRST_FILE}\r\n`);
    const before = await fixture.database.db
      .selectFrom('rated_usage')
      .select(sql<string>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    const outcome = await fixture.ingest(path);
    expect(outcome.ok && outcome.run.counts).toMatchObject({
      read: 7n,
      loaded: 0n,
      suspended: 0n,
      duplicate: 7n,
    });
    const after = await fixture.database.db
      .selectFrom('rated_usage')
      .select(sql<string>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toEqual(before.n);
    expect(await mainBalanceMicros(fixture, fixture.prepaid.accountId)).toBe(570_000n);
  });

  it('reprocesses a fixed record under its key and line, and keeps every attempt', async () => {
    const open = await fixture.database.db
      .selectFrom('suspended_records')
      .select(['id', 'record_key'])
      .where('status', '=', 'open')
      .execute();
    const unknown = open.find((r) => r.record_key === 'c4')!;
    const noRate = open.find((r) => r.record_key === 'c5')!;
    const edited = await changeSuspendedRecord(
      fixture.database.db,
      fixture.tenantId,
      TEST_ACTOR,
      unknown.id,
      {
        kind: 'edit',
        raw: 'c4,+4915112345679,+4930123456,call,2026-03-02T11:07:00+01:00,60,',
      },
    );
    expect(edited.ok).toBe(true);
    const summary = await reprocessSuspendedRecords(fixture.database.db, fixture.tenantId, TEST_ACTOR, {
      ids: [unknown.id, noRate.id],
    });
    expect(summary).toEqual({ examined: 2, loaded: 1, duplicate: 0, suspended: 1 });

    const fixed = await findSuspendedRecord(fixture.database.db, fixture.tenantId, unknown.id);
    expect(fixed?.record).toMatchObject({ status: 'resolved', attempts: 1, reason: 'unknown_subscriber' });
    expect(fixed?.attempts.map((a) => a.outcome)).toEqual(['loaded']);
    const loaded = await fixture.database.db
      .selectFrom('rated_usage')
      .select(['record_key', 'line_number', 'subscriber', 'charged_micros'])
      .where('id', '=', BigInt(fixed!.record.ratedUsageId!))
      .executeTakeFirstOrThrow();
    // 60 s to Berlin at peak: 0.02 connect + 0.05 first minute.
    expect(loaded).toMatchObject({ record_key: 'c4', subscriber: '+4915112345679' });
    expect(Number(loaded.line_number)).toBe(5);
    expect(BigInt(loaded.charged_micros)).toBe(70_000n);

    const still = await findSuspendedRecord(fixture.database.db, fixture.tenantId, noRate.id);
    expect(still?.record).toMatchObject({ status: 'open', attempts: 1, reason: 'no_rate' });
    expect(still?.attempts.map((a) => a.outcome)).toEqual(['suspended']);

    // Loading the original file once more still adds nothing: the fixed record keeps its key.
    const again = await fixture.ingest(await fixture.file('switch-0001-third.csv', `${FIRST_FILE}\n`));
    expect(again.ok && again.run.counts).toMatchObject({ loaded: 0n, duplicate: 7n });
  });

  it('reconciles usage already charged online with its session instead of charging it again', async () => {
    const engine = fixture.engine();
    await engine.initiate(voiceRequest(fixture, 'sess-online-1', 0, { requested: 60n }));
    const terminated = await engine.terminate(voiceRequest(fixture, 'sess-online-1', 1, { used: 60n }));
    expect(terminated.ok).toBe(true);
    const balanceAfterOnline = await mainBalanceMicros(fixture, fixture.prepaid.accountId);
    const path = await fixture.file(
      'switch-0002.csv',
      `${SWITCH_HEADER}\nc20,+4917698765432,+4930123456,call,2026-03-10T10:00:00+01:00,60,sess-online-1\n`,
    );
    const outcome = await fixture.ingest(path);
    expect(outcome.ok && outcome.run.counts).toMatchObject({ loaded: 1n, suspended: 0n });
    const row = await fixture.database.db
      .selectFrom('rated_usage')
      .selectAll()
      .where('record_key', '=', 'c20')
      .executeTakeFirstOrThrow();
    expect(row.settlement).toBe('online');
    expect(row.charging_session_id).not.toBeNull();
    expect(BigInt(row.debited_micros)).toBe(70_000n);
    expect(await mainBalanceMicros(fixture, fixture.prepaid.accountId)).toBe(balanceAfterOnline);
  });

  it('spends allowances before money, and moves them through the ledger', async () => {
    const granted = await grantAllowance(
      fixture.database.db,
      fixture.tenantId,
      TEST_ACTOR,
      fixture.postpaid.accountId,
      {
        unit: 'seconds',
        amount: '100',
        service: 'call',
        label: 'Test minutes',
        validFrom: '2026-01-01T00:00:00Z',
      },
      new Date('2026-02-01T00:00:00Z'),
    );
    expect(granted.ok).toBe(true);
    const path = await fixture.file(
      'switch-0003.csv',
      [
        SWITCH_HEADER,
        'c30,+4915112345678,+4930123456,call,2026-03-03T11:00:00+01:00,90,',
        'c31,+4915112345678,+4930123456,call,2026-03-03T11:10:00+01:00,30,',
      ].join('\n'),
    );
    const outcome = await fixture.ingest(path);
    expect(outcome.ok && outcome.run.counts).toMatchObject({ loaded: 2n });
    const rows = await fixture.database.db
      .selectFrom('rated_usage')
      .select(['record_key', 'allowance_units', 'charged_micros', 'list_micros', 'ledger_transaction_id'])
      .where('record_key', 'in', ['c30', 'c31'])
      .orderBy('record_key')
      .execute();
    expect(rows.map((r) => [r.record_key, BigInt(r.allowance_units), BigInt(r.charged_micros)])).toEqual([
      ['c30', 90n, 0n],
      // 10 s from the allowance; 20 s priced from zero: 0.02 connect + 0.05 first minute.
      ['c31', 10n, 70_000n],
    ]);
    expect(rows.every((r) => r.ledger_transaction_id !== null)).toBe(true);
    expect((await verifyLedger(fixture.database.db)).problems).toEqual([]);
  });

  it('reads a gzip file as its content', async () => {
    const { gzipSync } = await import('node:zlib');
    const text = `${SWITCH_HEADER}\nc40,+4915112345678,+4930123456,call,2026-03-04T11:00:00+01:00,60,\n`;
    const path = await fixture.file('switch-0004.csv.gz', '');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path, gzipSync(Buffer.from(text)));
    const outcome = await fixture.ingest(path);
    expect(outcome.ok && outcome.run.counts).toMatchObject({ read: 1n, loaded: 1n });
  });

  it('loads an empty file as a run with nothing in it', async () => {
    const outcome = await fixture.ingest(await fixture.file('empty.csv', ''));
    expect(outcome.ok && outcome.run.counts).toMatchObject({ read: 0n, loaded: 0n });
    expect(outcome.ok && outcome.run.status).toBe('done');
  });
});

async function mainBalanceMicros(fixture: MediationFixture, accountId: string): Promise<bigint> {
  const row = await fixture.database.db
    .selectFrom('balance_buckets')
    .select('balance')
    .where('account_id', '=', accountId)
    .where('is_main', '=', true)
    .executeTakeFirstOrThrow();
  return BigInt(row.balance);
}

describe(`ingesting switch formats end to end (${DATABASE_LABEL})`, () => {
  let fixture: MediationFixture;
  beforeAll(async () => {
    fixture = await openMediationFixture();
  }, 60_000);
  afterAll(async () => {
    await fixture?.close();
  });

  const sourceOf = async (name: string, profile: unknown) => {
    const saved = await saveUsageSource(fixture.database.db, fixture.tenantId, TEST_ACTOR, { name, profile });
    if (!saved.ok) throw new Error(saved.message);
    return saved.source;
  };

  it('loads an Asterisk Master.csv in local time, skipping unanswered calls', async () => {
    const source = await sourceOf('pbx', { format: 'asterisk', timeZone: 'Europe/Berlin' });
    const path = await fixture.file(
      'Master.csv',
      [
        // Answered at 11:00:05 Berlin on a Monday, billed 90 s: 0.095 at peak.
        '"","015112345678","030123456","from-internal","""Anna"" <015112345678>","SIP/100-00000001","SIP/trunk-00000002","Dial","SIP/trunk/030123456,60","2026-03-02 11:00:00","2026-03-02 11:00:05","2026-03-02 11:01:35",95,90,"ANSWERED","BILLING","1772445600.1"',
        '"","015112345678","030999000","from-internal","""Anna"" <015112345678>","SIP/100-00000003","","Dial","SIP/trunk/030999000,60","2026-03-02 11:05:00",,"2026-03-02 11:05:20",20,0,"NO ANSWER","BILLING","1772445900.2"',
      ].join('\n'),
    );
    const outcome = await ingestUsageFile(fixture.database.db, { tenantId: fixture.tenantId, source, path });
    expect(outcome.ok && outcome.run.counts).toMatchObject({
      read: 2n,
      loaded: 1n,
      skipped: 1n,
      suspended: 0n,
    });
    const row = await fixture.database.db
      .selectFrom('rated_usage')
      .select(['record_key', 'started_at', 'units', 'charged_micros', 'subscriber', 'destination'])
      .where('source_id', '=', source.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      record_key: '1772445600.1',
      subscriber: '+4915112345678',
      destination: '+4930123456',
    });
    expect(row.started_at.toISOString()).toBe('2026-03-02T10:00:05.000Z');
    expect(BigInt(row.charged_micros)).toBe(95_000n);
  });

  it('loads a FreeSWITCH Master.csv of the default template', async () => {
    const source = await sourceOf('fs', { format: 'freeswitch', timeZone: 'Europe/Berlin' });
    const path = await fixture.file(
      'fs-Master.csv',
      [
        '"Anna","+4915112345678","+4930123456","default","2026-03-02 12:00:00","2026-03-02 12:00:02","2026-03-02 12:01:02","62","60","NORMAL_CLEARING","a5c9f6c0-e752-11e3-8bfb-65b6c3cdac7d","","","PCMA","PCMA"',
        '"Anna","+4915112345678","+4930123456","default","2026-03-02 12:05:00","","2026-03-02 12:05:10","10","0","NO_ANSWER","b6d0a7d1-e752-11e3-8bfc-65b6c3cdac7d","","","PCMA","PCMA"',
      ].join('\n'),
    );
    const outcome = await ingestUsageFile(fixture.database.db, { tenantId: fixture.tenantId, source, path });
    expect(outcome.ok && outcome.run.counts).toMatchObject({ read: 2n, loaded: 1n, skipped: 1n });
    expect(outcome.ok && outcome.run.counts.ratedMicros).toEqual({ EUR: '70000' });
  });

  it('loads JSON Lines of usage events, custom services included', async () => {
    const source = await sourceOf('events', { format: 'jsonl' });
    const path = await fixture.file(
      'events.jsonl',
      [
        '{"id":"e1","subscriber":"+4915112345678","service":"data","destination":"internet","startedAt":"2026-03-02T10:00:00Z","units":"1048576"}',
        '{"id":"e2","subscriber":"+4915112345678","service":"sms","destination":"+4917611111111","startedAt":"2026-03-02T10:00:00Z","units":2}',
        'not json',
      ].join('\n'),
    );
    const outcome = await ingestUsageFile(fixture.database.db, { tenantId: fixture.tenantId, source, path });
    expect(outcome.ok && outcome.run.counts).toMatchObject({ read: 3n, loaded: 2n, suspended: 1n });
  });

  it('counts a line repeated in one file once as stored and the rest as duplicates', async () => {
    const source = await sourceOf('repeats', SWITCH_PROFILE);
    const path = await fixture.file('repeats.csv', `${SWITCH_HEADER}\n_\n_\n_\n`);
    const outcome = await ingestUsageFile(fixture.database.db, { tenantId: fixture.tenantId, source, path });
    expect(outcome.ok && outcome.run.counts).toMatchObject({
      read: 3n,
      loaded: 0n,
      suspended: 1n,
      duplicate: 2n,
    });
  });

  it('suspends every fuzzed record with a reason, never failing the file', async () => {
    const source = await sourceOf('fuzzed', SWITCH_PROFILE);
    const line = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc
        .tuple(
          fc.string({ maxLength: 12 }),
          fc.constantFrom('+4915112345678', '+4999', '', 'abc'),
          fc.constantFrom('+4930123456', '+81312345678', '', '"'),
          fc.constantFrom('call', 'sms', 'data', 'x', ''),
          fc.constantFrom('2026-03-02T11:00:00+01:00', '2026-13-02', '', 'yesterday'),
          fc.oneof(fc.integer({ min: -100, max: 100_000 }).map(String), fc.string({ maxLength: 5 })),
        )
        .map((fields) => fields.join(',')),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 20 }), async (lines) => {
        run++;
        const path = await fixture.file(`fuzz-${run}.csv`, `${SWITCH_HEADER}\n${lines.join('\n')}\n`);
        const outcome = await ingestUsageFile(fixture.database.db, {
          tenantId: fixture.tenantId,
          source,
          path,
        });
        if (!outcome.ok) return false;
        const { read, loaded, duplicate, suspended, skipped } = outcome.run.counts;
        return read === loaded + duplicate + suspended + skipped;
      }),
      { numRuns: 25 },
    );
    const reasons = await fixture.database.db
      .selectFrom('suspended_records')
      .select(['reason', 'message'])
      .where('source_id', '=', source.id)
      .execute();
    for (const r of reasons) expect(r.message.length).toBeGreaterThan(0);
  });
});
