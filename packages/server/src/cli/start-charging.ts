import type { FastifyBaseLogger } from 'fastify';
import { AutoRecharger } from '../balances/auto-recharger.js';
import { ChargingEngine } from '../charging/charging-engine.js';
import { startChargingUpkeep } from '../charging/start-charging-upkeep.js';
import type { Config } from '../config/load-config.js';
import type { DatabaseHandle } from '../db/create-database.js';
import { type DiameterServer, startDiameterServer } from '../diameter/start-diameter-server.js';
import { FraudMonitor } from '../fraud/fraud-monitor.js';
import type { AppMetrics } from '../metrics/app-metrics.js';
import { ThresholdEvaluator } from '../notifications/thresholds/threshold-evaluator.js';
import { gatewayPaymentCollector } from '../payments/gateway-payment-collector.js';
import type { PaymentGateways } from '../payments/gateways/payment-gateway.js';

export interface RunningCharging {
  readonly engine: ChargingEngine;
  /** Routes the engine's and the Diameter server's errors to the app's log. */
  attachLogger(logger: FastifyBaseLogger): void;
  /** Starts the Diameter server unless the configuration turns it off. */
  startDiameter(): Promise<DiameterServer | null>;
  stop(): Promise<void>;
}

/**
 * The online charging of a serving process: the engine (several batches in flight on
 * PostgreSQL, one on PGlite, which has one connection), auto-recharge after debits, the upkeep
 * sweeps, and the Diameter server for the configured tenant.
 */
export async function startCharging(
  config: Config,
  database: DatabaseHandle,
  now: () => Date,
  gateways: PaymentGateways,
  metrics?: AppMetrics,
): Promise<RunningCharging> {
  let logger: FastifyBaseLogger | null = null;
  const onError = (error: unknown) => logger?.error({ err: error }, 'charging failed');
  const recharger = new AutoRecharger(
    database.db,
    gatewayPaymentCollector(database.db, gateways, now),
    now,
    onError,
  );
  const thresholds = new ThresholdEvaluator(database.db, now, (error) =>
    logger?.error({ err: error }, 'threshold evaluation failed'),
  );
  const fraud = new FraudMonitor(database.db, now, (error) =>
    logger?.error({ err: error }, 'fraud evaluation failed'),
  );
  const engine = new ChargingEngine({
    db: database.db,
    now,
    lanes: config.chargingLanes ?? (database.driver === 'pglite' ? 1 : 2),
    afterCommit: (accounts) => {
      recharger.afterDebit(accounts);
      thresholds.afterCharge(accounts);
      fraud.afterCharge(accounts);
    },
    afterSessionsOpened: (lines) => fraud.afterCharge(lines),
    onError,
    ...(metrics === undefined ? {} : { metrics: metrics.charging }),
  });
  const upkeep = startChargingUpkeep(database.db, engine, now, { onError });
  return {
    engine,
    attachLogger: (appLogger) => {
      logger = appLogger;
    },
    startDiameter: async () => {
      if (config.diameterPort < 0) return null;
      const allowedPeers = config.diameterPeers
        .split(',')
        .map((host) => host.trim())
        .filter((host) => host !== '');
      const tenant = await database.db
        .selectFrom('tenants')
        .select('id')
        .where('slug', '=', config.diameterTenant)
        .executeTakeFirst();
      if (tenant === undefined)
        logger?.warn({ tenant: config.diameterTenant }, 'no such tenant: Diameter peers are refused');
      return startDiameterServer({
        port: config.diameterPort,
        host: config.host,
        originHost: config.diameterOriginHost,
        originRealm: config.diameterOriginRealm,
        // RFC 6733 5.3: a CER from a peer we do not know is answered DIAMETER_UNKNOWN_PEER.
        resolveTenant: (peer) =>
          allowedPeers.length === 0 || allowedPeers.includes(peer.originHost) ? tenant?.id : undefined,
        creditControl: engine,
        ...(logger === null ? {} : { logger }),
      });
    },
    stop: async () => {
      await upkeep.stop();
      await thresholds.idle();
      await fraud.idle();
    },
  };
}
