import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { formatMoneyAmount, parseMoneyAmount } from '../accounts/money-amount.js';
import type { Database } from '../db/database-schema.js';
import { accountOrNotFound } from '../http/account-or-not-found.js';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { failureProblem } from '../http/failure-problem.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, Page, pageOf } from '../http/pagination.js';
import { HttpProblem } from '../http/problem.js';
import { addPaymentMethod } from './add-payment-method.js';
import { cardTopUp } from './card-top-up.js';
import { collectPayment } from './collect-payment.js';
import type { PaymentGateways } from './gateways/payment-gateway.js';
import { accountToday } from './lock-account-for-payments.js';
import { listActivePaymentMethods, toPaymentMethod } from './payment-method-store.js';
import {
  AccountCreditSchema,
  AddPaymentMethodBody,
  CardTopUpBody,
  CardTopUpSchema,
  ChargebackBody,
  CollectPaymentBody,
  PaymentListQuery,
  PaymentMethodSchema,
  PaymentReversalSchema,
  type PaymentReversalView,
  PaymentSchema,
  RecordPaymentBody,
  RefundBody,
} from './payment-schemas.js';
import {
  allocationsOf,
  findPayment,
  listPaymentReversals,
  listPayments,
  type PaymentRow,
  paymentView,
  readAccountReceivable,
  toPayment,
  toPaymentReversal,
} from './payment-store.js';
import { processGatewayEvent } from './process-gateway-event.js';
import { recordChargeback } from './record-chargeback.js';
import { recordPayment } from './record-payment.js';
import { type ReversalResult, refundPayment } from './refund-payment.js';
import { removePaymentMethod } from './remove-payment-method.js';
import { setAutopay } from './set-autopay.js';

const tags = ['payments'];
const Uuid = Type.String({ format: 'uuid' });
const AccountParams = Type.Object({ id: Uuid });

export interface PaymentContext extends AppContext {
  readonly gateways: PaymentGateways;
}

/** The tenant's payment a route names, or the 404 problem. */
async function paymentOrNotFound(
  db: Kysely<Database>,
  tenantId: string,
  paymentId: string,
): Promise<PaymentRow> {
  const payment = await findPayment(db, tenantId, paymentId);
  if (payment === undefined) throw new HttpProblem('not_found', `no payment ${paymentId}`);
  return payment;
}

/** The key a money-moving request is stored under: the caller's Idempotency-Key, else a fresh one. */
function idempotencyKeyOf(request: FastifyRequest): string {
  return request.idempotencyKey ?? `generated:${randomUUID()}`;
}

/**
 * Payments: stored payment methods, money received by hand or collected through a gateway,
 * card top-ups of prepaid balances, refunds, chargebacks, an account's receivable position, and
 * the gateways' signed webhooks. The routes about one account's own methods and payments are
 * open to its customer too (customerAccess).
 */
export function paymentRoutes(context: PaymentContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(paymentMethodRoutes(context));
    await app.register(paymentRecordRoutes(context));
    await app.register(gatewayWebhookRoutes(context));
  };
}

