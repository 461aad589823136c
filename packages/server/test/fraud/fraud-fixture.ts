import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { issueApiKey } from '../../src/auth/api-keys.js';
import { FraudMonitor } from '../../src/fraud/fraud-monitor.js';
import { buildApp } from '../../src/http/build-app.js';
import { type ChargingFixture, openChargingFixture } from '../charging/charging-fixture.js';

export interface FraudFixture {
  readonly charging: ChargingFixture;
  readonly app: FastifyInstance;
  readonly monitor: FraudMonitor;
  readonly errors: unknown[];
  lineOf(msisdn: string): Promise<string>;
  call(method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  /** POST /v1/usage with call events of a line (seconds each), at the given instants. */
  calls(
    msisdn: string,
    events: readonly { id: string; destination: string; at: Date; seconds: number }[],
  ): Promise<LightMyRequestResponse>;
  cases(query?: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/**
 * The demo operator behind the HTTP API, with a charging engine whose hooks run the fraud monitor
 * as `tollgate serve` wires it; mediation (POST /v1/usage) runs its own monitor, as the app does.
 */
export async function openFraudFixture(): Promise<FraudFixture> {
  const charging = await openChargingFixture();
  const { db } = charging.database;
  const now = () => charging.clock.now;
  const errors: unknown[] = [];
  const monitor = new FraudMonitor(db, now, (error) => errors.push(error));
  const engine = charging.engine({
    afterCommit: (accounts) => monitor.afterCharge(accounts),
    afterSessionsOpened: (lines) => monitor.afterCharge(lines),
  });
  const app = await buildApp({ db, now, charging: engine });
  const key = await issueApiKey(db, charging.tenantId, 'fraud-test', 'admin');
  const headers = { authorization: `Bearer ${key.key}` };
  const call: FraudFixture['call'] = (method, url, payload) =>
    app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  return {
    charging,
    app,
    monitor,
    errors,
    lineOf: async (msisdn) =>
      (
        await db
          .selectFrom('subscription_identifiers')
          .select('subscription_id')
          .where('value', '=', msisdn)
          .executeTakeFirstOrThrow()
      ).subscription_id,
    call,
    calls: (msisdn, events) =>
      call('POST', '/v1/usage', {
        events: events.map((e) => ({
          id: e.id,
          subscriber: msisdn,
          service: 'call',
          destination: e.destination,
          startedAt: e.at.toISOString(),
          units: e.seconds,
        })),
      }),
    cases: async (query = '') => {
      await monitor.idle();
      const response = await call('GET', `/v1/fraud-cases${query}`);
      if (response.statusCode !== 200) throw new Error(response.body);
      return response.json().items;
    },
    close: async () => {
      await monitor.idle();
      await app.close();
      await charging.close();
    },
  };
}
