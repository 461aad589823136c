import { createServer, type Socket } from 'node:net';
import type { CreditControl } from '../charging/credit-control.js';
import type { DiameterPeer } from './capabilities-exchange.js';
import { type DiameterLogger, SILENT_LOGGER } from './diameter-logger.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './message-framer.js';
import { PeerConnection } from './peer-connection.js';

export interface DiameterServerOptions {
  /** 0 picks a free port. RFC 6733 2.1: Diameter's port is 3868. */
  readonly port: number;
  readonly host?: string | undefined;
  readonly originHost: string;
  readonly originRealm: string;
  /** The tenant a peer charges for, from its CER; undefined refuses it (3010 DIAMETER_UNKNOWN_PEER). */
  readonly resolveTenant: (peer: DiameterPeer) => string | undefined;
  readonly creditControl: CreditControl;
  /** RFC 3539 Tw: how long a peer may stay silent before we probe it with a DWR. */
  readonly watchdogIntervalMs?: number | undefined;
  readonly logger?: DiameterLogger | undefined;
  /** Our Vendor-Id in CEA (RFC 6733 5.3.3); 0 while Tollgate has no IANA enterprise number. */
  readonly vendorId?: number | undefined;
  /** CCRs answered concurrently per connection; beyond it the server stops reading. */
  readonly maxInFlightPerConnection?: number | undefined;
  readonly maxMessageBytes?: number | undefined;
}

export interface DiameterServer {
  readonly port: number;
  /** Sends DPR to every open peer, closes the connections and stops listening. */
  close(): Promise<void>;
}

/** RFC 3539 3.4.1 suggests Tw of 30 seconds (and no less than 6). */
const DEFAULT_WATCHDOG_INTERVAL_MS = 30_000;
const DEFAULT_MAX_IN_FLIGHT = 1024;

export async function startDiameterServer(options: DiameterServerOptions): Promise<DiameterServer> {
  const connections = new Map<Socket, PeerConnection>();
  const peerOptions = {
    // RFC 6733 8.16: Origin-State-Id grows with each restart; seconds since the epoch do.
    identity: {
      originHost: options.originHost,
      originRealm: options.originRealm,
      originStateId: Math.floor(Date.now() / 1000),
    },
    vendorId: options.vendorId ?? 0,
    resolveTenant: options.resolveTenant,
    creditControl: options.creditControl,
    logger: options.logger ?? SILENT_LOGGER,
    watchdogIntervalMs: options.watchdogIntervalMs ?? DEFAULT_WATCHDOG_INTERVAL_MS,
    maxInFlight: options.maxInFlightPerConnection ?? DEFAULT_MAX_IN_FLIGHT,
    maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
  };
  const server = createServer((socket) => {
    connections.set(socket, new PeerConnection(socket, peerOptions));
    socket.on('close', () => connections.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  server.on('error', (error) => peerOptions.logger.error({ err: error }, 'Diameter server error'));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    port,
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const connection of connections.values()) connection.disconnect();
      return closed;
    },
  };
}
