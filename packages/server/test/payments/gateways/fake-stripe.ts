import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the fake Stripe received it. */
export interface StripeRequest {
  readonly method: string;
  readonly path: string;
  readonly params: URLSearchParams;
  readonly idempotencyKey: string | null;
  readonly stripeVersion: string | null;
  readonly replayed: boolean;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

interface StoredAnswer extends Answer {
  readonly fingerprint: string;
}

type JsonObject = Record<string, unknown>;

/**
 * The payment methods the fake knows, named after Stripe's test payment methods
 * (https://docs.stripe.com/testing): what attach returns, and how a charge to them ends.
 */
const PAYMENT_METHODS: Readonly<Record<string, JsonObject>> = {
  pm_card_visa: card('visa', '4242'),
  pm_card_chargeDeclinedInsufficientFunds: card('visa', '9995'),
  pm_card_authenticationRequired: card('visa', '3184'),
  pm_card_serverError: card('mastercard', '4444'),
  pm_card_applePay: {
    ...card('visa', '1881'),
    card: { ...cardDetails('visa', '1881'), wallet: { type: 'apple_pay' } },
  },
  pm_sepa_debit: { type: 'sepa_debit', sepa_debit: { bank_code: '37040044', country: 'DE', last4: '3000' } },
  pm_us_bank_account: {
    type: 'us_bank_account',
    us_bank_account: { bank_name: 'STRIPE TEST BANK', last4: '6789', account_type: 'checking' },
  },
};

function cardDetails(brand: string, last4: string): JsonObject {
  return { brand, last4, exp_month: 12, exp_year: 2034, country: 'US', funding: 'credit', wallet: null };
}

function card(brand: string, last4: string): JsonObject {
  return { type: 'card', card: cardDetails(brand, last4) };
}

/**
 * A local stand-in for Stripe's API, for the SDK to talk to: form-encoded requests, Stripe-shaped
 * JSON answers, card errors as HTTP 402, and idempotency keys replayed as Stripe replays them.
 * It keeps the requests it saw, so tests can check what the gateway sent.
 */
export class FakeStripe {
  readonly requests: StripeRequest[] = [];
  readonly intents = new Map<string, JsonObject>();
  readonly #server: Server;
  readonly #answers = new Map<string, StoredAnswer>();
  #ids = 0;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<FakeStripe> {
    let fake: FakeStripe | undefined;
    const server = createServer((request, response) => {
      fake?.handle(request, response).catch((error: unknown) => {
        response.writeHead(500).end(String(error));
      });
    });
    fake = new FakeStripe(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return fake;
  }

  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  /** Forgets everything, as a fresh Stripe account would. */
  reset(): void {
    this.requests.length = 0;
    this.intents.clear();
    this.#answers.clear();
  }

  /** Requests to one path, in order. */
  requestsTo(method: string, path: string): StripeRequest[] {
    return this.requests.filter((request) => request.method === method && request.path === path);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    const params = new URLSearchParams(method === 'GET' ? url.search : body);
    const idempotencyKey = header(request, 'idempotency-key');
    const stored = idempotencyKey === null ? undefined : this.#answers.get(idempotencyKey);
    this.requests.push({
      method,
      path: url.pathname,
      params,
      idempotencyKey,
      stripeVersion: header(request, 'stripe-version'),
      replayed: stored !== undefined,
    });
    const fingerprint = `${method} ${url.pathname} ${body}`;
    const answer = this.answer(request, { method, path: url.pathname, params, fingerprint }, stored);
    if (idempotencyKey !== null && stored === undefined && method === 'POST' && answer.status !== 401) {
      this.#answers.set(idempotencyKey, { ...answer, fingerprint });
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'request-id': `req_${++this.#ids}`,
    };
    if (idempotencyKey !== null) headers['idempotency-key'] = idempotencyKey;
    if (stored !== undefined) headers['idempotent-replayed'] = 'true';
    // Stripe tells the SDK not to retry what retrying cannot change.
    if (answer.status >= 500) headers['stripe-should-retry'] = 'false';
    response.writeHead(answer.status, headers).end(JSON.stringify(answer.body));
  }

  private answer(
    request: IncomingMessage,
    {
      method,
      path,
      params,
      fingerprint,
    }: { method: string; path: string; params: URLSearchParams; fingerprint: string },
    stored: StoredAnswer | undefined,
  ): Answer {
    if (!/^Bearer sk_test_\w+$/.test(header(request, 'authorization') ?? '')) {
      return stripeError(401, { type: 'invalid_request_error', message: 'Invalid API Key provided' });
    }
    if (stored !== undefined) {
      if (fingerprint !== stored.fingerprint) {
        return stripeError(400, {
          type: 'idempotency_error',
          message:
            'Keys for idempotent requests can only be used with the same parameters they were first used with.',
        });
      }
      return stored;
    }
    return this.route(method, path, params);
  }