function paymentMethodRoutes({ db, now, gateways }: PaymentContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/accounts/:id/payment-methods',
      {
        config: { role: 'read-only', customerAccess: { kind: 'account', param: 'id' } },
        schema: {
          tags,
          summary: "The account's active payment methods",
          params: AccountParams,
          response: { 200: Type.Object({ items: Type.Array(PaymentMethodSchema) }) },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const account = await accountOrNotFound(db, tenantId, request.params.id);
        const rows = await listActivePaymentMethods(db, tenantId, account.id);
        return { items: rows.map(toPaymentMethod) };
      },
    );
    app.post(
      '/v1/accounts/:id/payment-methods',
      {
        config: { role: 'operator', customerAccess: { kind: 'account', param: 'id' } },
        schema: {
          tags,
          summary: 'Store a payment method given to a gateway',
          description:
            "The token comes from the gateway's client library (card data never reaches Tollgate). Sandbox tokens: tok_sandbox_success, tok_sandbox_decline, tok_sandbox_insufficient_funds, tok_sandbox_authentication_required, tok_sandbox_network_error.",
          params: AccountParams,
          body: AddPaymentMethodBody,
          response: { 201: PaymentMethodSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await addPaymentMethod(
          db,
          gateways,
          auth.tenantId,
          auth.actor,
          request.params.id,
          request.body,
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return reply.status(201).send(toPaymentMethod(result.method));
      },
    );
    app.delete(
      '/v1/accounts/:id/payment-methods/:methodId',
      {
        config: { role: 'operator', customerAccess: { kind: 'account', param: 'id' } },
        schema: {
          tags,
          summary: 'Remove a payment method',
          params: Type.Object({ id: Uuid, methodId: Uuid }),
          response: { 200: PaymentMethodSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await removePaymentMethod(
          db,
          gateways,
          auth.tenantId,
          auth.actor,
          request.params.id,
          request.params.methodId,
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return toPaymentMethod(result.method);
      },
    );
    app.put(
      '/v1/accounts/:id/autopay',
      {
        config: { role: 'operator', customerAccess: { kind: 'account', param: 'id' } },
        schema: {
          tags,
          summary: 'Turn autopay on or off',
          description: 'With autopay on, each finalised invoice is charged to the default payment method.',
          params: AccountParams,
          body: Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false }),
          response: { 200: Type.Object({ accountId: Uuid, autopay: Type.Boolean() }) },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await setAutopay(
          db,
          auth.tenantId,
          auth.actor,
          request.params.id,
          request.body.enabled,
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return { accountId: request.params.id, autopay: result.autopay };
      },
    );
  };
}

function paymentRecordRoutes({ db, now, gateways }: PaymentContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/accounts/:id/payments',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Record money received by hand (bank transfer, cash, cheque)',
          description:
            'Applied to the chosen invoice first, then the oldest due; the rest stays as credit. Send an Idempotency-Key: the same key never records twice.',
          params: AccountParams,
          body: RecordPaymentBody,
          response: { 200: PaymentSchema, 201: PaymentSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await recordPayment(
          db,
          auth.tenantId,
          auth.actor,
          request.params.id,
          request.body,
          idempotencyKeyOf(request),
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return reply.status(result.replayed ? 200 : 201).send(await paymentView(db, result.payment));
      },
    );
    app.post(
      '/v1/accounts/:id/payment-collections',
      {
        config: { role: 'operator', customerAccess: { kind: 'account', param: 'id' } },
        schema: {
          tags,
          summary: 'Charge a stored payment method through its gateway',
          description:
            'Answers with the payment in its state: succeeded, failed, requires_action or pending (the gateway did not answer; repeat with the same Idempotency-Key to learn the outcome, never charging twice).',
          params: AccountParams,
          body: CollectPaymentBody,
          response: { 200: PaymentSchema, 201: PaymentSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const account = await accountOrNotFound(db, auth.tenantId, request.params.id);
        let amountMicros: bigint | undefined;
        if (request.body.amount !== undefined) {
          const parsed = parseMoneyAmount(request.body.amount, account.currency.trim());
          if (!parsed.ok || parsed.micros === 0n)
            throw new HttpProblem(
              'validation_failed',
              parsed.ok ? 'amount must be more than 0' : parsed.message,
              [{ field: '/amount', message: 'invalid' }],
            );
          amountMicros = parsed.micros;
        }
        const result = await collectPayment(
          db,
          gateways,
          auth.tenantId,
          auth.actor,
          {
            accountId: request.params.id,
            purpose: 'payment',
            ...(amountMicros === undefined ? {} : { amountMicros }),
            ...(request.body.invoiceId === undefined ? {} : { invoiceId: request.body.invoiceId }),
            ...(request.body.paymentMethodId === undefined
              ? {}
              : { paymentMethodId: request.body.paymentMethodId }),
            idempotencyKey: idempotencyKeyOf(request),
          },
          now(),
        );
        if (!result.ok) throw failureProblem(result);
        return reply.status(result.replayed ? 200 : 201).send(await paymentView(db, result.payment));
      },
    );
    app.post(
      '/v1/accounts/:id/card-top-ups',
      {
        config: { role: 'operator', customerAccess: { kind: 'account', param: 'id' } },
        schema: {
          tags,
          summary: 'Top up a prepaid balance from a saved card',
          description:
            "Charges the saved method through its gateway and, once the charge succeeded, credits the account's main balance. Send an Idempotency-Key: the same key charges and tops up once. 201: topped up (200: an earlier request with the key did); 202: the charge waits (pending: the gateway did not answer; requires_action: the card holder must authenticate), nothing is topped up yet; 402 payment_declined: the card was declined, nothing was taken and the balance is unchanged. Postpaid accounts pay their invoices instead (422).",
          params: AccountParams,
          body: CardTopUpBody,
          response: { 200: CardTopUpSchema, 201: CardTopUpSchema, 202: CardTopUpSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await cardTopUp(
          db,
          gateways,
          auth.tenantId,
          auth.actor,
          {
            accountId: request.params.id,
            amount: request.body.amount,
            ...(request.body.paymentMethodId === undefined
              ? {}
              : { paymentMethodId: request.body.paymentMethodId }),
            idempotencyKey: idempotencyKeyOf(request),
          },
          now(),
        );
        if (!result.ok) {
          if (result.code === 'declined')
            throw new HttpProblem(
              'payment_declined',
              `the payment method was declined (${result.payment.failure_code ?? 'declined'}: ${result.message}); payment ${result.payment.id} failed and the balance is unchanged`,
            );
          throw failureProblem(result);
        }
        const payment = await paymentView(db, result.payment);
        if (result.status === 'waiting') return reply.status(202).send({ payment, transaction: null });
        return reply.status(result.replayed ? 200 : 201).send({ payment, transaction: result.transaction });
      },
    );
    app.get(
      '/v1/payments',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'List payments',
          querystring: PaymentListQuery,
          response: { 200: Page(PaymentSchema) },
        },
      },
      async (request) => {
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'asc', status, accountId } = request.query;
        const rows = await listPayments(
          db,
          authOf(request).tenantId,
          { ...(status === undefined ? {} : { status }), ...(accountId === undefined ? {} : { accountId }) },
          { after: decodeCursor(cursor), order, rows: limit + 1 },
        );
        const allocations = await allocationsOf(
          db,
          rows.slice(0, limit).map((row) => row.id),
        );
        return pageOf(rows, limit, (row) => toPayment(row, allocations.get(row.id) ?? []));
      },
    );
    app.get(
      '/v1/payments/:id',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: 'A payment with what it paid',
          params: AccountParams,
          response: { 200: PaymentSchema },
        },
      },
      async (request) => {
        const row = await paymentOrNotFound(db, authOf(request).tenantId, request.params.id);
        return paymentView(db, row);
      },
    );
    app.get(
      '/v1/payments/:id/reversals',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: "A payment's refunds and chargebacks",
          params: AccountParams,
          response: { 200: Type.Object({ items: Type.Array(PaymentReversalSchema) }) },
        },
      },
      async (request) => {
        const payment = await paymentOrNotFound(db, authOf(request).tenantId, request.params.id);
        const rows = await listPaymentReversals(db, payment.id);
        return { items: rows.map((row) => toPaymentReversal(row, payment.currency)) };
      },
    );
    app.post(
      '/v1/payments/:id/refunds',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Refund a payment, in full or in part',
          params: AccountParams,
          body: RefundBody,
          response: { 200: PaymentReversalSchema, 201: PaymentReversalSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const answer = await reversalOf(
          db,
          auth.tenantId,
          request.params.id,
          request.body,
          idempotencyKeyOf(request),
          (fields) => refundPayment(db, gateways, auth.tenantId, auth.actor, fields, now()),
        );
        return reply.status(answer.status).send(answer.reversal);
      },
    );
    app.post(
      '/v1/payments/:id/chargebacks',
      {
        config: { role: 'operator' },
        schema: {
          tags,
          summary: 'Record a chargeback reported by the bank',
          params: AccountParams,
          body: ChargebackBody,
          response: { 200: PaymentReversalSchema, 201: PaymentReversalSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const answer = await reversalOf(
          db,
          auth.tenantId,
          request.params.id,
          request.body,
          idempotencyKeyOf(request),
          (fields) =>
            recordChargeback(
              db,
              auth.tenantId,
              auth.actor,
              { ...fields, amountMicros: fields.amountMicros ?? 0n },
              now(),
            ),
        );
        return reply.status(answer.status).send(answer.reversal);
      },
    );
    app.get(
      '/v1/accounts/:id/receivable',
      {
        config: { role: 'read-only' },
        schema: {
          tags,
          summary: "The account's credit, what it owes and what is overdue",
          params: AccountParams,
          response: { 200: AccountCreditSchema },
        },
      },
      async (request) => {
        const tenantId = authOf(request).tenantId;
        const account = await accountOrNotFound(db, tenantId, request.params.id);
        const currency = account.currency.trim();
        const position = await readAccountReceivable(db, tenantId, account.id, accountToday(account, now()));
        return {
          accountId: account.id,
          currency,
          credit: formatMoneyAmount(position.creditMicros, currency),
          outstanding: formatMoneyAmount(position.outstandingMicros, currency),
          overdue: formatMoneyAmount(position.overdueMicros, currency),
        };
      },
    );
  };
}

interface ReversalFields {
  readonly paymentId: string;
  readonly amountMicros?: bigint;
  readonly reason?: string;
  readonly idempotencyKey: string;
}

/**
 * A refund or chargeback request of a route: the payment it names, its amount in the payment's
 * currency and reason, under the request's idempotency key; 201 when made, 200 when replayed.
 */
async function reversalOf(
  db: Kysely<Database>,
  tenantId: string,
  paymentId: string,
  body: { readonly amount?: string | undefined; readonly reason?: string | undefined },
  idempotencyKey: string,
  record: (fields: ReversalFields) => Promise<ReversalResult>,
): Promise<{ status: 200 | 201; reversal: PaymentReversalView }> {
  const payment = await paymentOrNotFound(db, tenantId, paymentId);
  const amountMicros = amountOf(body.amount, payment.currency);
  const result = await record({
    paymentId: payment.id,
    ...(amountMicros === undefined ? {} : { amountMicros }),
    ...(body.reason === undefined ? {} : { reason: body.reason }),
    idempotencyKey,
  });
  if (!result.ok) throw failureProblem(result);
  return {
    status: result.replayed ? 200 : 201,
    reversal: toPaymentReversal(result.reversal, payment.currency),
  };
}

function amountOf(text: string | undefined, currency: string): bigint | undefined {
  if (text === undefined) return undefined;
  const parsed = parseMoneyAmount(text, currency);
  if (!parsed.ok || parsed.micros === 0n)
    throw new HttpProblem('validation_failed', parsed.ok ? 'amount must be more than 0' : parsed.message, [
      { field: '/amount', message: 'invalid' },
    ]);
  return parsed.micros;
}

/**
 * POST /v1/gateway-webhooks/{gateway}: the gateways' signed events. No API key: the signature
 * over the exact bytes received is the credential, so this plugin reads bodies as raw bytes.
 */
function gatewayWebhookRoutes({ db, now, gateways }: PaymentContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    app.post(
      '/v1/gateway-webhooks/:gateway',
      {
        schema: {
          tags,
          summary: "A payment gateway's signed webhook event",
          description:
            'Verified by signature and timestamp (5 minutes of tolerance), acted on once per event id, in any order.',
          params: Type.Object({ gateway: Type.String({ pattern: '^[a-z][a-z0-9_]{0,29}$' }) }),
          response: { 200: Type.Object({ eventId: Type.String(), outcome: Type.String() }) },
        },
      },
      async (request) => {
        const gateway = gateways.get(request.params.gateway);
        if (gateway === undefined)
          throw new HttpProblem('not_found', `no gateway ${request.params.gateway} here`);
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const result = await processGatewayEvent(
          db,
          gateway,
          { rawBody, headers: request.headers, nowMs: now().getTime() },
          now(),
        );
        if (!result.ok)
          throw new HttpProblem('validation_failed', result.message, [
            { field: 'header:signature', message: result.code },
          ]);
        return { eventId: result.eventId, outcome: result.outcome };
      },
    );
  };
}
