import nodemailer from 'nodemailer';
import type { NotificationChannelSender, OutgoingMessage, SendOutcome } from './notification-channel.js';
import { errorText } from './notification-channel.js';

export interface SmtpChannelOptions {
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://...:465; nodemailer's URL form. */
  readonly url: string;
  /** The From header: `Tollgate <billing@example.com>`. */
  readonly from: string;
  /** Per connection and greeting, in milliseconds (default 30 000). */
  readonly timeoutMs?: number;
}

/**
 * Email over SMTP with nodemailer: a multipart/alternative text and HTML body, attachments as
 * parts of their own. Every failure is retried on the sender's schedule, 5xx answers too: a 550
 * "mailbox unavailable" (RFC 5321 section 4.2.2) is as often a relay's passing policy as a dead
 * address, and the schedule is short (5 attempts in under 3 hours).
 */
export function smtpChannel(options: SmtpChannelOptions): NotificationChannelSender {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const transport = nodemailer.createTransport({
    url: options.url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return {
    channel: 'email',
    send: async (message: OutgoingMessage): Promise<SendOutcome> => {
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: message.recipient,
          subject: message.subject ?? '',
          text: message.text,
          ...(message.html === null ? {} : { html: message.html }),
          attachments: message.attachments.map((attachment) => ({
            filename: attachment.filename,
            contentType: attachment.contentType,
            content: attachment.content,
          })),
          headers: { 'X-Tollgate-Notification': message.id },
        });
        const rejected = (info.rejected ?? []).length;
        if (rejected > 0) return { ok: false, error: `recipient refused: ${info.response ?? ''}`.trim() };
        return { ok: true, reference: typeof info.messageId === 'string' ? info.messageId : null };
      } catch (error) {
        return { ok: false, error: errorText(error) };
      }
    },
    close: async () => {
      transport.close();
    },
  };
}
