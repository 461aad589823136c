import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { loadConfig } from '../config/load-config.js';
import type { Database } from '../db/database-schema.js';
import { createNotificationChannels } from '../notifications/create-notification-channels.js';
import {
  isNotificationChannel,
  isNotificationEvent,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_EVENTS,
} from '../notifications/notification-events.js';
import { DEFAULT_LOOKBACK_MS } from '../notifications/notification-relay.js';
import { listNotifications, toNotification } from '../notifications/notification-store.js';
import { notifyFromWebhookEvents } from '../notifications/notify-from-webhook-events.js';
import { previewNotification } from '../notifications/preview-notification.js';
import { sendDueNotifications } from '../notifications/send-due-notifications.js';
import { ExitCode } from './exit-codes.js';
import { findCliTenant, withDatabase } from './with-database.js';

const STATUSES = ['queued', 'sent', 'failed', 'suppressed', 'read'] as const;
const MAX_LIMIT = 1000;

interface ListFlags {
  readonly status?: string;
  readonly limit: string;
  readonly tenant?: string;
  readonly json?: boolean;
}

interface PreviewFlags {
  readonly language: string;
  readonly channel: string;
  readonly tenant?: string;
  readonly json?: boolean;
}

/** `tollgate notification ...`: the message log, a sending pass for cron, template previews. */
export function registerNotificationCommands(program: Command): void {
  const notification = program
    .command('notification')
    .description('customer notifications: the message log, sending, previews');
  notification
    .command('list')
    .description('the message log, newest first')
    .option('--status <status>', STATUSES.join(', '))
    .option('--limit <n>', 'at most this many', '50')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .option('--json', 'one JSON object per line')
    .action((flags: ListFlags) => withDatabase((db) => list(db, flags)));
  notification
    .command('send')
    .description(
      'one pass: queue the messages of new billing and payment events, then send the due ones (for setups without `tollgate serve`)',
    )
    .option('--json', 'print the summary as JSON')
    .action((flags: { json?: boolean }) => withDatabase((db) => send(db, flags)));
  notification
    .command('preview')
    .description('render a message with sample data, as the tenant would send it now')
    .argument('<event>', NOTIFICATION_EVENTS.join(', '))
    .option('--language <code>', 'ISO 639-1 language', 'en')
    .option('--channel <channel>', NOTIFICATION_CHANNELS.join(', '), 'email')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .option('--json', 'print the preview as JSON (with the HTML)')
    .action((event: string, flags: PreviewFlags) => withDatabase((db) => preview(db, event, flags)));
}

async function list(db: Kysely<Database>, flags: ListFlags): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  const status = STATUSES.find((candidate) => candidate === flags.status);
  if (flags.status !== undefined && status === undefined)
    return usage(`--status must be one of ${STATUSES.join(', ')}, not "${flags.status}"`);
  const limit = Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    return usage(`--limit must be a whole number from 1 to ${MAX_LIMIT}`);
  const rows = await listNotifications(db, tenant.id, {
    filters: { status },
    after: null,
    order: 'desc',
    rows: limit,
  });
  for (const message of rows.map(toNotification)) {
    if (flags.json === true) console.log(JSON.stringify(message));
    else
      console.log(
        `${message.id}  ${message.createdAt}  ${message.status}  ${message.channel}  ${message.event}  ` +
          `${message.recipient ?? '-'}  ${message.attempts} attempts` +
          (message.reason === null ? '' : `  (${message.reason})`) +
          (message.lastError === null ? '' : `  last error: ${message.lastError}`),
      );
  }
  return ExitCode.ok;
}

async function send(db: Kysely<Database>, flags: { json?: boolean }): Promise<number> {
  const loaded = await loadConfig(process.env);
  if (!loaded.ok) return usage(loaded.problems.join('\n'));
  const channels = createNotificationChannels(loaded.config);
  try {
    const now = () => new Date();
    const relayed = await notifyFromWebhookEvents(db, { now, lookbackMs: DEFAULT_LOOKBACK_MS });
    const pass = await sendDueNotifications(db, { now, channels });
    const missing = NOTIFICATION_CHANNELS.filter((channel) => channel !== 'portal' && !channels.has(channel));
    if (flags.json === true) console.log(JSON.stringify({ queued: relayed.queued, ...pass }));
    else
      console.log(
        `${relayed.queued} queued from ${relayed.events} events; ${pass.attempted} sent: ${pass.sent} delivered, ` +
          `${pass.retrying} to retry, ${pass.failed} failed` +
          (pass.moreDue || relayed.moreDue ? '; more are due: run it again' : ''),
      );
    if (missing.length > 0)
      console.error(
        `not configured, left queued: ${missing.join(', ')} (TOLLGATE_SMTP_URL, TOLLGATE_SMS_URL)`,
      );
    return ExitCode.ok;
  } finally {
    for (const channel of channels.values()) await channel.close?.();
  }
}

async function preview(db: Kysely<Database>, event: string, flags: PreviewFlags): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  if (!isNotificationEvent(event))
    return usage(`"${event}" is not an event: ${NOTIFICATION_EVENTS.join(', ')}`);
  if (!isNotificationChannel(flags.channel))
    return usage(`--channel must be one of ${NOTIFICATION_CHANNELS.join(', ')}, not "${flags.channel}"`);
  if (!/^[a-z]{2}$/.test(flags.language)) return usage(`--language must be two lower-case letters (de, fr)`);
  const result = await previewNotification(db, tenant.id, {
    event,
    channel: flags.channel,
    language: flags.language,
  });
  if (!result.ok) {
    console.error(result.message);
    return ExitCode.refused;
  }
  const shown = result.preview;
  if (flags.json === true) console.log(JSON.stringify(shown));
  else {
    if (shown.subject !== null) console.log(`Subject: ${shown.subject}\n`);
    console.log(shown.text);
    if (shown.language !== flags.language)
      console.error(`(no template in "${flags.language}": written in ${shown.language})`);
  }
  return ExitCode.ok;
}

function usage(message: string): number {
  console.error(message);
  return ExitCode.usage;
}
