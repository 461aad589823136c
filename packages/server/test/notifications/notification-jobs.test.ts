import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NotificationChannels } from '../../src/notifications/notification-channel.js';
import { startNotificationRelay } from '../../src/notifications/notification-relay.js';
import { startNotificationSender } from '../../src/notifications/notification-sender.js';
import { sendAfterQuietHours } from '../../src/notifications/quiet-hours.js';
import { DATABASE_LABEL } from '../test-database.js';
import { type NotificationsFixture, openNotificationsFixture } from './notifications-fixture.js';

describe('quiet hours', () => {
  const quiet = { start: '22:00', end: '07:00' };
  it.each([
    ['2026-03-10T21:59:00Z', 'Europe/Berlin', '2026-03-11T06:00:00.000Z'], // 22:59 local: quiet
    ['2026-03-10T20:59:00Z', 'Europe/Berlin', '2026-03-10T20:59:00.000Z'], // 21:59 local: not quiet
    ['2026-03-10T05:30:00Z', 'Europe/Berlin', '2026-03-10T06:00:00.000Z'], // 06:30 local
    // The night clocks go forward (29 March 2026): 07:00 is then UTC+2.
    ['2026-03-28T22:00:00Z', 'Europe/Berlin', '2026-03-29T05:00:00.000Z'],
    ['2026-04-02T21:30:00Z', 'America/New_York', '2026-04-02T21:30:00.000Z'], // 17:30 local: not quiet
    ['2026-04-03T03:30:00Z', 'America/New_York', '2026-04-03T11:00:00.000Z'], // 23:30 local
  ])('at %s in %s: from %s', (now, zone, expected) => {
    expect(sendAfterQuietHours(new Date(now), quiet, zone).toISOString()).toBe(expected);
  });
  it('spans no time when start and end are equal, or none are set', () => {
    const now = new Date('2026-03-10T23:00:00Z');
    expect(sendAfterQuietHours(now, { start: '08:00', end: '08:00' }, 'UTC')).toEqual(now);
    expect(sendAfterQuietHours(now, null, 'UTC')).toEqual(now);
    expect(sendAfterQuietHours(now, { start: '09:00', end: '17:00' }, 'UTC')).toEqual(now);
    expect(
      sendAfterQuietHours(new Date('2026-03-10T10:00:00Z'), { start: '09:00', end: '17:00' }, 'UTC'),
    ).toEqual(new Date('2026-03-10T17:00:00Z'));
  });
});

describe(`the relay and the sender in serve (${DATABASE_LABEL})`, () => {
  let f: NotificationsFixture;
  beforeEach(async () => {
    f = await openNotificationsFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('two processes relaying at once queue each message once, and a broken channel never crashes the sender', async () => {
    const { accountId } = await f.billedAccount('+4915200000601');
    await f.customerOf(accountId);
    const errors: unknown[] = [];
    const log = { error: (object: unknown) => errors.push(object), warn: () => undefined };
    const now = () => f.clock.now;
    const relays = [1, 2].map(() => startNotificationRelay(f.database.db, { now, log, pollMs: 60_000 }));
    const queued = await Promise.all(relays.map((relay) => relay.relay()));
    await Promise.all(relays.map((relay) => relay.stop()));
    // Each relay's own first poll starts at once too and may queue some of the messages first,
    // so what these two passes report is not counted; the rows show each message queued once.
    expect(queued.every((count) => count >= 0)).toBe(true);
    const rows = await f.rows(accountId);
    expect(rows.map((row) => row.channel)).toEqual(['email', 'portal']);

    const throwing: NotificationChannels = new Map([
      [
        'email',
        {
          channel: 'email' as const,
          send: async () => {
            throw new Error('boom');
          },
        },
      ],
    ]);
    const sender = startNotificationSender(f.database.db, { now, log, channels: throwing, pollMs: 60_000 });
    expect(await sender.sendDue()).toBe(1);
    await sender.stop();
    const [email] = (await f.rows(accountId)).filter((row) => row.channel === 'email');
    expect(email).toMatchObject({ status: 'queued', attempts: 1, last_error: 'boom' });
    expect(errors).toEqual([]);

    // The real channel, nudged: the retry is due a minute later.
    f.clock.now = new Date(f.clock.now.getTime() + 60_000);
    const real = startNotificationSender(f.database.db, { now, log, channels: f.channels, pollMs: 60_000 });
    real.nudge();
    for (let wait = 0; wait < 100 && f.mail.received.length === 0; wait++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await real.stop();
    expect(f.mail.received).toHaveLength(1);
  });
});
