import type { Avp } from './avp.js';
import type { AvpDictionary } from './avp-dictionary.js';
import { decodeAvpData, minimumDataBytes } from './decode-avp-data.js';
import {
  type DiameterHeader,
  type DiameterMessage,
  FLAG_ERROR,
  FLAG_PROXIABLE,
  FLAG_REQUEST,
  FLAG_RETRANSMITTED,
  HEADER_BYTES,
} from './diameter-message.js';
import { padded } from './encode-message.js';
import { RESULT_CODE } from './result-codes.js';

/** Grouped AVPs nest at most this deep; deeper nesting is refused, not recursed into. */
const MAX_GROUP_DEPTH = 16;
const SESSION_ID_CODE = 263;

export type DecodedMessage =
  | {
      readonly ok: true;
      readonly message: DiameterMessage;
      /** The first AVP with the M bit that the dictionary does not know (RFC 6733 4.1: 5001). */
      readonly unsupportedAvp: Avp | undefined;
    }
  | {
      readonly ok: false;
      readonly header: DiameterHeader;
      readonly resultCode: number;
      /** RFC 6733 7.5: the offending AVP, for the Failed-AVP of the answer. */
      readonly failedAvp: Avp | undefined;
      readonly reason: string;
      /** The Session-Id, when it was read before the fault, for the answer (RFC 6733 8.8). */
      readonly sessionId: string | undefined;
    };

/**
 * Decodes one framed message (the framer has checked its version and length). AVPs are typed
 * by the dictionary; unknown ones are kept as OctetString.
 */
export function decodeMessage(frame: Buffer, dictionary: AvpDictionary): DecodedMessage {
  const header = decodeHeader(frame);
  const reader = new AvpReader(frame, dictionary);
  const avps = reader.read(HEADER_BYTES, frame.length, 0, true);
  if (avps === undefined || reader.failure !== undefined) {
    const failure = reader.failure ?? {
      resultCode: RESULT_CODE.unableToComply,
      failedAvp: undefined,
      reason: '',
    };
    return { ok: false, header, ...failure, sessionId: reader.sessionId };
  }
  return { ok: true, message: { ...header, avps }, unsupportedAvp: reader.unsupported };
}

export function decodeHeader(frame: Buffer): DiameterHeader {
  const flags = frame[4] ?? 0;
  return {
    commandCode: frame.readUIntBE(5, 3),
    applicationId: frame.readUInt32BE(8),
    request: (flags & FLAG_REQUEST) !== 0,
    proxiable: (flags & FLAG_PROXIABLE) !== 0,
    error: (flags & FLAG_ERROR) !== 0,
    retransmitted: (flags & FLAG_RETRANSMITTED) !== 0,
    hopByHopId: frame.readUInt32BE(12),
    endToEndId: frame.readUInt32BE(16),
  };
}

interface AvpFailure {
  readonly resultCode: number;
  readonly failedAvp: Avp | undefined;
  readonly reason: string;
}

class AvpReader {
  failure: AvpFailure | undefined;
  unsupported: Avp | undefined;
  sessionId: string | undefined;

  constructor(
    private readonly buffer: Buffer,
    private readonly dictionary: AvpDictionary,
  ) {}

  /** Each AVP takes at least 8 bytes, so the loop ends within (end - start) / 8 turns. */
  read(start: number, end: number, depth: number, strict: boolean): Avp[] | undefined {
    const avps: Avp[] = [];
    let offset = start;
    while (offset < end) {
      const avp = this.readAvp(offset, end, depth, strict);
      if (avp === undefined) return undefined;
      avps.push(avp);
      if (depth === 0 && avp.code === SESSION_ID_CODE && avp.type === 'UTF8String')
        this.sessionId = avp.value;
      offset += padded(this.buffer.readUIntBE(offset + 5, 3));
    }
    return avps;
  }

  private readAvp(offset: number, end: number, depth: number, strict: boolean): Avp | undefined {
    const buffer = this.buffer;
    if (end - offset < 8)
      return this.fail(RESULT_CODE.invalidAvpLength, undefined, 'trailing bytes after the AVPs');
    const code = buffer.readUInt32BE(offset);
    const flags = buffer[offset + 4] ?? 0;
    const length = buffer.readUIntBE(offset + 5, 3);
    const hasVendor = (flags & 0x80) !== 0;
    const headerBytes = hasVendor ? 12 : 8;
    const vendorId = hasVendor && offset + 12 <= end ? buffer.readUInt32BE(offset + 8) : undefined;
    const mandatory = (flags & 0x40) !== 0;
    const header = { code, vendorId, mandatory, protected: (flags & 0x20) !== 0 };
    const definition = this.dictionary.find(code, vendorId);
    if (length < headerBytes || offset + length > end) {
      const sample = Buffer.alloc(minimumDataBytes(definition?.type ?? 'OctetString'));
      const failed: Avp = {
        ...header,
        vendorId: hasVendor ? (vendorId ?? 0) : undefined,
        type: 'OctetString',
        value: sample,
      };
      return this.fail(RESULT_CODE.invalidAvpLength, failed, `AVP ${code} has length ${length}`);
    }
    const data = buffer.subarray(offset + headerBytes, offset + length);
    const isProtected = (flags & 0x20) !== 0;
    if (definition === undefined) {
      const avp: Avp = {
        code,
        vendorId,
        mandatory,
        protected: isProtected,
        type: 'OctetString',
        value: data,
      };
      if (mandatory && strict && this.unsupported === undefined) this.unsupported = avp;
      return avp;
    }
    if (definition.type === 'Grouped') {
      if (depth >= MAX_GROUP_DEPTH)
        return this.fail(
          RESULT_CODE.invalidAvpValue,
          { ...header, type: 'OctetString', value: Buffer.alloc(0) },
          'too deep',
        );
      const children = this.read(
        offset + headerBytes,
        offset + length,
        depth + 1,
        strict && !definition.opaqueChildren,
      );
      return children === undefined
        ? undefined
        : { code, vendorId, mandatory, protected: isProtected, type: 'Grouped', value: children };
    }
    const value = decodeAvpData(definition.type, data);
    if (typeof value === 'number') {
      const reason = `AVP ${definition.name} is not a valid ${definition.type}`;
      return this.fail(value, { ...header, type: 'OctetString', value: data }, reason);
    }
    // Written out rather than spread: one object shape for every AVP keeps decoding fast.
    return { code, vendorId, mandatory, protected: isProtected, type: value.type, value: value.value } as Avp;
  }

  private fail(resultCode: number, failedAvp: Avp | undefined, reason: string): undefined {
    this.failure ??= { resultCode, failedAvp, reason };
    return undefined;
  }
}
