import { afterAll, describe, expect, it } from 'vitest';
import type { Avp } from '../../src/diameter/avp.js';
import { BASE_AVPS } from '../../src/diameter/base-avps.js';
import { watchdogRequest } from '../../src/diameter/base-requests.js';
import type { DiameterMessage } from '../../src/diameter/diameter-message.js';
import { encodeMessage } from '../../src/diameter/encode-message.js';
import { findAvp, findValue } from '../../src/diameter/find-avp.js';
import { RequestIdentifiers } from '../../src/diameter/request-identifiers.js';
import { CLIENT, ccrMessage, RawPeer, startTestServer } from './diameter-fixtures.js';

const { server } = await startTestServer();
afterAll(() => server.close());

function resultOf(answer: DiameterMessage): number | undefined {
  return findValue(answer.avps, BASE_AVPS.resultCode);
}

function failedAvpCode(answer: DiameterMessage): number | undefined {
  const failed = findValue(answer.avps, BASE_AVPS.failedAvp);
  return failed?.[0]?.code;
}

/** A CCR with one AVP's length field overwritten. */
function ccrWithAvpLength(length: number): Buffer {
  const bytes = Buffer.from(encodeMessage(ccrMessage()));
  // The first AVP (Session-Id) starts at byte 20; its length is bytes 25-27.
  bytes.writeUIntBE(length, 25, 3);
  return bytes;
}

async function expectServing(): Promise<void> {
  const peer = await RawPeer.open(server.port);
  peer.write(encodeMessage(ccrMessage()));
  expect(resultOf(await peer.next())).toBe(2001);
  peer.socket.destroy();
}

