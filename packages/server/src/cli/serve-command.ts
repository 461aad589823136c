import type { Command } from 'commander';
import { startAllowanceRenewal } from '../billing/allowance-renewal.js';
import { startBillRunQueue } from '../billing/bill-run-queue.js';
import { loadConfig } from '../config/load-config.js';
import { migrateDatabase } from '../db/migrate-database.js';
import { FraudMonitor } from '../fraud/fraud-monitor.js';
import { buildApp } from '../http/build-app.js';
import { type DropDirectoryWatcher, watchDropDirectory } from '../mediation/watch-drop-directory.js';
import { AppMetrics } from '../metrics/app-metrics.js';
import { createNotificationChannels } from '../notifications/create-notification-channels.js';
import { startNotificationRelay } from '../notifications/notification-relay.js';
import { startNotificationSender } from '../notifications/notification-sender.js';
import { ThresholdEvaluator } from '../notifications/thresholds/threshold-evaluator.js';
import { startCollectionsQueue } from '../payments/collections-jobs.js';
import { createPaymentGateways } from '../payments/gateways/create-payment-gateways.js';
import { startReportFolding } from '../reports/report-folding.js';
import { DEMO_CUSTOMER_SIGN_IN, DEMO_PASSWORD, DEMO_STAFF_SIGN_IN } from '../seed/demo-users.js';
import { DEMO_TENANT_SLUG, seedDemo } from '../seed/seed-demo.js';
import { type DemoActivitySummary, demoFoundedAt, seedDemoActivity } from '../seed/seed-demo-activity.js';
import { findUserByEmail } from '../users/user-store.js';
import { startWebhookDispatcher } from '../webhooks/webhook-dispatcher.js';
import { ExitCode } from './exit-codes.js';
import { openConfiguredDatabase } from './open-database.js';
import { startCharging } from './start-charging.js';

/** Headers that carry secrets never reach the logs. */
const REDACTED = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'];

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the API server: migrate, seed the demo operator on an empty database, listen')
    .option('--port <port>', 'port (TOLLGATE_PORT, default 3000; 0 picks a free one)')
    .option('--host <host>', 'address to listen on (TOLLGATE_HOST, default 127.0.0.1)')
    .action(async (flags: { port?: string; host?: string }) => {
      const loaded = await loadConfig(process.env, {
        ...(flags.port === undefined ? {} : { port: Number(flags.port) }),
        ...(flags.host === undefined ? {} : { host: flags.host }),
      });
      if (!loaded.ok) {
        console.error('invalid configuration:');
        for (const problem of loaded.problems) console.error(`  ${problem}`);
        process.exitCode = ExitCode.usage;
        return;
      }
      const { config } = loaded;
      const database = await openConfiguredDatabase(config);
      const migrated = await migrateDatabase(database.db);
      if (migrated.error !== undefined) {
        await database.close();
        throw migrated.error;
      }
      const now = () => new Date();
      const paymentGateways = createPaymentGateways({
        sandbox: config.sandboxGateway,
        sandboxWebhookSecret: config.sandboxWebhookSecret,
        ...(config.stripeSecretKey === undefined ? {} : { stripeSecretKey: config.stripeSecretKey }),
        ...(config.stripeWebhookSecret === undefined
          ? {}
          : { stripeWebhookSecret: config.stripeWebhookSecret }),
        ...(config.stripeApiBase === undefined ? {} : { stripeApiBase: config.stripeApiBase }),
      });
      // The demo operator is set up in the past and given the history of a working one up to now;
      // its card is saved with the gateways this process charges through.
      const seededAt = new Date();
      const foundedAt = config.seedDemoActivity ? demoFoundedAt(seededAt) : seededAt;
      const seeded = config.seedDemo ? await seedDemo(database.db, foundedAt) : null;
      const activity =
        seeded === null || !config.seedDemoActivity
          ? null
          : await seedDemoActivity(database.db, seeded, seededAt, { gateways: paymentGateways });
      const demoSignIns =
        activity !== null ||
        (config.seedDemo &&
          (await findUserByEmail(database.db, DEMO_TENANT_SLUG, DEMO_STAFF_SIGN_IN)) !== undefined);
      // One set of metrics for the API, the charging engine (and its Diameter server) and the drop directory.
      const metrics = new AppMetrics({ db: database.db, now });
      const charging = await startCharging(config, database, now, paymentGateways, metrics);
      const billRuns = await startBillRunQueue(database, now, config.billingWorkers);
      // Collections log through the app's logger once it exists; until then to stderr.
      const collectionsLog = {
        error: (object: unknown, message: string) => console.error(message, object),
      };
      const collections = await startCollectionsQueue(billRuns.boss, database.db, paymentGateways, now, {
        intervalMinutes: config.collectionsIntervalMinutes,
        work: config.collectionsWorkers,
        log: collectionsLog,
      });
      const app = await buildApp({
        billRuns,
        collections,
        paymentGateways,
        db: database.db,
        now,
        charging: charging.engine,
        logger: { level: config.logLevel, redact: REDACTED },
        bodyLimitBytes: config.bodyLimitBytes,
        rateLimitPerMinute: config.rateLimitPerMinute,
        secureCookies: config.secureCookies,
        publicUrl: config.publicUrl,
        metrics,
        metricsToken: config.metricsToken,
      });
      charging.attachLogger(app.log);
      collectionsLog.error = (object, message) => app.log.error(object, message);
      const webhooks = startWebhookDispatcher(database.db, { now, log: app.log });
      const notifications = startNotificationSender(database.db, {
        now,
        log: app.log,
        channels: createNotificationChannels(config),
      });
      const notificationRelay = startNotificationRelay(database.db, {
        now,
        log: app.log,
        onQueued: () => notifications.nudge(),
      });
      const allowances = config.allowanceRenewal ? startAllowanceRenewal(database.db, now, app.log) : null;
      const reportFolding = startReportFolding(database.db, app.log);
      const address = await app.listen({ port: config.port, host: config.host });
      let diameter: Awaited<ReturnType<typeof charging.startDiameter>>;
      try {
        diameter = await charging.startDiameter();
      } catch (error) {
        // A port in use must stop the process, not leave the API running without its charging port.
        console.error(
          `cannot serve Diameter on ${config.host}:${config.diameterPort}: ${(error as Error).message} ` +
            '(choose another TOLLGATE_DIAMETER_PORT, or -1 to turn it off)',
        );
        await app.close();
        await webhooks.stop();
        await notificationRelay.stop();
        await notifications.stop();
        await allowances?.stop();
        await reportFolding.stop();
        await collections.stop();
        await charging.stop();
        await billRuns.stop();
        await database.close();
        process.exitCode = ExitCode.failure;
        return;
      }
      let dropDirectory: DropDirectoryWatcher | null = null;
      if (config.ingestDirectory !== undefined) {
        const tenant = await database.db
          .selectFrom('tenants')
          .select('id')
          .where('slug', '=', config.ingestTenant)
          .executeTakeFirst();
        if (tenant === undefined)
          app.log.error({ tenant: config.ingestTenant }, 'no such tenant: the drop directory is not watched');
        else {
          const thresholds = new ThresholdEvaluator(database.db, now, (error) =>
            app.log.error({ err: error }, 'threshold evaluation failed'),
          );
          const fraud = new FraudMonitor(database.db, now, (error) =>
            app.log.error({ err: error }, 'fraud evaluation failed'),
          );
          dropDirectory = watchDropDirectory(database.db, {
            root: config.ingestDirectory,
            tenantId: tenant.id,
            log: app.log,
            afterCommit: async (touched) => {
              await thresholds.afterUsage(touched);
              await fraud.afterUsage(touched);
            },
            metrics: metrics.usage,
          });
        }
      }
      printBanner(
        address,
        database.driver === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL',
        seeded?.adminKey,
        diameter === null ? null : `${config.host}:${diameter.port}`,
        [...paymentGateways.keys()],
        { signIns: demoSignIns, activity },
      );
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        app.log.info({ signal }, 'shutting down: finishing requests in flight');
        await dropDirectory?.stop();
        await diameter?.close();
        await app.close();
        await webhooks.stop();
        await notificationRelay.stop();
        await notifications.stop();
        await allowances?.stop();
        await reportFolding.stop();
        await collections.stop();
        await charging.stop();
        await billRuns.stop();
        await database.close();
      };
      process.once('SIGTERM', () => void stop('SIGTERM'));
      process.once('SIGINT', () => void stop('SIGINT'));
    });
}

