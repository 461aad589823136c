import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { keysetPage } from '../db/keyset-page.js';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, Page, PageQuery, pageOf } from '../http/pagination.js';
import { HttpProblem } from '../http/problem.js';
import { addTariffVersion } from './add-tariff-version.js';
import { instantOf, issuesProblem } from './catalog-problems.js';
import { createTariff } from './create-tariff.js';
import type { TariffSource } from './prepare-tariff-document.js';
import {
  type AddTariffVersionBody,
  AddTariffVersionBody as AddTariffVersionBodySchema,
  CreatedTariffSchema,
  CreatedTariffVersionSchema,
  CreateTariffBody,
  TariffDetailSchema,
  TariffListQuery,
  TariffSchema,
  TariffVersionWithDocumentSchema,
} from './tariff-schemas.js';
import {
  findTariff,
  findTariffVersionDocument,
  listTariffVersions,
  toTariffDetail,
  toTariffItem,
  toTariffVersion,
} from './tariff-store.js';

/**
 * Tariff uploads carry whole decks (a CGRateS deck with every destination of the world runs to
 * megabytes), so their routes accept larger bodies than the API's default.
 */
export const TARIFF_BODY_LIMIT_BYTES = 32 * 1024 * 1024;

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
/** A version is named by its number; a segment that is no version number names no version (404). */
const VersionParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  version: Type.String({ maxLength: 64, description: 'the version number: 1, 2, 3, ...' }),
});
const VERSION_NUMBER = /^[1-9]\d{0,8}$/;
const tags = ['catalog'];

export function tariffRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
  return async (app) => {
    app.post(
      '/v1/tariffs',
      {
        bodyLimit: TARIFF_BODY_LIMIT_BYTES,
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Create a tariff with its first version (native document or CGRateS files)',
          body: CreateTariffBody,
          response: { 201: CreatedTariffSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const { code, name } = request.body;
        const input = { code, name, ...versionInput(request.body) };
        const result = await createTariff(db, auth.tenantId, auth.actor, input, now());
        if (result.ok) return reply.status(201).send({ ...result.tariff, warnings: [...result.warnings] });
        if (result.code === 'code_taken')
          throw new HttpProblem('conflict', result.message, [{ field: '/code', message: result.message }]);
        throw issuesProblem('unprocessable', 'the tariff is not valid', result.issues);
      },
    );

    app.post(
      '/v1/tariffs/:id/versions',
      {
        bodyLimit: TARIFF_BODY_LIMIT_BYTES,
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Add a version to a tariff, applying from its activation time',
          params: IdParams,
          body: AddTariffVersionBodySchema,
          response: { 201: CreatedTariffVersionSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const input = versionInput(request.body);
        const result = await addTariffVersion(db, auth.tenantId, auth.actor, request.params.id, input, now());
        if (result.ok) return reply.status(201).send({ ...result.version, warnings: [...result.warnings] });
        if (result.code === 'not_found') throw new HttpProblem('not_found', `no tariff ${request.params.id}`);
        throw issuesProblem('unprocessable', 'the tariff is not valid', result.issues);
      },
    );

    app.get(
      '/v1/tariffs/:id',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'Read a tariff and its versions (without documents)',
          params: IdParams,
          response: { 200: TariffDetailSchema },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const tariff = await findTariff(db, tenantId, request.params.id);
        if (tariff === undefined) throw new HttpProblem('not_found', `no tariff ${request.params.id}`);
        return toTariffDetail(tariff, await listTariffVersions(db, tenantId, [tariff.id]), now());
      },
    );

    app.get(
      '/v1/tariffs/:id/versions/:version',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'Read one version of a tariff with its document',
          params: VersionParams,
          response: { 200: TariffVersionWithDocumentSchema },
        },
      },
      async (request) => {
        const { id, version } = request.params;
        const row = VERSION_NUMBER.test(version)
          ? await findTariffVersionDocument(db, authOf(request).tenantId, id, Number(version))
          : undefined;
        if (row === undefined) throw new HttpProblem('not_found', `no version ${version} of tariff ${id}`);
        return { ...toTariffVersion(row), document: row.document };
      },
    );

    app.get(
      '/v1/tariffs',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'List tariffs',
          querystring: Type.Composite([PageQuery, TariffListQuery], { additionalProperties: false }),
          response: { 200: Page(TariffSchema) },
        },
      },
      async (request) => {
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'asc', code } = request.query;
        const tenantId = authOf(request).tenantId;
        const after = decodeCursor(cursor);
        let query = db.selectFrom('tariffs').selectAll().where('tenant_id', '=', tenantId);
        if (code !== undefined) query = query.where('code', '=', code);
        const rows = await keysetPage(query, after, order, limit + 1).execute();
        const versions = await listTariffVersions(
          db,
          tenantId,
          rows.slice(0, limit).map((row) => row.id),
        );
        const at = now();
        return pageOf(rows, limit, (row) =>
          toTariffItem(
            row,
            versions.filter((version) => version.tariff_id === row.id),
            at,
          ),
        );
      },
    );
  };
}

/** The version part of a request: which source, and when it applies. Shape errors are 400. */
function versionInput(body: AddTariffVersionBody): { activatesAt: Date | undefined; source: TariffSource } {
  const activatesAt =
    body.activatesAt === undefined ? undefined : instantOf(body.activatesAt, '/activatesAt');
  const format = body.format ?? 'native';
  const misplaced = format === 'native' ? 'files' : 'document';
  const needed = format === 'native' ? 'document' : 'files';
  if (body[misplaced] !== undefined) {
    const message = `a ${format} tariff comes in "${needed}", not "${misplaced}"`;
    throw new HttpProblem('validation_failed', message, [{ field: `/${misplaced}`, message }]);
  }
  if (format === 'native') {
    if (body.document === undefined) throw missing('/document', 'a native tariff needs its document');
    return { activatesAt, source: { format, document: body.document } };
  }
  if (body.files === undefined) throw missing('/files', 'a CGRateS tariff needs its CSV files');
  return { activatesAt, source: { format, files: new Map(Object.entries(body.files)) } };
}

function missing(field: string, message: string): HttpProblem {
  return new HttpProblem('validation_failed', message, [{ field, message }]);
}
