import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  verifyWebhookSignature,
  type WebhookSignatureCheck,
} from '../../src/webhooks/verify-webhook-signature.js';

export interface ReceivedWebhook {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly signature: WebhookSignatureCheck;
}

/** What the receiver answers: a status, or 'hang' (never answer). */
export type ReceiverAnswer = number | 'hang';

export interface WebhookReceiver {
  readonly url: string;
  readonly received: ReceivedWebhook[];
  /** Answers for the next requests, in order; then `otherwise`. */
  plan: ReceiverAnswer[];
  otherwise: ReceiverAnswer;
  /** Milliseconds to wait before answering. */
  delayMs: number;
  /** Event ids of the deliveries whose signature verified. */
  verifiedEventIds(): string[];
  close(): Promise<void>;
}

/**
 * A real receiver on 127.0.0.1 (port 0), as a customer would run one: it checks every request's
 * signature with the verifier we publish, against the secret for the request's path, at the time
 * `nowMs` gives (the tests' clock), and records what came.
 */
export async function startWebhookReceiver(options: {
  readonly secretFor: (path: string) => string | readonly string[] | undefined;
  readonly nowMs: () => number;
}): Promise<WebhookReceiver> {
  const hanging = new Set<ServerResponse>();
  const received: ReceivedWebhook[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '/';
      const secret = options.secretFor(path) ?? [];
      const header = request.headers['tollgate-signature'];
      received.push({
        path,
        headers: request.headers,
        body,
        signature: verifyWebhookSignature({
          body,
          header: typeof header === 'string' ? header : undefined,
          secret,
          nowMs: options.nowMs(),
        }),
      });
      const answer = receiver.plan.shift() ?? receiver.otherwise;
      const send = () => {
        if (answer === 'hang') {
          hanging.add(response);
          return;
        }
        response
          .writeHead(answer, { 'content-type': 'text/plain' })
          .end(answer < 300 ? 'ok' : `refused with ${answer}`);
      };
      if (receiver.delayMs > 0) setTimeout(send, receiver.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: WebhookReceiver = {
    url: `http://127.0.0.1:${port}`,
    received,
    plan: [],
    otherwise: 200,
    delayMs: 0,
    verifiedEventIds: () =>
      received.filter((r) => r.signature.ok).map((r) => (JSON.parse(r.body) as { id: string }).id),
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return receiver;
}
