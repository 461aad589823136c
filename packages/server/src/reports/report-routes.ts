import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { HttpProblem } from '../http/problem.js';
import { findReport, listReports } from './report-catalogue.js';
import { reportCsv, reportFileName } from './report-csv.js';
import { localToday, scopeOf } from './report-parameters.js';
import { ReportListSchema, ReportParams, ReportQuerySchema, ReportTableSchema } from './report-schemas.js';
import { runReport } from './run-report.js';

const tags = ['reports'];

/** The named reports of the operator's tenant, as JSON tables or CSV files. */
export function reportRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
  return async (app) => {
    app.get(
      '/v1/reports',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'The reports there are, with the parameters each takes',
          response: { 200: ReportListSchema },
        },
      },
      async () => ({
        items: listReports({ acrossTenants: false }).map((r) => ({
          name: r.name,
          title: r.title,
          description: r.description,
          parameters: [...r.parameters],
        })),
      }),
    );

    app.get(
      '/v1/reports/:name',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'One report as a table (JSON) or a CSV file',
          description:
            "Local days of the tenant's time zone, `from` and `to` included, by default the last 12 whole months. Read from summary tables kept as usage is rated and invoices and payments are recorded. format=csv answers text/csv (RFC 4180) with a header of the column labels, as an attachment.",
          params: ReportParams,
          querystring: ReportQuerySchema,
          produces: ['application/json', 'text/csv'],
          response: {
            200: {
              description: 'the report',
              content: {
                'application/json': { schema: ReportTableSchema },
                'text/csv': { schema: Type.Unknown({ description: 'RFC 4180 text, UTF-8' }) },
              },
            },
          },
        },
      },
      async (request, reply) => {
        const tenantId = authOf(request).tenantId;
        const report = findReport(request.params.name, { acrossTenants: false });
        if (report === undefined) throw new HttpProblem('not_found', `no report ${request.params.name}`);
        const today = localToday(now(), await tenantZone(db, tenantId));
        const scoped = scopeOf(report, request.query, tenantId, today);
        if (!scoped.ok) {
          const errors = scoped.errors.map((e) => ({ field: `querystring:${e.field}`, message: e.message }));
          throw new HttpProblem(
            'validation_failed',
            errors.map((e) => `${e.field}: ${e.message}`).join('; '),
            errors,
          );
        }
        const table = await runReport(db, report, scoped.scope, now());
        if (request.query.format !== 'csv') return table;
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${reportFileName(table, 'csv')}"`)
          .send(reportCsv(table));
      },
    );
  };
}

async function tenantZone(db: Kysely<Database>, tenantId: string): Promise<string> {
  const tenant = await db
    .selectFrom('tenants')
    .select('time_zone')
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return tenant.time_zone;
}
