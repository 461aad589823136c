import { httpSmsProvider } from './http-sms-provider.js';
import type { NotificationChannelSender, NotificationChannels } from './notification-channel.js';
import { smsChannel } from './sms-provider.js';
import { smtpChannel } from './smtp-channel.js';

export interface NotificationChannelSettings {
  readonly smtpUrl?: string | undefined;
  readonly mailFrom: string;
  readonly smsUrl?: string | undefined;
  readonly smsToken?: string | undefined;
  readonly smsFrom: string;
}

/** The channels the settings configure: email with an SMTP URL, SMS with a gateway URL and token. */
export function createNotificationChannels(settings: NotificationChannelSettings): NotificationChannels {
  const channels = new Map<'email' | 'sms', NotificationChannelSender>();
  if (settings.smtpUrl !== undefined)
    channels.set('email', smtpChannel({ url: settings.smtpUrl, from: settings.mailFrom }));
  if (settings.smsUrl !== undefined && settings.smsToken !== undefined)
    channels.set(
      'sms',
      smsChannel(httpSmsProvider({ url: settings.smsUrl, token: settings.smsToken }), settings.smsFrom),
    );
  return channels;
}
