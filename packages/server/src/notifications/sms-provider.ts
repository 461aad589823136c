import type { NotificationChannelSender, SendOutcome } from './notification-channel.js';
import { errorText } from './notification-channel.js';

export interface SmsRequest {
  /** E.164. */
  readonly to: string;
  /** The sender id or number the provider shows. */
  readonly from: string;
  readonly text: string;
  /** Our reference: the notification's id (providers may use it to deduplicate). */
  readonly reference: string;
}

/** An SMS gateway. Failures are values; send() does not throw for the provider's answers. */
export interface SmsProvider {
  send(request: SmsRequest): Promise<SendOutcome>;
}

/** The SMS channel over a provider, with the sender id of the deployment. */
export function smsChannel(provider: SmsProvider, from: string): NotificationChannelSender {
  return {
    channel: 'sms',
    send: async (message) => {
      try {
        return await provider.send({
          to: message.recipient,
          from,
          text: message.text,
          reference: message.id,
        });
      } catch (error) {
        return { ok: false, error: errorText(error) };
      }
    },
  };
}