describe('Diameter protocol errors', () => {
  it.each([
    ['an AVP longer than the message', ccrWithAvpLength(5_000), 5014, 263],
    ['an AVP shorter than its header', ccrWithAvpLength(4), 5014, 263],
  ])('answers %s with %s and Failed-AVP', async (_name, bytes, resultCode, failedCode) => {
    const peer = await RawPeer.open(server.port);
    peer.write(bytes);
    const answer = await peer.next();
    expect(resultOf(answer)).toBe(resultCode);
    expect(failedAvpCode(answer)).toBe(failedCode);
    expect(answer.error).toBe(false);
    peer.socket.destroy();
  });

  it('answers an unknown AVP with the M bit with 5001, naming it in Failed-AVP', async () => {
    const peer = await RawPeer.open(server.port);
    const unknown: Avp = {
      code: 77_777,
      vendorId: 99,
      mandatory: true,
      type: 'OctetString',
      value: Buffer.from('?'),
    };
    const ccr = ccrMessage();
    peer.write(encodeMessage({ ...ccr, avps: [...ccr.avps, unknown] }));
    const answer = await peer.next();
    expect(resultOf(answer)).toBe(5001);
    expect(findValue(answer.avps, BASE_AVPS.failedAvp)).toEqual([{ ...unknown, protected: false }]);
    expect(answer.avps[0]).toMatchObject({ code: 263 });
    peer.socket.destroy();
  });

  it.each([
    [BASE_AVPS.sessionId.name, 263],
    ['CC-Request-Type', 416],
    ['Auth-Application-Id', 258],
  ])('answers a CCR without %s with 5005 and a sample AVP', async (_name, code) => {
    const peer = await RawPeer.open(server.port);
    const ccr = ccrMessage();
    peer.write(encodeMessage({ ...ccr, avps: ccr.avps.filter((avp) => avp.code !== code) }));
    const answer = await peer.next();
    expect(resultOf(answer)).toBe(5005);
    expect(failedAvpCode(answer)).toBe(code);
    peer.socket.destroy();
  });

  it('answers an unsupported CC-Request-Type value with 5004', async () => {
    const peer = await RawPeer.open(server.port);
    const ccr = ccrMessage();
    const avps = ccr.avps.map((avp) => (avp.code === 416 ? { ...avp, value: 9 } : avp)) as Avp[];
    peer.write(encodeMessage({ ...ccr, avps }));
    const answer = await peer.next();
    expect(resultOf(answer)).toBe(5004);
    expect(findValue(answer.avps, BASE_AVPS.failedAvp)?.[0]).toMatchObject({ code: 416, value: 9 });
    peer.socket.destroy();
  });

  it.each([
    ['an unknown command', { commandCode: 999 }, 3001],
    ['a CCR for another application', { applicationId: 16777238 }, 3007],
    ['a request with the E bit', { error: true }, 3008],
  ])('answers %s with %s and the E bit', async (_name, header, resultCode) => {
    const peer = await RawPeer.open(server.port);
    peer.write(encodeMessage({ ...ccrMessage(), ...header }));
    const answer = await peer.next();
    expect(resultOf(answer)).toBe(resultCode);
    expect(answer.error).toBe(true);
    peer.write(encodeMessage(ccrMessage()));
    expect(resultOf(await peer.next())).toBe(2001);
    peer.socket.destroy();
  });

  it('answers a bad version with 5011 and closes the connection', async () => {
    const peer = await RawPeer.open(server.port);
    const bytes = Buffer.from(encodeMessage(ccrMessage()));
    bytes.writeUInt8(2, 0);
    peer.write(bytes);
    const answer = await peer.next();
    expect(resultOf(answer)).toBe(5011);
    expect(answer.hopByHopId).toBe(bytes.readUInt32BE(12));
    await peer.closed;
    await expectServing();
  });

  it('answers a message length below 20 with 5015 and closes', async () => {
    const peer = await RawPeer.open(server.port);
    const bytes = Buffer.from(encodeMessage(ccrMessage()));
    bytes.writeUIntBE(16, 1, 3);
    peer.write(bytes);
    expect(resultOf(await peer.next())).toBe(5015);
    await peer.closed;
  });

  it('closes on a truncated header, and on garbage, without harm to others', async () => {
    const truncated = await RawPeer.open(server.port);
    truncated.write(encodeMessage(ccrMessage()).subarray(0, 11));
    truncated.socket.end();
    await truncated.closed;
    const garbage = await RawPeer.connect(server.port);
    garbage.write(Buffer.from('GET / HTTP/1.1\r\nHost: example\r\n\r\n'));
    await garbage.closed;
    await expectServing();
  });

  it('refuses a CCR before CER with 3010, then closes', async () => {
    const peer = await RawPeer.connect(server.port);
    peer.write(encodeMessage(ccrMessage()));
    const answer = await peer.next();
    expect(resultOf(answer)).toBe(3010);
    await peer.closed;
  });

  it('refuses a CER without the credit-control application with 5010', async () => {
    const peer = await RawPeer.connect(server.port);
    // A DWR's AVPs (origin and state) are a CER's without any application.
    const request = watchdogRequest(CLIENT, new RequestIdentifiers());
    peer.write(encodeMessage({ ...request, commandCode: 257 }));
    const answer = await peer.next();
    expect(resultOf(answer)).toBe(5010);
    expect(findAvp(answer.avps, BASE_AVPS.productName)).toBeDefined();
    await peer.closed;
  });

  it('answers DWR with DWA and DPR with DPA, then closes', async () => {
    const peer = await RawPeer.open(server.port);
    const ids = new RequestIdentifiers();
    peer.write(encodeMessage(watchdogRequest(CLIENT, ids)));
    const dwa = await peer.next();
    expect([dwa.commandCode, dwa.request, resultOf(dwa)]).toEqual([280, false, 2001]);
    peer.write(encodeMessage({ ...watchdogRequest(CLIENT, ids), commandCode: 282 }));
    const dpa = await peer.next();
    expect([dpa.commandCode, resultOf(dpa)]).toEqual([282, 2001]);
    await peer.closed;
  });

  it('probes a silent peer with DWR and closes the connection when it never answers (RFC 3539)', async () => {
    const quick = await startTestServer({ watchdogIntervalMs: 50 });
    const peer = await RawPeer.open(quick.server.port);
    const dwr = await peer.next();
    expect([dwr.commandCode, dwr.request]).toEqual([280, true]);
    await peer.closed;
    await quick.server.close();
  });
});
