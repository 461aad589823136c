import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { addTariffVersion } from '../../src/catalog/add-tariff-version.js';
import * as reportsMigration from '../../src/db/migrations/0012-reports.js';
import { rerateUsage } from '../../src/mediation/rerate-usage.js';
import { foldReportSummaries } from '../../src/reports/fold-report-summaries.js';
import { DEMO_TARIFF_PATH } from '../../src/seed/demo-tariff-path.js';
import { voiceRequest } from '../charging/charging-fixture.js';
import {
  type MediationFixture,
  openMediationFixture,
  SWITCH_HEADER,
  TEST_ACTOR,
} from '../mediation/mediation-fixture.js';
import { DATABASE_LABEL } from '../test-database.js';

type Rows = Record<string, string>[];

/**
 * The usage summaries equal what rated_usage says when aggregated straight, whatever wrote the
 * usage: a file through mediation, a rerate (reversals and new charges), and a record reconciled
 * with an online charging session; before and after folding.
 */
describe(`report usage summaries (${DATABASE_LABEL})`, () => {
  let fixture: MediationFixture;
  beforeAll(async () => {
    fixture = await openMediationFixture();
    await fixture.topUp(fixture.prepaid.accountId, '5.00');
  }, 60_000);
  afterAll(async () => {
    await fixture?.close();
  });

  const db = () => fixture.database.db;

  async function expectSummariesMatch(): Promise<void> {
    const zone = sql`(select time_zone from tenants where id = r.tenant_id)`;
    const daily = await rows(sql`
      select r.tenant_id::text, (r.started_at at time zone ${zone})::date::text as day, r.service, r.source_id::text,
        coalesce(s.plan_id, '00000000-0000-0000-0000-000000000000')::text as plan, trim(r.currency) as currency, r.unit,
        sum(case when r.entry = 'reversal' then -1 else 1 end)::text as events, sum(r.units)::text as units,
        sum(r.charged_micros)::text as charged, sum(r.list_micros)::text as list
      from rated_usage r left join subscriptions s on s.id = r.subscription_id
      group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7`);
    const summarised = await rows(sql`
      select tenant_id::text, day::text, service, source_id::text, plan_id::text as plan, trim(currency) as currency, unit,
        sum(events)::text as events, sum(units)::text as units, sum(charged_micros)::text as charged,
        sum(list_micros)::text as list
      from report_usage_daily group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7`);
    expect(summarised).toEqual(daily);

    const hourly = await rows(sql`
      select extract(isodow from r.started_at at time zone ${zone})::text as weekday,
        extract(hour from r.started_at at time zone ${zone})::text as hour, r.service,
        sum(case when r.entry = 'reversal' then -1 else 1 end)::text as events, sum(r.charged_micros)::text as charged
      from rated_usage r group by 1, 2, 3 order by 1, 2, 3`);
    const hourlySummary = await rows(sql`
      select weekday::text, hour::text, service, sum(events)::text as events, sum(charged_micros)::text as charged
      from report_usage_hourly group by 1, 2, 3 order by 1, 2, 3`);
    expect(hourlySummary).toEqual(hourly);

    const destinations = await rows(sql`
      select coalesce(r.explanation->>'destinationId', '') as destination,
        sum(case when r.entry = 'reversal' then -1 else 1 end)::text as events, sum(r.charged_micros)::text as charged
      from rated_usage r group by 1 order by 1`);
    const destinationSummary = await rows(sql`
      select destination, sum(events)::text as events, sum(charged_micros)::text as charged
      from report_usage_destinations group by 1 order by 1`);
    expect(destinationSummary).toEqual(destinations);
  }

  async function rows(query: ReturnType<typeof sql>): Promise<Rows> {
    return (await query.execute(db())).rows as Rows;
  }

  it('follows mediation ingest', async () => {
    const path = await fixture.file(
      'march.csv',
      [
        SWITCH_HEADER,
        'r1,+4915112345678,+4930123456,call,2026-03-02T11:00:00+01:00,90,',
        'r2,+4915112345678,+4930123456,call,2026-03-02T12:00:00+01:00,90,',
        'r3,+4917698765432,+4930123456,call,2026-03-02T13:00:00+01:00,60,',
        'r4,+4915112345678,+4917611111111,call,2026-03-02T23:30:00+01:00,60,',
      ].join('\n'),
    );
    const outcome = await fixture.ingest(path, 2);
    expect(outcome.ok && outcome.run.counts.loaded).toBe(4n);
    const march = await rows(sql`
      select sum(events)::text as events, sum(charged_micros)::text as charged from report_usage_daily
      where day between '2026-03-01' and '2026-03-31'`);
    expect(march).toEqual([{ events: '4', charged: expect.any(String) }]);
    await expectSummariesMatch();
  });

  it('follows a rerate: reversals are taken back, a rerated record counts once', async () => {
    const before = await rows(sql`select sum(events)::text as events from report_usage_daily`);
    const document = parseYaml(await readFile(DEMO_TARIFF_PATH, 'utf8')) as {
      rates: { id: string; connectFee?: string }[];
    };
    for (const rate of document.rates) if (rate.id === 'LOCAL_PEAK') rate.connectFee = '0';
    const tariff = await db().selectFrom('tariffs').select('id').executeTakeFirstOrThrow();
    const added = await addTariffVersion(
      db(),
      fixture.tenantId,
      TEST_ACTOR,
      tariff.id,
      { activatesAt: new Date('2026-01-01T00:00:00+01:00'), source: { format: 'native', document } },
      new Date('2026-03-20T00:00:00Z'),
    );
    expect(added.ok).toBe(true);
    const rerated = await rerateUsage(db(), fixture.tenantId, TEST_ACTOR, {
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-04-01T00:00:00Z'),
    });
    expect(rerated.ok && rerated.report.changed).toBeGreaterThan(0);
    const reversals = await rows(sql`select count(*)::text as n from rated_usage where entry = 'reversal'`);
    expect(Number(reversals[0]!.n)).toBeGreaterThan(0);
    expect(await rows(sql`select sum(events)::text as events from report_usage_daily`)).toEqual(before);
    await expectSummariesMatch();
  });

  it('follows usage charged online and reconciled with its session', async () => {
    const engine = fixture.engine();
    await engine.initiate(voiceRequest(fixture, 'sess-report-1', 0, { requested: 60n }));
    const terminated = await engine.terminate(voiceRequest(fixture, 'sess-report-1', 1, { used: 60n }));
    expect(terminated.ok).toBe(true);
    const path = await fixture.file(
      'online.csv',
      `${SWITCH_HEADER}\nc20,+4917698765432,+4930123456,call,2026-03-10T10:00:00+01:00,60,sess-report-1\n`,
    );
    const outcome = await fixture.ingest(path);
    expect(outcome.ok && outcome.run.counts.loaded).toBe(1n);
    const online = await rows(sql`select count(*)::text as n from rated_usage where settlement = 'online'`);
    expect(online).toEqual([{ n: '1' }]);
    await expectSummariesMatch();
  });

  it('folds the deltas into one row per key and keeps every total', async () => {
    const pending = await rows(sql`select count(*)::text as n from report_usage_daily where not folded`);
    expect(Number(pending[0]!.n)).toBeGreaterThan(0);
    const folded = await foldReportSummaries(db());
    expect(folded.folded).toBe(true);
    expect(await rows(sql`select count(*)::text as n from report_usage_daily where not folded`)).toEqual([
      { n: '0' },
    ]);
    const duplicates = await rows(sql`
      select count(*)::text as n from (
        select 1 from report_usage_daily group by tenant_id, day, service, source_id, plan_id, currency, unit
        having count(*) > 1) d`);
    expect(duplicates).toEqual([{ n: '0' }]);
    await expectSummariesMatch();
    // New usage after a fold lands as a delta beside the folded rows, and a second fold merges it.
    const path = await fixture.file(
      'april.csv',
      `${SWITCH_HEADER}\nr9,+4915112345678,+4930123456,call,2026-03-02T11:10:00+01:00,30,\n`,
    );
    expect((await fixture.ingest(path)).ok).toBe(true);
    await expectSummariesMatch();
    await foldReportSummaries(db());
    await expectSummariesMatch();
    expect(await rows(sql`select count(*)::text as n from report_usage_daily where not folded`)).toEqual([
      { n: '0' },
    ]);
  });

  it('backfills the summaries from the rows already stored when the migration runs on an existing database', async () => {
    const revenueBefore = await rows(sql`
      select trim(currency) as currency, sum(total_micros)::text as total from report_invoice_daily group by 1 order by 1`);
    await reportsMigration.down(db() as never);
    await reportsMigration.up(db() as never);
    expect(await rows(sql`select count(*)::text as n from report_usage_daily where not folded`)).toEqual([
      { n: '0' },
    ]);
    await expectSummariesMatch();
    expect(
      await rows(sql`
        select trim(currency) as currency, sum(total_micros)::text as total from report_invoice_daily group by 1 order by 1`),
    ).toEqual(revenueBefore);
  });
});
