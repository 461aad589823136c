import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeAvp } from '../../src/diameter/avp-definition.js';
import { BASE_AVPS } from '../../src/diameter/base-avps.js';
import { encodeMessage } from '../../src/diameter/encode-message.js';
import { type FramingError, isFramingError, MessageFramer } from '../../src/diameter/message-framer.js';

function watchdogRequest(hopByHopId: number, padding: string): Buffer {
  return encodeMessage({
    commandCode: 280,
    applicationId: 0,
    request: true,
    proxiable: false,
    error: false,
    retransmitted: false,
    hopByHopId,
    endToEndId: hopByHopId,
    avps: [
      makeAvp(BASE_AVPS.originHost, `peer${padding}.example`),
      makeAvp(BASE_AVPS.originRealm, 'example'),
    ],
  });
}

function drain(framer: MessageFramer): Array<Buffer | FramingError> {
  const out: Array<Buffer | FramingError> = [];
  for (let frame = framer.next(); frame !== undefined; frame = framer.next()) {
    out.push(frame);
    if (isFramingError(frame)) break;
  }
  return out;
}

/** Cuts `bytes` at the given positions. */
function chunked(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

describe('MessageFramer', () => {
  it('yields pipelined messages, however the stream is cut (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 30 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (paddings, cuts) => {
          const messages = paddings.map((padding, index) => watchdogRequest(index, padding));
          const framer = new MessageFramer();
          const frames: Array<Buffer | FramingError> = [];
          for (const chunk of chunked(Buffer.concat(messages), cuts)) {
            framer.push(chunk);
            frames.push(...drain(framer));
          }
          expect(frames).toEqual(messages);
          expect(framer.bufferedBytes).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('waits for a header split after one byte', () => {
    const message = watchdogRequest(1, '');
    const framer = new MessageFramer();
    framer.push(message.subarray(0, 1));
    expect(framer.next()).toBeUndefined();
    framer.push(message.subarray(1));
    expect(framer.next()).toEqual(message);
  });

  it.each([
    ['a version other than 1', (bytes: Buffer) => bytes.writeUInt8(2, 0), 5011],
    ['a length below 20', (bytes: Buffer) => bytes.writeUIntBE(12, 1, 3), 5015],
    ['a length not a multiple of 4', (bytes: Buffer) => bytes.writeUIntBE(42, 1, 3), 5015],
    ['a length above the limit', (bytes: Buffer) => bytes.writeUIntBE(0xfffffc, 1, 3), 5015],
  ])('fails for %s, once the header is there, and stays failed', (_name, spoil, resultCode) => {
    const bytes = Buffer.from(watchdogRequest(7, ''));
    spoil(bytes);
    const framer = new MessageFramer();
    framer.push(bytes.subarray(0, 10));
    expect(framer.next()).toBeUndefined();
    framer.push(bytes.subarray(10));
    const error = framer.next();
    expect(error).toMatchObject({ resultCode });
    expect(error && isFramingError(error) ? error.header.readUInt32BE(12) : 0).toBe(7);
    framer.push(watchdogRequest(8, ''));
    expect(framer.next()).toBe(error);
  });
});
