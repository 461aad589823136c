import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { httpSmsProvider } from '../../src/notifications/http-sms-provider.js';
import type { NotificationChannels } from '../../src/notifications/notification-channel.js';
import { notifyFromWebhookEvents } from '../../src/notifications/notify-from-webhook-events.js';
import { sendDueNotifications } from '../../src/notifications/send-due-notifications.js';
import { smsChannel } from '../../src/notifications/sms-provider.js';
import { smtpChannel } from '../../src/notifications/smtp-channel.js';
import { openPaymentsFixture, type PaymentsFixture } from '../payments/payments-fixture.js';

/** A real SMTP server on 127.0.0.1: what arrived, and how it answers the next recipients. */
export interface MailServer {
  readonly url: string;
  readonly received: ParsedMail[];
  /** SMTP reply codes for the next RCPT TO commands, in order (e.g. 550); then accepted. */
  refuse: number[];
  close(): Promise<void>;
}

export async function startMailServer(): Promise<MailServer> {
  const received: ParsedMail[] = [];
  const state = { refuse: [] as number[] };
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      const code = state.refuse.shift();
      if (code === undefined) return callback();
      const error = new Error('mailbox unavailable') as Error & { responseCode: number };
      error.responseCode = code;
      callback(error);
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    get refuse() {
      return state.refuse;
    },
    set refuse(codes: number[]) {
      state.refuse = codes;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface SmsRequestSeen {
  readonly authorization: string | undefined;
  readonly body: { to: string; from: string; text: string };
}

/** A local HTTP SMS gateway: records requests, answers the planned statuses, then 202. */
export interface SmsGateway {
  readonly url: string;
  readonly received: SmsRequestSeen[];
  plan: number[];
  close(): Promise<void>;
}

export async function startSmsGateway(): Promise<SmsGateway> {
  const received: SmsRequestSeen[] = [];
  const gateway = { plan: [] as number[] };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      received.push({ authorization: request.headers.authorization, body: JSON.parse(body) });
      const status = gateway.plan.shift() ?? 202;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(status < 300 ? { id: `sms-${received.length}` } : { error: 'down' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/messages`,
    received,
    get plan() {
      return gateway.plan;
    },
    set plan(statuses: number[]) {
      gateway.plan = statuses;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const SMS_TOKEN = 'sms-test-token';

export interface NotificationsFixture extends PaymentsFixture {
  readonly mail: MailServer;
  readonly sms: SmsGateway;
  readonly channels: NotificationChannels;
  /** The customer of an account, with the notification settings given. */
  customerOf(
    accountId: string,
    fields?: { email?: string | null; smsNumber?: string | null; language?: string },
  ): Promise<string>;
  /** The bridge from the outbox, then one sending pass, at the fixture's clock. */
  relayAndSend(): Promise<{ queued: number; attempted: number }>;
  send(): Promise<number>;
  rows(accountId: string): Promise<
    {
      id: string;
      event: string;
      channel: string;
      status: string;
      reason: string | null;
      attempts: number;
      last_error: string | null;
      send_after: Date;
      subject: string | null;
      body_text: string;
    }[]
  >;
}

export async function openNotificationsFixture(): Promise<NotificationsFixture> {
  const f = await openPaymentsFixture();
  const mail = await startMailServer();
  const sms = await startSmsGateway();
  const channels: NotificationChannels = new Map([
    ['email', smtpChannel({ url: mail.url, from: 'Demo Telecom <billing@demo.example>', timeoutMs: 5000 })],
    ['sms', smsChannel(httpSmsProvider({ url: sms.url, token: SMS_TOKEN }), 'DemoTel')],
  ]);
  const db = f.database.db;
  // The demo customers are billed too: only the tests' own customers get messages.
  await db.updateTable('customers').set({ email: null, phone: null }).execute();
  const now = () => f.clock.now;
  const send = async () => (await sendDueNotifications(db, { now, channels })).attempted;
  return {
    ...f,
    mail,
    sms,
    channels,
    customerOf: async (accountId, fields = {}) => {
      const account = await db
        .selectFrom('accounts')
        .select('customer_id')
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow();
      await db
        .updateTable('customers')
        .set({
          email:
            fields.email === undefined ? `${account.customer_id.slice(0, 8)}@customer.example` : fields.email,
          sms_number: fields.smsNumber ?? null,
          ...(fields.language === undefined ? {} : { language: fields.language }),
        })
        .where('id', '=', account.customer_id)
        .execute();
      return account.customer_id;
    },
    relayAndSend: async () => {
      const relayed = await notifyFromWebhookEvents(db, { now, lookbackMs: 3 * 86_400_000 });
      return { queued: relayed.queued, attempted: await send() };
    },
    send,
    rows: (accountId) =>
      db
        .selectFrom('notifications')
        .select([
          'id',
          'event',
          'channel',
          'status',
          'reason',
          'attempts',
          'last_error',
          'send_after',
          'subject',
          'body_text',
        ])
        .where('account_id', '=', accountId)
        .orderBy('created_at')
        .orderBy('channel')
        .execute(),
    close: async () => {
      for (const channel of channels.values()) await channel.close?.();
      await mail.close();
      await sms.close();
      await f.close();
    },
  };
}
