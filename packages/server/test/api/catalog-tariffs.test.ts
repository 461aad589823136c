import type { TariffDocument } from '@tollgate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain.js';
import { compiledTariffCache } from '../../src/catalog/compiled-tariff-cache.js';
import { CONFORMANCE_SKIP_REASON, HAS_CONFORMANCE } from '../run-cli.js';
import { DATABASE_LABEL } from '../test-database.js';
import { type ApiHarness, openApiHarness } from './api-fixtures.js';
import {
  cgratesFiles,
  demoTariffDocument,
  get,
  post,
  TUTORIAL2,
  uniqueCode,
  withLocalPeakPrice,
} from './catalog-fixtures.js';

/** A Berlin call at weekday peak: LOCAL_PEAK, 0.02 to connect, then 60 s by 60 s, then by 1 s. */
const PEAK_CALL = {
  category: 'call',
  subject: '+4930111',
  destination: '+4930555123',
  usage: '2m10s',
};

/** Without activatesAt a version applies from now on; tariffs quoted at past instants say when. */
const SINCE = '2020-01-01T00:00:00Z';

describe(`catalog: tariffs and quotes (${DATABASE_LABEL})`, () => {
  let h: ApiHarness;
  let demo: TariffDocument;
  beforeAll(async () => {
    h = await openApiHarness();
    demo = await demoTariffDocument();
  });
  afterAll(async () => {
    await h?.close();
  });

  const operator = () => h.tenant.keys.operator;
  const reader = () => h.tenant.keys['read-only'];
  const createTariff = (body: object, key = operator(), headers: Record<string, string> = {}) =>
    post(h.app, '/v1/tariffs', key, body, headers);
  const quote = (body: object, key = reader()) => post(h.app, '/v1/rating/quote', key, body);

  it('stores the demo tariff, reads it back whole and lists it', async () => {
    const code = uniqueCode('demo');
    const created = await createTariff({
      code,
      name: 'Demo retail',
      activatesAt: '2026-01-01T00:00:00Z',
      document: demo,
    });
    expect(created.statusCode).toBe(201);
    const tariff = created.json();
    expect(tariff).toMatchObject({
      code,
      name: 'Demo retail',
      currency: 'EUR',
      activeVersion: 1,
      latestVersion: 1,
      warnings: [],
      versions: [
        {
          version: 1,
          sourceFormat: 'native',
          activatesAt: '2026-01-01T00:00:00.000Z',
          summary: {
            destinations: 5,
            prefixes: 7,
            rates: 7,
            timeBands: 4,
            ratingPlans: 3,
            ratingProfiles: 3,
            ratingTenants: ['demo'],
          },
        },
      ],
    });
    expect(tariff.versions[0].documentSha256).toMatch(/^[0-9a-f]{64}$/);

    const read = await get(h.app, `/v1/tariffs/${tariff.id}`, reader());
    const { warnings: _warnings, ...detail } = tariff;
    expect(read.json()).toEqual(detail);

    const version = await get(h.app, `/v1/tariffs/${tariff.id}/versions/1`, reader());
    expect(version.statusCode).toBe(200);
    expect(version.json().document).toEqual(demo);
    expect((await get(h.app, `/v1/tariffs/${tariff.id}/versions/2`, reader())).statusCode).toBe(404);

    const listed = await get(h.app, `/v1/tariffs?code=${code}`, reader());
    expect(listed.json()).toMatchObject({
      items: [{ id: tariff.id, code, activeVersion: 1, latestVersion: 1 }],
      nextCursor: null,
    });
  });

  it('audits every write with a summary and the hash of the document, never the document', async () => {
    const code = uniqueCode('audited');
    const tariff = (await createTariff({ code, name: 'Audited', document: demo })).json();
    const added = await post(h.app, `/v1/tariffs/${tariff.id}/versions`, operator(), { document: demo });
    expect(added.statusCode).toBe(201);
    const entries = await h.database.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('object_id', '=', tariff.id)
      .orderBy('sequence')
      .execute();
    expect(entries.map((e) => e.action)).toEqual(['tariff.created', 'tariff.version_added']);
    for (const entry of entries) {
      expect(entry.after).toMatchObject({ code, documentSha256: tariff.versions[0].documentSha256 });
      expect(JSON.stringify(entry.after)).not.toContain('LOCAL_PEAK');
    }
    expect(entries[1]?.after).toMatchObject({ version: 2, summary: { rates: 7 } });
    expect((await verifyAuditChain(h.database.db)).breaks).toEqual([]);
  });

  it('rejects a broken native tariff whole, listing every problem at its path', async () => {
    const code = uniqueCode('broken');
    const [firstRate, ...otherRates] = demo.rates;
    const broken = {
      ...demo,
      currency: 'EURO',
      rates: [{ ...firstRate, groups: [{ price: '0.05', per: '60s', increment: 'soon' }] }, ...otherRates],
      ratingPlans: demo.ratingPlans.map((plan, i) =>
        i === 0 ? { ...plan, bindings: [{ destination: 'NOWHERE', rate: 'LOCAL_PEAK' }] } : plan,
      ),
    };
    const structural = await createTariff({ code, name: 'Broken', document: broken });
    expect(structural.statusCode).toBe(422);
    expect(structural.headers['content-type']).toContain('application/problem+json');
    expect(structural.json()).toMatchObject({
      code: 'unprocessable',
      errors: expect.arrayContaining([expect.objectContaining({ field: '/document/currency' })]),
    });

    const semantic = await createTariff({
      code,
      name: 'Broken',
      document: { ...broken, currency: 'EUR' },
    });
    expect(semantic.statusCode).toBe(422);
    const fields = semantic.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        '/document/rates/0/groups/0/increment',
        '/document/ratingPlans/0/bindings/0/destination',
      ]),
    );
    expect(semantic.json().detail).toMatch(/problems/);
    expect((await get(h.app, `/v1/tariffs?code=${code}`, reader())).json().items).toEqual([]);
  });

  it('answers documents that are no tariff at all with 422, never 5xx', async () => {
    for (const document of [null, 'tariff', [], { ...demo, name: 'nul \u0000 inside' }]) {
      const response = await createTariff({ code: uniqueCode('odd'), name: 'Odd', document });
      expect([response.statusCode, response.json().code]).toEqual([422, 'unprocessable']);
      expect(response.json().errors.length).toBeGreaterThan(0);
    }
  });

  it('answers a malformed tariff request with 400 naming the field', async () => {
    const code = uniqueCode('shape');
    const cases: [object, string][] = [
      [{ code, name: 'X' }, '/document'],
      [{ code, name: 'X', format: 'cgrates' }, '/files'],
      [{ code, name: 'X', document: demo, files: { 'Rates.csv': '' } }, '/files'],
      [{ code, name: 'X', format: 'cgrates', files: {}, document: demo }, '/document'],
      [{ code: 'has space', name: 'X', document: demo }, '/code'],
      [{ code, name: 'X', document: demo, activatesAt: 'tomorrow' }, '/activatesAt'],
      [{ code, name: 'X', document: demo, extra: 1 }, '/extra'],
    ];
    for (const [body, field] of cases) {
      const response = await createTariff(body);
      expect([response.statusCode, response.json().code], JSON.stringify(body).slice(0, 80)).toEqual([
        400,
        'validation_failed',
      ]);
      expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
  });

  it('refuses a second tariff with the same code: 409', async () => {
    const code = uniqueCode('twice');
    expect((await createTariff({ code, name: 'Once', document: demo })).statusCode).toBe(201);
    const again = await createTariff({ code, name: 'Twice', document: demo });
    expect([again.statusCode, again.json().code]).toEqual([409, 'conflict']);
  });

  it('prices with the version in effect at the answer time; versions are immutable', async () => {
    const code = uniqueCode('versioned');
    const tariff = (
      await createTariff({ code, name: 'Versioned', activatesAt: '2020-01-01T00:00:00Z', document: demo })
    ).json();
    const v2 = await post(h.app, `/v1/tariffs/${tariff.id}/versions`, operator(), {
      activatesAt: '2100-01-01T00:00:00Z',
      document: withLocalPeakPrice(demo, '0.10'),
    });
    expect(v2.statusCode).toBe(201);
    expect(v2.json()).toMatchObject({ version: 2, activatesAt: '2100-01-01T00:00:00.000Z', warnings: [] });

    const before = await quote({
      tariffId: tariff.id,
      ...PEAK_CALL,
      answerTime: '2099-12-30T09:15:00+01:00',
    });
    expect(before.statusCode).toBe(200);
    // 0.02 + 0.05 (first minute) + 70 s × 0.05/60 = 0.128333…, half-up to 4 decimals.
    expect(before.json()).toMatchObject({
      cost: '0.1283',
      currency: 'EUR',
      ratingTenant: 'demo',
      tariff: { id: tariff.id, version: 1 },
      plan: null,
    });
    const after = await quote({ tariffId: tariff.id, ...PEAK_CALL, answerTime: '2100-01-05T09:15:00+01:00' });
    // 0.02 + 0.10 + 70 s × 0.10/60 = 0.236666…
    expect(after.json()).toMatchObject({ cost: '0.2367', tariff: { id: tariff.id, version: 2 } });
    expect(after.json().tariff.versionId).toBe(v2.json().id);
    // Both versions are compiled once and kept, by their immutable ids.
    expect(compiledTariffCache.has(before.json().tariff.versionId)).toBe(true);
    expect(compiledTariffCache.has(v2.json().id)).toBe(true);

    const detail = (await get(h.app, `/v1/tariffs/${tariff.id}`, reader())).json();
    expect(detail).toMatchObject({ activeVersion: 1, latestVersion: 2 });
    expect(detail.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);

    const tooEarly = await quote({ tariffId: tariff.id, ...PEAK_CALL, answerTime: '2019-06-03T09:15:00Z' });
    expect([tooEarly.statusCode, tooEarly.json().code]).toEqual([422, 'unprocessable']);

    await expect(
      h.database.db
        .updateTable('tariff_versions')
        .set({ version: 9 })
        .where('tariff_id', '=', tariff.id)
        .execute(),
    ).rejects.toThrow(/immutable/);
    await expect(
      h.database.db.deleteFrom('tariff_versions').where('tariff_id', '=', tariff.id).execute(),
    ).rejects.toThrow(/immutable/);
  });

  it('keeps one currency per tariff across versions', async () => {
    const tariff = (await createTariff({ code: uniqueCode('eur'), name: 'EUR', document: demo })).json();
    const usd = await post(h.app, `/v1/tariffs/${tariff.id}/versions`, operator(), {
      document: { ...demo, currency: 'USD' },
    });
    expect(usd.statusCode).toBe(422);
    expect(usd.json().errors).toEqual([expect.objectContaining({ field: '/document/currency' })]);
  });

  it('explains a quote, and answers a rating error with 422 and its code', async () => {
    const tariff = (
      await createTariff({ code: uniqueCode('explained'), name: 'X', activatesAt: SINCE, document: demo })
    ).json();
    const quoted = await quote({
      tariffId: tariff.id,
      category: 'sms',
      destination: '+4915112345678',
      answerTime: '2026-03-09T10:00:00+01:00',
      usage: 1,
    });
    expect(quoted.statusCode).toBe(200);
    expect(quoted.json()).toMatchObject({
      cost: '0.09',
      subject: '*any',
      explanation: {
        tenant: 'demo',
        category: 'sms',
        profile: { ratingPlan: 'SMS' },
        spans: [{ rate: 'SMS', price: '0.09' }],
        cost: '0.09',
      },
    });

    const unknown = await quote({
      tariffId: tariff.id,
      ...PEAK_CALL,
      category: 'fax',
      answerTime: '2026-03-09T10:00:00Z',
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({
      code: 'unprocessable',
      detail: expect.stringContaining('no_rating_profile'),
      ratingError: { code: 'no_rating_profile' },
    });

    const badUsage = await quote({
      tariffId: tariff.id,
      ...PEAK_CALL,
      usage: '2 fortnights',
      answerTime: '2026-03-09T10:00:00Z',
    });
    expect([badUsage.statusCode, badUsage.json().errors[0].field]).toEqual([400, '/usage']);
    const neither = await quote({ ...PEAK_CALL, answerTime: '2026-03-09T10:00:00Z' });
    expect([neither.statusCode, neither.json().errors[0].field]).toEqual([400, '/tariffId']);
  });

  it('asks for the rating tenant when the tariff names several', async () => {
    const twoTenants = {
      ...demo,
      ratingProfiles: [...demo.ratingProfiles, { ...demo.ratingProfiles[0]!, tenant: 'reseller' }],
    };
    const tariff = (
      await createTariff({ code: uniqueCode('two'), name: 'Two', activatesAt: SINCE, document: twoTenants })
    ).json();
    const request = { tariffId: tariff.id, ...PEAK_CALL, answerTime: '2026-03-09T09:15:00+01:00' };
    const ambiguous = await quote(request);
    expect([ambiguous.statusCode, ambiguous.json().errors[0].field]).toEqual([400, '/ratingTenant']);
    const named = await quote({ ...request, ratingTenant: 'reseller' });
    expect(named.json()).toMatchObject({ cost: '0.1283', ratingTenant: 'reseller' });
  });

  describe.skipIf(!HAS_CONFORMANCE)(
    `from a CGRateS tariff plan ${HAS_CONFORMANCE ? '' : CONFORMANCE_SKIP_REASON}`,
    () => {
      it('imports tutorial2 and quotes 1001 -> 1002 for 45 s at 0.55', async () => {
        const code = uniqueCode('tutorial2');
        const created = await createTariff({
          code,
          name: 'CGRateS tutorial2',
          activatesAt: '2019-01-01T00:00:00Z',
          format: 'cgrates',
          files: await cgratesFiles(TUTORIAL2),
        });
        expect(created.statusCode).toBe(201);
        const tariff = created.json();
        expect(tariff).toMatchObject({
          currency: 'EUR',
          versions: [{ sourceFormat: 'cgrates', summary: { ratingTenants: ['cgrates.org'] } }],
        });
        expect(tariff.warnings).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ field: expect.stringMatching(/^\/files\/Rates\.csv:\d+/) }),
          ]),
        );
        const document = (await get(h.app, `/v1/tariffs/${tariff.id}/versions/1`, reader())).json().document;
        expect(document).toMatchObject({ id: code, currency: 'EUR', timeZone: 'Europe/Berlin' });

        const quoted = await quote({
          tariffId: tariff.id,
          category: 'call',
          subject: '1001',
          destination: '1002',
          answerTime: '2019-03-11T09:00:00Z',
          usage: '45s',
        });
        expect(quoted.statusCode).toBe(200);
        expect(quoted.json()).toMatchObject({
          cost: '0.55',
          currency: 'EUR',
          ratingTenant: 'cgrates.org',
          explanation: { ratedSubject: '1001', cost: '0.55' },
        });
        const noRate = await quote({
          tariffId: tariff.id,
          category: 'call',
          subject: '1001',
          destination: '4003',
          answerTime: '2019-03-11T09:00:00Z',
          usage: '1m',
        });
        expect(noRate.json()).toMatchObject({
          status: 422,
          ratingError: { code: 'no_rate_for_destination' },
        });
      });

      it('rejects broken CSV files, naming file and line', async () => {
        const files = await cgratesFiles(TUTORIAL2);
        const code = uniqueCode('broken-csv');
        const broken = await createTariff({
          code,
          name: 'Broken CSV',
          format: 'cgrates',
          files: { ...files, 'Rates.csv': `${files['Rates.csv']}RT_BAD,0,abc,60s,60s,0s\n`, 'Extra.csv': '' },
        });
        expect(broken.statusCode).toBe(422);
        expect(broken.json().errors).toEqual([expect.objectContaining({ field: '/files/Extra.csv' })]);

        const { 'RatingPlans.csv': _plans, ...missingPlans } = files;
        const badRate = await createTariff({
          code,
          name: 'Broken CSV',
          format: 'cgrates',
          files: { ...missingPlans, 'Rates.csv': `${files['Rates.csv']}RT_BAD,0,abc,60s,60s,0s\n` },
        });
        expect(badRate.statusCode).toBe(422);
        expect(badRate.json().errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ field: '/files/RatingPlans.csv' })]),
        );
        const onlyBadRate = await createTariff({
          code,
          name: 'Broken CSV',
          format: 'cgrates',
          files: { ...files, 'Rates.csv': `${files['Rates.csv']}RT_BAD,0,abc,60s,60s,0s\n` },
        });
        expect(onlyBadRate.statusCode).toBe(422);
        expect(onlyBadRate.json().errors).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ field: expect.stringMatching(/^\/files\/Rates\.csv:\d+:Rate$/) }),
          ]),
        );
      });
    },
  );

  it("hides another tenant's tariffs: 404, never 403", async () => {
    const tariff = (
      await createTariff({ code: uniqueCode('mine'), name: 'Mine', activatesAt: SINCE, document: demo })
    ).json();
    const theirs = h.otherTenant.keys.admin;
    expect((await get(h.app, `/v1/tariffs/${tariff.id}`, theirs)).statusCode).toBe(404);
    expect((await get(h.app, `/v1/tariffs/${tariff.id}/versions/1`, theirs)).statusCode).toBe(404);
    const version = await post(h.app, `/v1/tariffs/${tariff.id}/versions`, theirs, { document: demo });
    expect(version.statusCode).toBe(404);
    const quoted = await post(h.app, '/v1/rating/quote', theirs, {
      tariffId: tariff.id,
      ...PEAK_CALL,
      answerTime: '2026-03-09T09:15:00+01:00',
    });
    expect(quoted.statusCode).toBe(404);
    expect((await get(h.app, '/v1/tariffs?limit=200', theirs)).json().items).toEqual([]);
  });

  it('lets a read-only key read and quote, but not write: 403', async () => {
    const refused = await createTariff({ code: uniqueCode('ro'), name: 'RO', document: demo }, reader());
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'forbidden']);
    const tariff = (
      await createTariff({ code: uniqueCode('rw'), name: 'RW', activatesAt: SINCE, document: demo })
    ).json();
    const version = await post(h.app, `/v1/tariffs/${tariff.id}/versions`, reader(), { document: demo });
    expect(version.statusCode).toBe(403);
    const quoted = await quote({
      tariffId: tariff.id,
      ...PEAK_CALL,
      answerTime: '2026-03-09T09:15:00+01:00',
    });
    expect(quoted.statusCode).toBe(200);
    expect((await h.app.inject({ url: '/v1/tariffs' })).statusCode).toBe(401);
  });

  it('replays a tariff POST with the same Idempotency-Key, storing it once', async () => {
    const code = uniqueCode('idem');
    const body = { code, name: 'Idempotent', document: demo };
    const headers = { 'idempotency-key': `tariff-${code}` };
    const first = await createTariff(body, operator(), headers);
    const second = await createTariff(body, operator(), headers);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toBe(first.body);
    expect((await get(h.app, `/v1/tariffs?code=${code}`, reader())).json().items).toHaveLength(1);
  });

  it('pages through tariffs with cursors', async () => {
    const prefix = uniqueCode('page');
    for (let i = 0; i < 3; i++)
      await createTariff({ code: `${prefix}-${i}`, name: `Page ${i}`, document: demo });
    const codes: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/v1/tariffs?limit=2&order=desc${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await get(h.app, url, reader())).json();
      codes.push(...page.items.map((t: { code: string }) => t.code));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 100);
    expect(codes.slice(0, 3)).toEqual([`${prefix}-2`, `${prefix}-1`, `${prefix}-0`]);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('documents the catalog in the OpenAPI document', async () => {
    const openapi = (await h.app.inject({ url: '/openapi.json' })).json();
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining([
        '/v1/tariffs',
        '/v1/tariffs/{id}',
        '/v1/tariffs/{id}/versions',
        '/v1/tariffs/{id}/versions/{version}',
        '/v1/plans',
        '/v1/plans/{id}',
        '/v1/plans/{id}/versions',
        '/v1/rating/quote',
      ]),
    );
  });
});
