import type { IdentifierKind } from '../accounts/account-tables.js';

/** The unit a service is measured in; also the unit of allowance buckets (core ALLOWANCE_UNITS). */
export type UsageUnit = 'seconds' | 'bytes' | 'messages' | 'units';

/**
 * One usage event as a source delivered it, read but not yet normalised or rated: numbers are as
 * the network wrote them, the subscriber is not yet looked up. Every format (CSV profiles,
 * Asterisk, FreeSWITCH, JSON Lines, the API) produces this shape.
 */
export interface UsageRecord {
  /**
   * The source's own unique id of the record (a switch's unique id, a JSON event id); null when
   * the format carries none, and the natural key is then derived from the record's content.
   */
  readonly recordId: string | null;
  /** Who is charged: an identifier of the line, as written. */
  readonly subscriber: { readonly kind: IdentifierKind; readonly value: string };
  /** The tariff category (rating group) of the usage: `call`, `sms`, `data` or a custom service. */
  readonly service: string;
  readonly direction: 'outgoing' | 'incoming';
  /** The other party (a number, as written) or a network name (APN) for data; may be empty. */
  readonly destination: string;
  /** When the usage started (a call's answer time), UTC epoch milliseconds. */
  readonly startedAtMs: number;
  readonly unit: UsageUnit;
  /** Whole units used: seconds, bytes, messages or the custom service's units. Never negative. */
  readonly units: bigint;
  /** The online charging session that already charged this usage, when the source tells it. */
  readonly chargingSessionKey: string | null;
}

/** Why a record could not be taken; stable codes shown to operators and kept with suspended records. */
export type RejectReason =
  /** The line is not a record of the format: broken quoting, wrong number of columns, bad JSON. */
  | 'malformed_record'
  /** A record longer than the source allows. */
  | 'record_too_large'
  /** A field the record needs is empty or absent. */
  | 'missing_field'
  /** A field does not read as its type: a time, a number, a known service or direction. */
  | 'invalid_field'
  /** A negative duration or volume. */
  | 'negative_usage'
  /** A duration or volume that cannot be: longer than a record may last, or ending before it starts. */
  | 'impossible_usage'
  /** A number that does not normalise to E.164 in the source's numbering context. */
  | 'invalid_number'
  /** No line held the subscriber's identifier at the event time. */
  | 'unknown_subscriber'
  /** The line or its account was not active at the event time. */
  | 'inactive_subscriber'
  /** The line's plan has no tariff in effect at the event time, or the tariff does not price it. */
  | 'no_rate'
  /** The tariff prices in another currency than the account's. */
  | 'currency_mismatch'
  /** An open or confirmed fraud case bars the line: the record waits for the decision (docs/fraud.md). */
  | 'line_barred';

export type RecordOutcome =
  | { readonly kind: 'record'; readonly record: UsageRecord }
  /** A record the source writes that is not usage to bill (an unanswered call attempt). */
  | { readonly kind: 'skip'; readonly reason: string }
  | {
      readonly kind: 'reject';
      readonly reason: RejectReason;
      /** The field at fault, by the name the format gives it; null for the whole record. */
      readonly field: string | null;
      readonly message: string;
      /** The record's own id when it could be read, so a fixed record keeps its natural key. */
      readonly recordId: string | null;
    };

/** A record read from a file, with where it was and its raw text (kept for suspended records). */
export interface SourceRecord {
  /** The 1-based line the record starts on (after a byte-order mark; CRLF counts as one break). */
  readonly lineNumber: number;
  /** The record's text as it stood in the file, without its line break. */
  readonly raw: string;
  readonly outcome: RecordOutcome;
}
