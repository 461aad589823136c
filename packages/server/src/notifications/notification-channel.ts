import type { NotificationChannel } from './notification-tables.js';

/** A file to send with an email, rendered at send time. */
export interface OutgoingAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Buffer;
}

/** One message as a channel sends it. */
export interface OutgoingMessage {
  /** The notification's id: a channel may pass it on (Message-ID, the provider's reference). */
  readonly id: string;
  readonly tenantId: string;
  /** An email address or an E.164 number. */
  readonly recipient: string;
  readonly subject: string | null;
  readonly text: string;
  readonly html: string | null;
  readonly attachments: readonly OutgoingAttachment[];
}

/**
 * What became of one attempt. A failure is a value: the sender retries it on its schedule.
 * `permanent`: trying again cannot help (the address was refused for good), so no retry.
 */
export type SendOutcome =
  | { readonly ok: true; readonly reference: string | null }
  | { readonly ok: false; readonly error: string; readonly permanent?: boolean };

/**
 * A way to reach a customer that takes time and may fail (email, SMS); portal messages need none.
 * send() must not throw for the receiving side's failures; an exception is treated as a failed
 * attempt all the same.
 */
export interface NotificationChannelSender {
  readonly channel: Exclude<NotificationChannel, 'portal'>;
  send(message: OutgoingMessage): Promise<SendOutcome>;
  close?(): Promise<void>;
}

export type NotificationChannels = ReadonlyMap<
  Exclude<NotificationChannel, 'portal'>,
  NotificationChannelSender
>;

/** Error text for the log: one line, bounded, without credentials in URLs. */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .replace(/\/\/[^/@\s]*@/g, '//***@')
    .replace(/\s+/g, ' ')
    .slice(0, 1000);
}
