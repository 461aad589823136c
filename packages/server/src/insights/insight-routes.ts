import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { isoDateOfDay } from '@tollgate/core';
import type { Kysely } from 'kysely';
import type { AccountRow } from '../accounts/account-store.js';
import type { Database } from '../db/database-schema.js';
import { accountOrNotFound } from '../http/account-or-not-found.js';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { failureProblem } from '../http/failure-problem.js';
import { HttpProblem } from '../http/problem.js';
import { accountCalendarOf } from './account-calendar.js';
import { isLineOfAccount, loadAccountLines } from './account-lines.js';
import { CycleOverviewSchema } from './cycle-overview-schemas.js';
import { type LocalDayRange, localDayRangeOf } from './local-day-range.js';
import { readCycleOverview } from './read-cycle-overview.js';
import { summariseUsage } from './summarise-usage.js';
import { USAGE_CSV_COLUMNS, usageCsvChunks } from './usage-csv-chunks.js';
import { MAX_SUMMARY_DAYS, UsageRangeQuery, UsageSummarySchema } from './usage-summary-schemas.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const tags = ['insights'];
/** A signed-in customer reaches these for their own accounts (the gate in http/authenticate.ts). */
const OWN_ACCOUNT = { kind: 'account', param: 'id' } as const;

/**
 * What the portal and the operator console show of an account's usage and cycle: a usage
 * summary, the current cycle with an estimate, and the rated usage as a CSV file.
 */
export function insightRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
  return async (app) => {
    app.get(
      '/v1/accounts/:id/usage-summary',
      {
        config: { role: 'support', customerAccess: OWN_ACCOUNT },
        schema: {
          tags,
          summary: "An account's usage per day, per hour of the day, per service and top destinations",
          description: `Local days in the account's time zone, \`to\` included, at most ${MAX_SUMMARY_DAYS}; by default the current bill cycle so far. Counts rated records (a rerated record once) and online charging sessions not yet reconciled with a record; amounts are what the usage costs after allowances.`,
          params: IdParams,
          querystring: UsageRangeQuery,
          response: { 200: UsageSummarySchema },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const account = await accountOrNotFound(db, tenantId, request.params.id);
        const subscriptionId = request.query.subscriptionId ?? null;
        await checkLine(db, tenantId, account, subscriptionId);
        const range = rangeOf(account, request.query, now());
        return summariseUsage(db, tenantId, account, range, subscriptionId);
      },
    );

    app.get(
      '/v1/accounts/:id/cycle-overview',
      {
        config: { role: 'read-only', customerAccess: OWN_ACCOUNT },
        schema: {
          tags,
          summary:
            "An account's current bill cycle: spend so far, an estimate for its end, allowances, balance, alerts",
          description:
            "The estimate is the cycle's recurring fees plus the usage so far scaled linearly (× days total ÷ days elapsed, today counted), rounded to the currency's minor unit. Taxes, discounts and one-time charges are left to the invoice.",
          params: IdParams,
          response: { 200: CycleOverviewSchema },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const account = await accountOrNotFound(db, tenantId, request.params.id);
        const result = await readCycleOverview(db, tenantId, account, now());
        if (!result.ok) throw failureProblem(result);
        return result.overview;
      },
    );

    app.get(
      '/v1/accounts/:id/usage.csv',
      {
        config: { role: 'support', customerAccess: OWN_ACCOUNT },
        schema: {
          tags,
          summary: "An account's rated usage as a CSV file",
          description: `text/csv (RFC 4180, UTF-8, CRLF), a header line then one line per rated record by time: ${USAGE_CSV_COLUMNS.join(', ')}. Times are local with their UTC offset; a reversal of a rerated record is negative; usage an online session charged without a record yet is \`online\`. Same period rules as the usage summary.`,
          params: IdParams,
          querystring: UsageRangeQuery,
          produces: ['text/csv'],
          response: {
            200: {
              description: 'the CSV file, as an attachment',
              content: { 'text/csv': { schema: Type.Unknown({ description: 'RFC 4180 text, UTF-8' }) } },
            },
          },
        },
      },
      async (request, reply) => {
        const tenantId = authOf(request).tenantId;
        const account = await accountOrNotFound(db, tenantId, request.params.id);
        const subscriptionId = request.query.subscriptionId ?? null;
        await checkLine(db, tenantId, account, subscriptionId);
        const range = rangeOf(account, request.query, now());
        const calendar = accountCalendarOf(account);
        const labels = new Map(
          (await loadAccountLines(db, tenantId, account.id)).map((l) => [l.id, l.label]),
        );
        const scope = { tenantId, accountId: account.id, subscriptionId, from: range.from, to: range.to };
        const name = `usage-${account.account_number}-${isoDateOfDay(range.fromDay)}-${isoDateOfDay(range.toDay - 1)}.csv`;
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(Readable.from(usageCsvChunks(db, scope, calendar, labels)));
      },
    );
  };
}

function rangeOf(
  account: AccountRow,
  query: { readonly from?: string | undefined; readonly to?: string | undefined },
  now: Date,
): LocalDayRange {
  const range = localDayRangeOf(query, accountCalendarOf(account), now, MAX_SUMMARY_DAYS);
  if (!range.ok) throw failureProblem(range);
  return range;
}

/** A line filter must name a line of the account: another account's line is not found here. */
async function checkLine(
  db: Kysely<Database>,
  tenantId: string,
  account: AccountRow,
  subscriptionId: string | null,
): Promise<void> {
  if (subscriptionId === null) return;
  if (!(await isLineOfAccount(db, tenantId, account.id, subscriptionId)))
    throw new HttpProblem('not_found', `no subscription ${subscriptionId} on account ${account.id}`);
}
