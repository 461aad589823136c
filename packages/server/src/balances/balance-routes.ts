import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { findAccount } from '../accounts/account-store.js';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, Page, pageOf } from '../http/pagination.js';
import { HttpProblem } from '../http/problem.js';
import { adjustBalance } from './adjust-balance.js';
import { autoRechargeRoutes } from './auto-recharge-routes.js';
import { balanceFailureProblem } from './balance-failure-problem.js';
import {
  AccountBalanceSchema,
  AdjustmentBody,
  AllowanceBody,
  AllowanceGrantSchema,
  LedgerPageQuery,
  LedgerTransactionSchema,
  ReversalBody,
  TopUpBody,
} from './balance-schemas.js';
import { grantAllowance } from './grant-allowance.js';
import { entriesOf, listLedgerTransactions, toLedgerTransaction } from './ledger-store.js';
import { readAccountBalance } from './read-account-balance.js';
import { reverseLedgerTransaction } from './reverse-ledger-transaction.js';
import { spendingCapRoutes } from './spending-cap-routes.js';
import { topUpAccount } from './top-up-account.js';
import { voucherRoutes } from './voucher-routes.js';

const AccountParams = Type.Object({ accountId: Type.String({ format: 'uuid' }) });
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const tags = ['balances'];

/**
 * Balances and the ledger outside charging: an account's buckets, top-ups, adjustments,
 * allowances, its ledger and reversals; with spending caps, vouchers and auto-recharge.
 */
export function balanceRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
  return async (app) => {
    app.get(
      '/v1/accounts/:accountId/balance',
      {
        config: { role: 'read-only', customerAccess: { kind: 'account', param: 'accountId' } },
        schema: {
          tags,
          summary: "An account's balance buckets and what it can spend",
          description:
            'Every bucket (the main money bucket, money and unit allowances) with its balance, what pending reservations hold, and what is available above its floor.',
          params: AccountParams,
          response: { 200: AccountBalanceSchema },
        },
      },
      async (request) => {
        const balance = await readAccountBalance(
          db,
          authOf(request).tenantId,
          request.params.accountId,
          now(),
        );
        if (balance === undefined)
          throw new HttpProblem('not_found', `no account ${request.params.accountId}`);
        return balance;
      },
    );

    app.post(
      '/v1/accounts/:accountId/topups',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: "Top up an account's main balance",
          description: 'Posts a topup transaction: the main bucket is credited from the top-up book.',
          params: AccountParams,
          body: TopUpBody,
          response: { 201: LedgerTransactionSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await topUpAccount(
          db,
          auth.tenantId,
          auth.actor,
          request.params.accountId,
          request.body,
          now(),
        );
        if (!result.ok) throw balanceFailureProblem(result);
        return reply.status(201).send(result.transaction);
      },
    );

    app.post(
      '/v1/accounts/:accountId/adjustments',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: "Adjust an account's main balance by hand",
          description:
            'A positive amount credits, a negative one debits the main bucket against the adjustment book. A debit below the floor (zero, or minus the credit limit) is refused with insufficient_balance.',
          params: AccountParams,
          body: AdjustmentBody,
          response: { 201: LedgerTransactionSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await adjustBalance(
          db,
          auth.tenantId,
          auth.actor,
          request.params.accountId,
          request.body,
          now(),
        );
        if (!result.ok) throw balanceFailureProblem(result);
        return reply.status(201).send(result.transaction);
      },
    );

    app.post(
      '/v1/accounts/:accountId/allowances',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Grant an allowance',
          description:
            'Creates an allowance bucket (seconds, bytes, messages, units, or money in the account currency), optionally for one service or line and a period, and a grant transaction that fills it.',
          params: AccountParams,
          body: AllowanceBody,
          response: { 201: AllowanceGrantSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await grantAllowance(
          db,
          auth.tenantId,
          auth.actor,
          request.params.accountId,
          request.body,
          now(),
        );
        if (!result.ok) throw balanceFailureProblem(result);
        return reply.status(201).send({ bucket: result.bucket, transaction: result.transaction });
      },
    );

    app.get(
      '/v1/accounts/:accountId/ledger',
      {
        config: { role: 'read-only', customerAccess: { kind: 'account', param: 'accountId' } },
        schema: {
          tags,
          summary: "An account's ledger transactions with their entries",
          description: 'Newest first unless order=asc; cursor-paginated.',
          params: AccountParams,
          querystring: LedgerPageQuery,
          response: { 200: Page(LedgerTransactionSchema) },
        },
      },
      async (request) => {
        const { tenantId } = authOf(request);
        const { accountId } = request.params;
        if ((await findAccount(db, tenantId, accountId)) === undefined)
          throw new HttpProblem('not_found', `no account ${accountId}`);
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'desc' } = request.query;
        const rows = await listLedgerTransactions(db, tenantId, accountId, {
          after: decodeCursor(cursor),
          order,
          rows: limit + 1,
        });
        const entries = await entriesOf(
          db,
          tenantId,
          rows.slice(0, limit).map((r) => r.id),
        );
        return pageOf(rows, limit, (row) => toLedgerTransaction(row, entries.get(row.id) ?? []));
      },
    );

    app.post(
      '/v1/ledger-transactions/:id/reversal',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Reverse a ledger transaction',
          description:
            'Posts a reversal with every entry negated. A transaction is reversed at most once (409 after that); a reversal that would take a bucket below its floor is refused with insufficient_balance.',
          params: IdParams,
          body: ReversalBody,
          response: { 201: LedgerTransactionSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await reverseLedgerTransaction(
          db,
          auth.tenantId,
          auth.actor,
          request.params.id,
          request.body.reason,
          now(),
        );
        if (!result.ok) throw balanceFailureProblem(result);
        return reply.status(201).send(result.transaction);
      },
    );

    await app.register(spendingCapRoutes(context));
    await app.register(voucherRoutes(context));
    await app.register(autoRechargeRoutes(context));
  };
}
