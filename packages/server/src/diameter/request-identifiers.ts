import { randomInt } from 'node:crypto';

/**
 * Hop-by-hop and end-to-end identifiers for the requests a connection sends (RFC 6733 3):
 * hop-by-hop ids only need to be unique on the connection, so they count up from a random
 * start; end-to-end ids start with the low 12 bits of the time and 20 random bits, then count.
 */
export class RequestIdentifiers {
  private hopByHopId = randomInt(0, 0x100000000);
  private endToEndId: number;

  constructor(nowSeconds = Math.floor(Date.now() / 1000)) {
    this.endToEndId = ((nowSeconds & 0xfff) * 0x100000 + randomInt(0, 0x100000)) >>> 0;
  }

  nextHopByHopId(): number {
    this.hopByHopId = (this.hopByHopId + 1) >>> 0;
    return this.hopByHopId;
  }

  nextEndToEndId(): number {
    this.endToEndId = (this.endToEndId + 1) >>> 0;
    return this.endToEndId;
  }
}
