import { connect, type Socket } from 'node:net';
import { GY_DICTIONARY } from '../../src/diameter/avp-dictionary.js';
import { capabilitiesRequest } from '../../src/diameter/base-requests.js';
import type { CreditControlCall } from '../../src/diameter/credit-control-call.js';
import { decodeMessage } from '../../src/diameter/decode-message.js';
import { addressFromIp } from '../../src/diameter/diameter-address.js';
import type { DiameterMessage } from '../../src/diameter/diameter-message.js';
import { creditControlRequest } from '../../src/diameter/encode-credit-control-request.js';
import { encodeMessage } from '../../src/diameter/encode-message.js';
import { isFramingError, MessageFramer } from '../../src/diameter/message-framer.js';
import { RequestIdentifiers } from '../../src/diameter/request-identifiers.js';
import { type DiameterServerOptions, startDiameterServer } from '../../src/diameter/start-diameter-server.js';
import { InMemoryCreditControl } from './in-memory-credit-control.js';

export const CLIENT = { originHost: 'pgw.test.example', originRealm: 'test.example', originStateId: 1 };
export const TARGET = { destinationRealm: 'tollgate.example', serviceContextId: '32251@3gpp.org' };

export async function startTestServer(overrides: Partial<DiameterServerOptions> = {}) {
  const creditControl = new InMemoryCreditControl({
    '491700000001': 1_000n,
    '491700000002': 30n,
    boom: 0n,
    busy: 0n,
  });
  const server = await startDiameterServer({
    port: 0,
    host: '127.0.0.1',
    originHost: 'ocs.tollgate.example',
    originRealm: 'tollgate.example',
    resolveTenant: (peer) => (peer.originRealm.endsWith('example') ? 'tenant-1' : undefined),
    creditControl,
    watchdogIntervalMs: 30_000,
    ...overrides,
  });
  return { server, creditControl };
}

const ids = new RequestIdentifiers();

export function cerBytes(identity = CLIENT): Buffer {
  return encodeMessage(capabilitiesRequest(identity, addressFromIp('127.0.0.1'), ids));
}

export function ccrMessage(call: Partial<CreditControlCall> = {}): DiameterMessage {
  const full: CreditControlCall = {
    sessionId: 'pgw.test.example;1;1',
    requestType: 'initial',
    requestNumber: 0,
    subscriber: { kind: 'msisdn', value: '491700000001' },
    services: [{ ratingGroup: 1, unit: 'seconds', requestedUnits: 120n }],
    ...call,
  };
  return creditControlRequest(full, CLIENT, TARGET, ids);
}

/** A peer speaking raw bytes, reading back whatever the server sends. */
export class RawPeer {
  readonly messages: DiameterMessage[] = [];
  readonly closed: Promise<void>;
  private readonly framer = new MessageFramer();
  private waiter: (() => void) | undefined;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.framer.push(chunk);
      for (
        let frame = this.framer.next();
        frame !== undefined && !isFramingError(frame);
        frame = this.framer.next()
      ) {
        const decoded = decodeMessage(frame, GY_DICTIONARY);
        if (decoded.ok) this.messages.push(decoded.message);
      }
      this.waiter?.();
    });
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.on('close', () => this.waiter?.());
  }

  static async connect(port: number): Promise<RawPeer> {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise((resolve) => socket.once('connect', resolve));
    return new RawPeer(socket);
  }

  /** Sends a CER and waits for the CEA. */
  static async open(port: number): Promise<RawPeer> {
    const peer = await RawPeer.connect(port);
    peer.socket.write(cerBytes());
    await peer.next();
    return peer;
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next message the server sends, in arrival order. */
  async next(timeoutMs = 2_000): Promise<DiameterMessage> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length === 0) {
      if (this.socket.destroyed || Date.now() > deadline) throw new Error('no message from the server');
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 50);
      });
    }
    return this.messages.shift() as DiameterMessage;
  }
}
