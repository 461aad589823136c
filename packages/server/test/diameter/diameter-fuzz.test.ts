import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { GY_DICTIONARY } from '../../src/diameter/avp-dictionary.js';
import { BASE_AVPS } from '../../src/diameter/base-avps.js';
import { decodeMessage } from '../../src/diameter/decode-message.js';
import { encodeMessage } from '../../src/diameter/encode-message.js';
import { findValue } from '../../src/diameter/find-avp.js';
import { ccrMessage, RawPeer, startTestServer } from './diameter-fixtures.js';

const VALID_CCR = encodeMessage(
  ccrMessage({
    destination: '+4930123456',
    services: [{ ratingGroup: 2, unit: 'bytes', requestedUnits: 'default', usedUnits: 10n }],
  }),
);

/** Overwrites a few bytes, or cuts the message short, or both. */
const mutation = fc
  .tuple(
    fc.array(fc.tuple(fc.nat({ max: VALID_CCR.length - 1 }), fc.nat({ max: 255 })), {
      minLength: 1,
      maxLength: 6,
    }),
    fc.option(fc.nat({ max: VALID_CCR.length }), { nil: undefined }),
  )
  .map(([writes, cut]) => {
    const bytes = Buffer.from(VALID_CCR);
    for (const [offset, byte] of writes) bytes[offset] = byte;
    return cut === undefined ? bytes : bytes.subarray(0, cut);
  });

const { server } = await startTestServer();
afterAll(() => server.close());

describe('Diameter fuzzing', () => {
  it('decodes any mutation of a CCR to a message or a result code, never an exception', () => {
    fc.assert(
      fc.property(mutation, (bytes) => {
        if (bytes.length < 20) return;
        const decoded = decodeMessage(bytes.subarray(0, bytes.length & ~3), GY_DICTIONARY);
        if (!decoded.ok) expect(decoded.resultCode).toBeGreaterThanOrEqual(3000);
      }),
      { numRuns: 2_000 },
    );
  });

  it('survives mutated CCRs over TCP and keeps serving', async () => {
    const samples = fc.sample(mutation, { numRuns: 200, seed: 4006 });
    for (let start = 0; start < samples.length; start += 50) {
      await Promise.all(samples.slice(start, start + 50).map((bytes) => sendAndHangUp(bytes)));
    }
    const peer = await RawPeer.open(server.port);
    peer.write(VALID_CCR);
    expect(findValue((await peer.next()).avps, BASE_AVPS.resultCode)).toBe(2001);
    peer.socket.destroy();
  });
});

async function sendAndHangUp(bytes: Buffer): Promise<void> {
  const peer = await RawPeer.open(server.port);
  peer.write(bytes);
  peer.socket.end();
  await peer.closed;
  for (const answer of peer.messages) {
    expect(answer.request).toBe(false);
    expect(findValue(answer.avps, BASE_AVPS.resultCode)).toBeGreaterThanOrEqual(2000);
  }
}
