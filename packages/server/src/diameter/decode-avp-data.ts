import { isUtf8 } from 'node:buffer';
import type { AvpType, AvpValue } from './avp.js';
import { RESULT_CODE } from './result-codes.js';

/** Why data could not be decoded: 5014 for a wrong size, 5004 for a bad value (RFC 6733 7.1.5). */
export type AvpDataFailure = typeof RESULT_CODE.invalidAvpLength | typeof RESULT_CODE.invalidAvpValue;

/** RFC 6733 4.3.1: IANA address families 1 (IPv4) and 2 (IPv6) and their sizes. */
const ADDRESS_BYTES: Readonly<Record<number, number>> = { 1: 4, 2: 16 };

/** Decodes the data of a non-grouped AVP by its type (RFC 6733 4.2, 4.3). */
export function decodeAvpData(type: Exclude<AvpType, 'Grouped'>, data: Buffer): AvpValue | AvpDataFailure {
  switch (type) {
    case 'OctetString':
      return { type, value: data };
    case 'UTF8String':
    case 'DiameterIdentity':
    case 'DiameterURI':
      return isUtf8(data) ? { type, value: data.toString('utf8') } : RESULT_CODE.invalidAvpValue;
    case 'Integer32':
    case 'Enumerated':
      return data.length === 4 ? { type, value: data.readInt32BE(0) } : RESULT_CODE.invalidAvpLength;
    case 'Unsigned32':
    case 'Time':
      return data.length === 4 ? { type, value: data.readUInt32BE(0) } : RESULT_CODE.invalidAvpLength;
    case 'Float32':
      return data.length === 4 ? { type, value: data.readFloatBE(0) } : RESULT_CODE.invalidAvpLength;
    case 'Integer64':
      return data.length === 8 ? { type, value: data.readBigInt64BE(0) } : RESULT_CODE.invalidAvpLength;
    case 'Unsigned64':
      return data.length === 8 ? { type, value: data.readBigUInt64BE(0) } : RESULT_CODE.invalidAvpLength;
    case 'Float64':
      return data.length === 8 ? { type, value: data.readDoubleBE(0) } : RESULT_CODE.invalidAvpLength;
    case 'Address':
      return decodeAddress(data);
  }
}

function decodeAddress(data: Buffer): AvpValue | AvpDataFailure {
  if (data.length < 2) return RESULT_CODE.invalidAvpLength;
  const family = data.readUInt16BE(0);
  const bytes = data.subarray(2);
  const expected = ADDRESS_BYTES[family];
  if (expected !== undefined && bytes.length !== expected) return RESULT_CODE.invalidAvpValue;
  return { type: 'Address', value: { family, bytes } };
}

/** RFC 6733 7.5: a sample AVP carries a zero-filled payload of its type's minimum size. */
export function minimumDataBytes(type: AvpType): number {
  switch (type) {
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
      return 6;
    default:
      return 0;
  }
}
