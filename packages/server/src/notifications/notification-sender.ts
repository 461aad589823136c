import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { startPollingLoop } from '../jobs/polling-loop.js';
import type { NotificationChannels } from './notification-channel.js';
import { sendDueNotifications } from './send-due-notifications.js';

export const DEFAULT_SENDER_POLL_MS = 5000;

export interface NotificationSenderLog {
  error(object: unknown, message: string): void;
  warn(object: unknown, message: string): void;
}

export interface NotificationSenderOptions {
  readonly now: () => Date;
  readonly log: NotificationSenderLog;
  /** The channels this process sends on; messages of the others stay queued. */
  readonly channels: NotificationChannels;
  /** Time between passes when nothing nudges (default 5000). */
  readonly pollMs?: number;
  readonly batchSize?: number;
  readonly leaseMs?: number;
}

export interface NotificationSender {
  /** Run a pass soon (after messages were queued). */
  nudge(): void;
  /** Stop polling, wait for the sends in flight to be recorded, and close the channels. */
  stop(): Promise<void>;
  /** One pass now; resolves to the number of attempts made. Errors are thrown to the caller. */
  sendDue(): Promise<number>;
}

/**
 * Sends due email and SMS messages from this process: a pass every pollMs and on nudge(). Claims
 * keep passes apart, here as across processes. A failed pass (the database down) is logged and
 * the next poll tries again; nothing here throws into the event loop. A missing channel (no
 * TOLLGATE_SMTP_URL) is said once, at start: its messages stay queued until a process has it.
 */
export function startNotificationSender(
  db: Kysely<Database>,
  options: NotificationSenderOptions,
): NotificationSender {
  for (const [channel, setting] of [
    ['email', 'TOLLGATE_SMTP_URL'],
    ['sms', 'TOLLGATE_SMS_URL'],
  ] as const) {
    if (!options.channels.has(channel))
      options.log.warn({ channel }, `${setting} is not set: ${channel} messages stay queued, not sent`);
  }
  let stopping = () => false;
  const passOptions = {
    now: options.now,
    channels: options.channels,
    stopping: () => stopping(),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
  };
  const loop = startPollingLoop({
    pollMs: options.pollMs ?? DEFAULT_SENDER_POLL_MS,
    log: options.log,
    failure: 'notification pass failed; the next poll tries again',
    pass: async () => {
      const pass = await sendDueNotifications(db, passOptions);
      if (pass.failed > 0) options.log.warn({ failed: pass.failed }, 'notifications gave up: failed');
      return pass;
    },
  });
  stopping = loop.stopped;
  return {
    nudge: loop.nudge,
    sendDue: async () => (await loop.track(sendDueNotifications(db, passOptions))).attempted,
    stop: async () => {
      await loop.stop();
      for (const channel of options.channels.values()) await channel.close?.();
    },
  };
}
