import { isIPv4, isIPv6 } from 'node:net';
import type { AddressValue } from './avp.js';

/** RFC 6733 4.3.1 Address: IANA address family numbers. */
const FAMILY_IPV4 = 1;
const FAMILY_IPV6 = 2;

/**
 * The Address value of an IP address in text. An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`,
 * what a dual-stack socket reports) is sent as IPv4, the address the peer knows us by.
 */
export function addressFromIp(text: string): AddressValue {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text)?.[1];
  const ip = mapped ?? text;
  if (isIPv4(ip)) return { family: FAMILY_IPV4, bytes: Buffer.from(ip.split('.').map(Number)) };
  if (!isIPv6(ip)) throw new RangeError(`"${text}" is not an IP address`);
  return { family: FAMILY_IPV6, bytes: ipv6Bytes(ip) };
}

export function ipFromAddress(address: AddressValue): string | undefined {
  if (address.family === FAMILY_IPV4 && address.bytes.length === 4) return [...address.bytes].join('.');
  if (address.family !== FAMILY_IPV6 || address.bytes.length !== 16) return undefined;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(address.bytes.readUInt16BE(i).toString(16));
  // The URL parser writes the RFC 5952 form: zeros compressed, lower case.
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

function ipv6Bytes(ip: string): Buffer {
  const withoutZone = ip.split('%')[0] ?? ip;
  const [head = '', tail] = withoutZone.split('::');
  const headGroups = head === '' ? [] : head.split(':').flatMap(expandIpv4);
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':').flatMap(expandIpv4);
  const zeros = Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  const bytes = Buffer.alloc(16);
  [...headGroups, ...zeros, ...tailGroups].forEach((group, index) => {
    bytes.writeUInt16BE(Number.parseInt(group, 16), index * 2);
  });
  return bytes;
}

/** An embedded IPv4 tail (`::ffff:1.2.3.4`) is two 16-bit groups. */
function expandIpv4(group: string): string[] {
  if (!group.includes('.')) return [group];
  const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}
