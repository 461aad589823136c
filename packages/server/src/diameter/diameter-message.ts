import type { Avp } from './avp.js';

/** RFC 6733 section 3: the 20-byte header; the version is always 1 and the length is derived. */
export interface DiameterHeader {
  readonly commandCode: number;
  readonly applicationId: number;
  /** R bit: a request; clear in an answer. */
  readonly request: boolean;
  /** P bit: may be proxied, relayed or redirected. */
  readonly proxiable: boolean;
  /** E bit: an answer carrying a protocol error (RFC 6733 7.1.3). */
  readonly error: boolean;
  /** T bit: possibly a retransmission after a link failover. */
  readonly retransmitted: boolean;
  readonly hopByHopId: number;
  readonly endToEndId: number;
}

export interface DiameterMessage extends DiameterHeader {
  readonly avps: readonly Avp[];
}

/** RFC 6733 3: the header is 20 bytes; the version is 1. */
export const HEADER_BYTES = 20;
export const DIAMETER_VERSION = 1;

export const FLAG_REQUEST = 0x80;
export const FLAG_PROXIABLE = 0x40;
export const FLAG_ERROR = 0x20;
export const FLAG_RETRANSMITTED = 0x10;