function printBanner(
  address: string,
  storage: string,
  adminKey: string | undefined,
  diameter: string | null,
  gateways: readonly string[],
  demo: { readonly signIns: boolean; readonly activity: DemoActivitySummary | null },
): void {
  const payments =
    gateways.length === 0
      ? 'no payment gateway (TOLLGATE_STRIPE_SECRET_KEY, TOLLGATE_SANDBOX_GATEWAY)'
      : gateways
          .map((name) =>
            name === 'sandbox'
              ? 'sandbox (test cards only: TOLLGATE_SANDBOX_GATEWAY=false in production)'
              : name,
          )
          .join(', ');
  const lines = [
    '',
    `Tollgate is running at ${address}`,
    `  portal:       ${address}/   (customers)`,
    `  console:      ${address}/console   (operator staff)`,
    `  API docs:     ${address}/docs   (OpenAPI: ${address}/openapi.json)`,
    `  health:       ${address}/health, ${address}/ready`,
    `  metrics:      ${address}/metrics   (Prometheus)`,
    `  database:     ${storage}`,
    `  Diameter:     ${diameter === null ? 'off (TOLLGATE_DIAMETER_PORT=-1)' : `Gy/Ro credit control on ${diameter}`}`,
    `  payments:     ${payments}`,
  ];
  if (adminKey === undefined) {
    lines.push(
      '',
      'Using the existing data. A new admin key: npx tollgate api-key issue --tenant demo --role admin',
    );
  } else {
    lines.push(
      '',
      'Demo operator "Demo Telecom" (slug demo) created. Its admin API key is shown this once:',
      `  ${adminKey}`,
      `  try: curl -H "Authorization: Bearer ${adminKey}" ${address}/v1/customers`,
    );
  }
  const { activity } = demo;
  if (activity !== null)
    lines.push(
      `  its history:  ${activity.usage.loaded} calls, messages and data sessions since ` +
        `${activity.usageFrom.slice(0, 10)}, ${activity.invoices} invoices (${activity.payments} paid), ` +
        `${activity.topUps} prepaid top-ups`,
    );
  if (demo.signIns)
    lines.push(
      '',
      `Demo sign-ins (tenant ${DEMO_TENANT_SLUG}, password "${DEMO_PASSWORD}" unless changed):`,
      `  customer portal:   ${DEMO_CUSTOMER_SIGN_IN}   at ${address}/`,
      `  operator console:  ${DEMO_STAFF_SIGN_IN}   at ${address}/console`,
    );
  console.log(lines.join('\n'));
}