  private route(method: string, path: string, params: URLSearchParams): Answer {
    const [, version, resource, id, action] = path.split('/');
    if (version !== 'v1') return notFound(path);
    if (method === 'POST' && resource === 'customers' && id === undefined) return this.createCustomer(params);
    if (method === 'POST' && resource === 'payment_methods' && id !== undefined && action !== undefined) {
      return this.attachOrDetach(id, action, params);
    }
    if (method === 'POST' && resource === 'payment_intents' && id === undefined)
      return this.createIntent(params);
    if (method === 'GET' && resource === 'payment_intents' && id !== undefined) {
      const intent = this.intents.get(id);
      return intent === undefined ? missing('payment_intent', id) : { status: 200, body: intent };
    }
    if (method === 'POST' && resource === 'refunds' && id === undefined) return this.createRefund(params);
    return notFound(path);
  }

  private createCustomer(params: URLSearchParams): Answer {
    return {
      status: 200,
      body: {
        id: `cus_test_${++this.#ids}`,
        object: 'customer',
        name: params.get('name'),
        email: params.get('email'),
        metadata: nested(params, 'metadata'),
        livemode: false,
      },
    };
  }

  private attachOrDetach(id: string, action: string, params: URLSearchParams): Answer {
    const method = PAYMENT_METHODS[id];
    if (method === undefined) return missing('payment_method', id);
    const customer = action === 'attach' ? params.get('customer') : null;
    return {
      status: 200,
      body: { id, object: 'payment_method', customer, livemode: false, metadata: {}, ...method },
    };
  }

  private createIntent(params: URLSearchParams): Answer {
    const paymentMethod = params.get('payment_method') ?? '';
    if (paymentMethod === 'pm_card_serverError') {
      return stripeError(500, { type: 'api_error', message: 'An unknown error occurred' });
    }
    if (PAYMENT_METHODS[paymentMethod] === undefined) return missing('payment_method', paymentMethod);
    const intent = this.storeIntent(params, paymentMethod);
    if (paymentMethod === 'pm_card_chargeDeclinedInsufficientFunds') {
      return this.cardError(
        intent,
        'card_declined',
        'insufficient_funds',
        'Your card has insufficient funds.',
      );
    }
    if (paymentMethod === 'pm_card_authenticationRequired') {
      return this.cardError(
        intent,
        'authentication_required',
        'authentication_required',
        'Your card was declined. This transaction requires authentication.',
      );
    }
    return { status: 200, body: intent };
  }

  private storeIntent(params: URLSearchParams, paymentMethod: string): JsonObject {
    const id = `pi_test_${++this.#ids}`;
    const intent: JsonObject = {
      id,
      object: 'payment_intent',
      amount: Number(params.get('amount')),
      currency: params.get('currency'),
      customer: params.get('customer'),
      payment_method: paymentMethod,
      description: params.get('description'),
      metadata: nested(params, 'metadata'),
      status: paymentMethod === 'pm_sepa_debit' ? 'processing' : 'succeeded',
      last_payment_error: null,
      livemode: false,
    };
    this.intents.set(id, intent);
    return intent;
  }

  /** A declined off-session confirmation: HTTP 402, with the intent left needing a payment method. */
  private cardError(intent: JsonObject, code: string, declineCode: string, message: string): Answer {
    const error = { type: 'card_error', code, decline_code: declineCode, message };
    const failed = { ...intent, status: 'requires_payment_method', last_payment_error: error };
    this.intents.set(intent.id as string, failed);
    return stripeError(402, { ...error, payment_intent: failed });
  }

  private createRefund(params: URLSearchParams): Answer {
    const intentId = params.get('payment_intent') ?? '';
    const intent = this.intents.get(intentId);
    if (intent === undefined) return missing('payment_intent', intentId);
    const amount = Number(params.get('amount') ?? intent.amount);
    if (amount > (intent.amount as number)) {
      return stripeError(400, {
        type: 'invalid_request_error',
        code: 'amount_too_large',
        message: `Refund amount (${amount}) is greater than charge amount (${intent.amount})`,
        param: 'amount',
      });
    }
    return {
      status: 200,
      body: {
        id: `re_test_${++this.#ids}`,
        object: 'refund',
        amount,
        currency: intent.currency,
        payment_intent: intentId,
        reason: params.get('reason'),
        metadata: nested(params, 'metadata'),
        status: 'succeeded',
      },
    };
  }
}

function header(request: IncomingMessage, name: string): string | null {
  const value = request.headers[name];
  return typeof value === 'string' ? value : null;
}

/** Stripe's form encoding of a hash: metadata[tenant_id]=... */
export function nested(params: URLSearchParams, name: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of params) {
    const match = /^(\w+)\[(\w+)\]$/.exec(key);
    if (match?.[1] === name && match[2] !== undefined) result[match[2]] = value;
  }
  return result;
}

function stripeError(status: number, error: JsonObject): Answer {
  return { status, body: { error } };
}

function missing(kind: string, id: string): Answer {
  return stripeError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${kind}: '${id}'`,
    param: kind,
  });
}

function notFound(path: string): Answer {
  return stripeError(404, { type: 'invalid_request_error', message: `Unrecognized request URL (${path})` });
}
