import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { FraudMonitor } from '../fraud/fraud-monitor.js';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, Page, PageQuery, pageOf } from '../http/pagination.js';
import { HttpProblem } from '../http/problem.js';
import { ThresholdEvaluator } from '../notifications/thresholds/threshold-evaluator.js';
import { changeSuspendedRecord } from './change-suspended-record.js';
import { explainRatedUsage } from './explain-rated-usage.js';
import {
  RatedUsageSchema,
  RecordUsageBody,
  RecordUsageResponse,
  ReprocessBody,
  ReprocessSummarySchema,
  RerateBody,
  RerateReportSchema,
  SaveUsageSourceBody,
  SuspendedRecordSchema,
  SuspenseAttemptSchema,
  UsageFileSchema,
  UsageSourceSchema,
} from './mediation-schemas.js';
import {
  ratedUsageView,
  suspendedRecordView,
  suspenseAttemptView,
  usageFileView,
  usageSourceView,
} from './mediation-views.js';
import {
  decodeRatedUsageCursor,
  encodeRatedUsageCursor,
  listFileRuns,
  listRatedUsage,
} from './rated-usage-store.js';
import { recordUsageEvents } from './record-usage-events.js';
import { reprocessSuspendedRecords } from './reprocess-suspended-records.js';
import { rerateReportView, rerateUsage } from './rerate-usage.js';
import { saveUsageSource } from './save-usage-source.js';
import { findSuspendedRecord, listSuspendedRecords, suspendedRecordOf } from './suspense-store.js';
import { fileRunOf } from './usage-file-store.js';
import { API_SOURCE_NAME, findUsageSource, listUsageSources } from './usage-source-store.js';

