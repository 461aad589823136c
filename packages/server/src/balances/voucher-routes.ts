import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, Page, PageQuery, pageOf } from '../http/pagination.js';
import { balanceFailureProblem } from './balance-failure-problem.js';
import { LedgerTransactionSchema } from './balance-schemas.js';
import { createVoucherBatch } from './create-voucher-batch.js';
import { redeemVoucher } from './redeem-voucher.js';
import {
  CreatedVoucherBatchSchema,
  CreateVoucherBatchBody,
  RedeemVoucherBody,
  VoucherBatchSchema,
} from './voucher-schemas.js';
import { listVoucherBatches, toVoucherBatch } from './voucher-store.js';

const AccountParams = Type.Object({ accountId: Type.String({ format: 'uuid' }) });
const tags = ['vouchers'];

/** Voucher batches and redemptions. */
export function voucherRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
  return async (app) => {
    app.post(
      '/v1/voucher-batches',
      {
        // Admin: a batch mints bearer money in bulk, and its codes are shown only here.
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Create a batch of single-use vouchers',
          description:
            'Creates `count` vouchers worth `amount` each. Their codes are in this response only: Tollgate stores only their SHA-256 hashes.',
          body: CreateVoucherBatchBody,
          response: { 201: CreatedVoucherBatchSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await createVoucherBatch(db, auth.tenantId, auth.actor, request.body, now());
        if (!result.ok) throw balanceFailureProblem(result);
        return reply.status(201).send({ batch: result.batch, codes: result.codes });
      },
    );

    app.get(
      '/v1/voucher-batches',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'List voucher batches, with their vouchers counted by status',
          querystring: PageQuery,
          response: { 200: Page(VoucherBatchSchema) },
        },
      },
      async (request) => {
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'asc' } = request.query;
        const rows = await listVoucherBatches(db, authOf(request).tenantId, {
          after: decodeCursor(cursor),
          order,
          rows: limit + 1,
        });
        return pageOf(rows, limit, toVoucherBatch);
      },
    );

    app.post(
      '/v1/accounts/:accountId/voucher-redemptions',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: "Redeem a voucher into an account's main balance",
          description:
            'A used, unknown, expired or voided code, or one in another currency, is refused with voucher_not_redeemable and the reason.',
          params: AccountParams,
          body: RedeemVoucherBody,
          response: { 201: LedgerTransactionSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await redeemVoucher(
          db,
          auth.tenantId,
          auth.actor,
          request.params.accountId,
          request.body.code,
          now(),
        );
        if (!result.ok) throw balanceFailureProblem(result);
        return reply.status(201).send(result.transaction);
      },
    );
  };
}
