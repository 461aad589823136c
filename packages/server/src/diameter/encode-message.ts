import type { Avp } from './avp.js';
import {
  DIAMETER_VERSION,
  type DiameterMessage,
  FLAG_ERROR,
  FLAG_PROXIABLE,
  FLAG_REQUEST,
  FLAG_RETRANSMITTED,
  HEADER_BYTES,
} from './diameter-message.js';

/** RFC 6733 3 and 4.1: message and AVP lengths are 24-bit fields. */
const MAX_LENGTH = 0xffffff;

/**
 * Encodes a message into one buffer allocated at its final size: a sizing pass, then a writing
 * pass that fills in each grouped AVP's length once its children are written.
 */
export function encodeMessage(message: DiameterMessage): Buffer {
  const length = HEADER_BYTES + avpsLength(message.avps);
  if (length > MAX_LENGTH) throw new RangeError(`a Diameter message of ${length} bytes is too long`);
  const buffer = Buffer.allocUnsafe(length);
  buffer.writeUInt32BE(DIAMETER_VERSION * 0x1000000 + length, 0);
  buffer.writeUInt32BE(headerFlags(message) * 0x1000000 + message.commandCode, 4);
  buffer.writeUInt32BE(message.applicationId, 8);
  buffer.writeUInt32BE(message.hopByHopId, 12);
  buffer.writeUInt32BE(message.endToEndId, 16);
  const end = writeAvps(buffer, HEADER_BYTES, message.avps);
  if (end !== length) throw new Error(`encoded ${end} bytes of a ${length}-byte message`);
  return buffer;
}

function headerFlags(message: DiameterMessage): number {
  return (
    (message.request ? FLAG_REQUEST : 0) |
    (message.proxiable ? FLAG_PROXIABLE : 0) |
    (message.error ? FLAG_ERROR : 0) |
    (message.retransmitted ? FLAG_RETRANSMITTED : 0)
  );
}

export function avpsLength(avps: readonly Avp[]): number {
  let length = 0;
  for (const avp of avps) length += padded(avpHeaderLength(avp) + avpDataLength(avp));
  return length;
}

function avpHeaderLength(avp: Avp): number {
  return avp.vendorId === undefined ? 8 : 12;
}

function avpDataLength(avp: Avp): number {
  switch (avp.type) {
    case 'OctetString':
      return avp.value.length;
    case 'UTF8String':
    case 'DiameterIdentity':
    case 'DiameterURI':
      return Buffer.byteLength(avp.value, 'utf8');
    case 'Integer32':
    case 'Unsigned32':
    case 'Enumerated':
    case 'Float32':
    case 'Time':
      return 4;
    case 'Integer64':
    case 'Unsigned64':
    case 'Float64':
      return 8;
    case 'Address':
      return 2 + avp.value.bytes.length;
    case 'Grouped':
      return avpsLength(avp.value);
  }
}

/** RFC 6733 4.1: each AVP is padded with zeros to a multiple of 4 bytes. */
export function padded(length: number): number {
  return (length + 3) & ~3;
}

function writeAvps(buffer: Buffer, start: number, avps: readonly Avp[]): number {
  let offset = start;
  for (const avp of avps) offset = writeAvp(buffer, offset, avp);
  return offset;
}

function writeAvp(buffer: Buffer, start: number, avp: Avp): number {
  const dataStart = start + avpHeaderLength(avp);
  const dataEnd = writeAvpData(buffer, dataStart, avp);
  const length = dataEnd - start;
  if (length > MAX_LENGTH) throw new RangeError(`AVP ${avp.code} of ${length} bytes is too long`);
  const flags =
    (avp.vendorId === undefined ? 0 : 0x80) | (avp.mandatory ? 0x40 : 0) | (avp.protected ? 0x20 : 0);
  buffer.writeUInt32BE(avp.code, start);
  buffer.writeUInt32BE(flags * 0x1000000 + length, start + 4);
  if (avp.vendorId !== undefined) buffer.writeUInt32BE(avp.vendorId, start + 8);
  const end = padded(dataEnd);
  buffer.fill(0, dataEnd, end);
  return end;
}

function writeAvpData(buffer: Buffer, offset: number, avp: Avp): number {
  switch (avp.type) {
    case 'OctetString':
      return offset + avp.value.copy(buffer, offset);
    case 'UTF8String':
    case 'DiameterIdentity':
    case 'DiameterURI':
      return offset + buffer.write(avp.value, offset, 'utf8');
    case 'Integer32':
    case 'Enumerated':
      return buffer.writeInt32BE(avp.value, offset);
    case 'Unsigned32':
    case 'Time':
      return buffer.writeUInt32BE(avp.value, offset);
    case 'Float32':
      return buffer.writeFloatBE(avp.value, offset);
    case 'Integer64':
      return buffer.writeBigInt64BE(avp.value, offset);
    case 'Unsigned64':
      return buffer.writeBigUInt64BE(avp.value, offset);
    case 'Float64':
      return buffer.writeDoubleBE(avp.value, offset);
    case 'Address':
      buffer.writeUInt16BE(avp.value.family, offset);
      return offset + 2 + avp.value.bytes.copy(buffer, offset + 2);
    case 'Grouped':
      return writeAvps(buffer, offset, avp.value);
  }
}