const tags = ['usage'];
const SourceParams = Type.Object({ name: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,62}$' }) });
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
/** Rated usage ids are int8; any other text names no record (404, as an unknown number does). */
const RatedIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const RATED_ID = /^[0-9]{1,18}$/;

/** Mediation: usage sources, usage events, file runs, rated usage, suspense and rerating. */
export function mediationRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db } = context;

  const sourceIdOf = async (tenantId: string, name: string | undefined) => {
    if (name === undefined) return undefined;
    const source = await findUsageSource(db, tenantId, name);
    if (source === undefined) throw new HttpProblem('not_found', `no usage source ${name}`);
    return source.id;
  };
  return async (app) => {
    // Bill-shock thresholds of the accounts a batch of events charged, after it commits.
    const thresholds = new ThresholdEvaluator(db, context.now, (error) =>
      app.log.error({ err: error }, 'threshold evaluation failed'),
    );
    const fraud = new FraudMonitor(db, context.now, (error) =>
      app.log.error({ err: error }, 'fraud evaluation failed'),
    );
    app.put(
      '/v1/usage-sources/:name',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Create a usage source, or replace its settings',
          description:
            'A source is where usage comes from (a switch, an SBC, the API) and how its records read: the format (csv with a column mapping, asterisk, freeswitch, jsonl), the time zone of its times, the identifier kind of its subscribers. Record keys are unique per source.',
          params: SourceParams,
          body: SaveUsageSourceBody,
          response: { 200: UsageSourceSchema, 201: UsageSourceSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await saveUsageSource(db, auth.tenantId, auth.actor, {
          name: request.params.name,
          profile: request.body.profile,
          numbering: request.body.numbering,
        });
        if (!result.ok) throw new HttpProblem('validation_failed', result.message);
        return reply.status(result.created ? 201 : 200).send(usageSourceView(result.source));
      },
    );

    app.get(
      '/v1/usage-sources',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'List usage sources',
          response: { 200: Type.Object({ items: Type.Array(UsageSourceSchema) }) },
        },
      },
      async (request) => ({
        items: (await listUsageSources(db, authOf(request).tenantId)).map(usageSourceView),
      }),
    );

    app.get(
      '/v1/usage-sources/:name',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'Read a usage source',
          params: SourceParams,
          response: { 200: UsageSourceSchema },
        },
      },
      async (request) => {
        const source = await findUsageSource(db, authOf(request).tenantId, request.params.name);
        if (source === undefined)
          throw new HttpProblem('not_found', `no usage source ${request.params.name}`);
        return usageSourceView(source);
      },
    );

    app.post(
      '/v1/usage',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Record a batch of usage events',
          description:
            'Rates and stores the events in one transaction. Each event is idempotent by its id within its source: sent again it is a `duplicate` pointing at the usage stored the first time. An event that cannot be rated (unknown subscriber, no rate) is `suspended` with its reason and kept for reprocessing; the others load.',
          body: RecordUsageBody,
          response: { 200: RecordUsageResponse },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await recordUsageEvents(
          db,
          auth.tenantId,
          auth.actor,
          { sourceName: request.body.source ?? API_SOURCE_NAME, events: request.body.events },
          undefined,
          async (touched) => {
            await thresholds.afterUsage(touched);
            await fraud.afterUsage(touched);
          },
        );
        if (!result.ok) throw new HttpProblem('not_found', result.message);
        const count = (status: string) => result.results.filter((r) => r.status === status).length;
        const counts = {
          loaded: count('loaded'),
          duplicate: count('duplicate'),
          suspended: count('suspended'),
          skipped: count('skipped'),
        };
        context.metrics?.usage.batchStored('api', counts);
        return { ...counts, results: [...result.results] };
      },
    );

    app.get(
      '/v1/usage-files',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'List usage file runs with their summaries',
          querystring: Type.Intersect([
            PageQuery,
            Type.Object({
              source: Type.Optional(Type.String()),
              status: Type.Optional(
                Type.Union([Type.Literal('loading'), Type.Literal('done'), Type.Literal('failed')]),
              ),
            }),
          ]),
          response: { 200: Page(UsageFileSchema) },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'asc', source, status } = request.query;
        const rows = await listFileRuns(
          db,
          tenantId,
          { sourceId: await sourceIdOf(tenantId, source), status },
          decodeCursor(cursor),
          order,
          limit + 1,
        );
        return pageOf(rows, limit, (row) => usageFileView(fileRunOf(row)));
      },
    );

    app.get(
      '/v1/usage-files/:id',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'Read a usage file run: read, loaded, duplicate, suspended, rated',
          params: IdParams,
          response: { 200: UsageFileSchema },
        },
      },
      async (request) => {
        const row = await db
          .selectFrom('usage_files')
          .selectAll()
          .where('tenant_id', '=', authOf(request).tenantId)
          .where('id', '=', request.params.id)
          .executeTakeFirst();
        if (row === undefined) throw new HttpProblem('not_found', `no usage file ${request.params.id}`);
        return usageFileView(fileRunOf(row));
      },
    );

    app.get(
      '/v1/rated-usage',
      {
        // A customer lists the usage of an account or a line of theirs, never the tenant's.
        config: {
          role: 'read-only',
          customerAccess: [
            { kind: 'account', param: 'accountId', in: 'query' },
            { kind: 'subscription', param: 'subscriptionId', in: 'query' },
          ],
        },
        schema: {
          tags,
          summary: 'List rated usage by start time: charges, and the reversals and new charges of reratings',
          querystring: Type.Object({
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: DEFAULT_PAGE_SIZE })),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
            accountId: Type.Optional(Type.String({ format: 'uuid' })),
            subscriptionId: Type.Optional(Type.String({ format: 'uuid' })),
            source: Type.Optional(Type.String()),
            fileId: Type.Optional(Type.String({ format: 'uuid' })),
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
          }),
          response: { 200: Page(RatedUsageSchema) },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const { limit = DEFAULT_PAGE_SIZE, cursor, source, from, to, ...filters } = request.query;
        const after = cursor === undefined ? null : decodeRatedUsageCursor(cursor);
        if (cursor !== undefined && after === null)
          throw new HttpProblem('invalid_cursor', 'the cursor is not valid');
        const rows = await listRatedUsage(
          db,
          tenantId,
          {
            ...filters,
            sourceId: await sourceIdOf(tenantId, source),
            from: from === undefined ? undefined : new Date(from),
            to: to === undefined ? undefined : new Date(to),
          },
          after,
          limit + 1,
        );
        const items = rows.slice(0, limit);
        const last = items[items.length - 1];
        return {
          items: items.map(ratedUsageView),
          nextCursor:
            rows.length > limit && last !== undefined
              ? encodeRatedUsageCursor({ startedAt: last.started_at, id: BigInt(last.id) })
              : null,
        };
      },
    );

    app.get(
      '/v1/rated-usage/:id',
      {
        config: { role: 'read-only', customerAccess: { kind: 'rated_usage', param: 'id' } },
        schema: {
          tags,
          summary: 'Read a rated record with its full explanation',
          description:
            'The explanation is the rating computed again from the stored request and immutable tariff version; `reproduced` says it gives the stored price.',
          params: RatedIdParams,
          response: {
            200: Type.Object({
              usage: RatedUsageSchema,
              explanation: Type.Unknown(),
              reproduced: Type.Boolean(),
            }),
          },
        },
      },
      async (request) => {
        const found = RATED_ID.test(request.params.id)
          ? await explainRatedUsage(db, authOf(request).tenantId, BigInt(request.params.id))
          : undefined;
        if (found === undefined) throw new HttpProblem('not_found', `no rated usage ${request.params.id}`);
        return {
          usage: ratedUsageView(found.row),
          explanation: found.explanation,
          reproduced: found.reproduced,
        };
      },
    );

    app.get(
      '/v1/suspended-records',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'List suspended records',
          querystring: Type.Intersect([
            PageQuery,
            Type.Object({
              status: Type.Optional(
                Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('discarded')]),
              ),
              source: Type.Optional(Type.String()),
              fileId: Type.Optional(Type.String({ format: 'uuid' })),
              reason: Type.Optional(Type.String({ maxLength: 64 })),
            }),
          ]),
          response: { 200: Page(SuspendedRecordSchema) },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'asc', source, ...filters } = request.query;
        const rows = await listSuspendedRecords(
          db,
          tenantId,
          { ...filters, sourceId: await sourceIdOf(tenantId, source) },
          { limit: limit + 1, after: decodeCursor(cursor), order },
        );
        return pageOf(rows, limit, (row) => suspendedRecordView(suspendedRecordOf(row)));
      },
    );

    app.get(
      '/v1/suspended-records/:id',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'Read a suspended record with every attempt to reprocess it',
          params: IdParams,
          response: {
            200: Type.Object({ record: SuspendedRecordSchema, attempts: Type.Array(SuspenseAttemptSchema) }),
          },
        },
      },
      async (request) => {
        const found = await findSuspendedRecord(db, authOf(request).tenantId, request.params.id);
        if (found === undefined)
          throw new HttpProblem('not_found', `no suspended record ${request.params.id}`);
        return {
          record: suspendedRecordView(found.record),
          attempts: found.attempts.map(suspenseAttemptView),
        };
      },
    );

    app.patch(
      '/v1/suspended-records/:id',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: "Edit an open suspended record's raw text (the original is kept)",
          params: IdParams,
          body: Type.Object(
            { raw: Type.String({ minLength: 1, maxLength: 65_536 }) },
            { additionalProperties: false },
          ),
          response: { 200: SuspendedRecordSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await changeSuspendedRecord(db, auth.tenantId, auth.actor, request.params.id, {
          kind: 'edit',
          raw: request.body.raw,
        });
        if (!result.ok)
          throw new HttpProblem(result.code === 'not_found' ? 'not_found' : 'conflict', result.message);
        return suspendedRecordView(result.record);
      },
    );

    app.post(
      '/v1/suspended-records/:id/discard',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Close an open suspended record without loading it',
          params: IdParams,
          body: Type.Object(
            { note: Type.String({ minLength: 1, maxLength: 500 }) },
            { additionalProperties: false },
          ),
          response: { 200: SuspendedRecordSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await changeSuspendedRecord(db, auth.tenantId, auth.actor, request.params.id, {
          kind: 'discard',
          note: request.body.note,
        });
        if (!result.ok)
          throw new HttpProblem(result.code === 'not_found' ? 'not_found' : 'conflict', result.message);
        return suspendedRecordView(result.record);
      },
    );

    app.post(
      '/v1/suspended-records/reprocess',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Reprocess open suspended records with the lines and catalog as they are now',
          body: ReprocessBody,
          response: { 200: ReprocessSummarySchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const { source, ...selection } = request.body;
        return reprocessSuspendedRecords(db, auth.tenantId, auth.actor, {
          ...selection,
          sourceId: await sourceIdOf(auth.tenantId, source),
        });
      },
    );

    app.post(
      '/v1/rerates',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Rerate usage after a tariff or plan correction',
          description:
            'Reverses the current charge of every record of the selection whose price changed and writes its new charge; reports the difference per account. Running the same rerate again changes nothing.',
          body: RerateBody,
          response: { 200: RerateReportSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const { source, from, to, ...rest } = request.body;
        const result = await rerateUsage(db, auth.tenantId, auth.actor, {
          ...rest,
          from: new Date(from),
          to: new Date(to),
          sourceId: await sourceIdOf(auth.tenantId, source),
        });
        if (!result.ok) throw new HttpProblem('validation_failed', result.message);
        return rerateReportView(result.report);
      },
    );
  };
}
