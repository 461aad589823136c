import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { issueApiKey } from '../../src/auth/api-keys.js';
import { grantAllowance } from '../../src/balances/grant-allowance.js';
import type { ChargingEngineOptions } from '../../src/charging/charging-engine.js';
import { buildApp } from '../../src/http/build-app.js';
import { ThresholdEvaluator } from '../../src/notifications/thresholds/threshold-evaluator.js';
import { type ChargingFixture, openChargingFixture } from '../charging/charging-fixture.js';

export interface ThresholdsFixture {
  readonly charging: ChargingFixture;
  readonly app: FastifyInstance;
  readonly evaluator: ThresholdEvaluator;
  readonly errors: unknown[];
  readonly headers: Record<string, string>;
  lineOf(msisdn: string): Promise<string>;
  grantVoice(accountId: string, seconds: number, validFrom: Date, validTo: Date): Promise<string>;
  post(url: string, payload: unknown): Promise<LightMyRequestResponse>;
  call(method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * The demo operator with a charging engine whose afterCommit runs the threshold evaluator, as
 * `tollgate serve` wires it, behind the HTTP API (with the rules routes registered if the app
 * does not have them yet).
 */
export async function openThresholdsFixture(
  engine: Partial<ChargingEngineOptions> = {},
): Promise<ThresholdsFixture> {
  const charging = await openChargingFixture();
  const { db } = charging.database;
  const now = () => charging.clock.now;
  const errors: unknown[] = [];
  const evaluator = new ThresholdEvaluator(db, now, (error) => errors.push(error));
  const chargingEngine = charging.engine({
    afterCommit: (accounts) => evaluator.afterCharge(accounts),
    ...engine,
  });
  const app = await buildApp({ db, now, charging: chargingEngine });
  const key = await issueApiKey(db, charging.tenantId, 'thresholds-test', 'admin');
  const headers = { authorization: `Bearer ${key.key}` };
  return {
    charging,
    app,
    evaluator,
    errors,
    headers,
    lineOf: async (msisdn) =>
      (
        await db
          .selectFrom('subscription_identifiers')
          .select('subscription_id')
          .where('value', '=', msisdn)
          .executeTakeFirstOrThrow()
      ).subscription_id,
    grantVoice: async (accountId, seconds, validFrom, validTo) => {
      const granted = await grantAllowance(
        db,
        charging.tenantId,
        { type: 'system', id: 'test' },
        accountId,
        {
          unit: 'seconds',
          amount: String(seconds),
          service: 'call',
          priority: 0,
          label: 'Voice 10 min',
          validFrom: validFrom.toISOString(),
          validTo: validTo.toISOString(),
        },
        charging.clock.now,
      );
      if (!granted.ok) throw new Error(`grant failed: ${JSON.stringify(granted)}`);
      return granted.bucket.id;
    },
    post: (url, payload) => app.inject({ method: 'POST', url, headers, payload: payload as object }),
    call: (method, url, payload) =>
      app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) }),
    close: async () => {
      await evaluator.idle();
      await app.close();
      await charging.close();
    },
  };
}

/** The firings of an account, oldest first, as [kind, level] pairs (optionally of one subject). */
export async function firingsOf(
  fixture: ThresholdsFixture,
  accountId: string,
  subject?: string,
): Promise<{ kind: string; level: string; cycleKey: string; subject: string; id: string }[]> {
  const rows = await fixture.charging.database.db
    .selectFrom('notification_firings')
    .select(['id', 'kind', 'level', 'cycle_key', 'subject'])
    .where('account_id', '=', accountId)
    .$if(subject !== undefined, (q) => q.where('subject', '=', subject!))
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    kind: r.kind,
    level: r.level,
    cycleKey: r.cycle_key,
    subject: r.subject,
  }));
}

/** The distinct source keys of an account's messages of one event. */
export async function messageSourcesOf(
  fixture: ThresholdsFixture,
  accountId: string,
  event: string,
): Promise<string[]> {
  const rows = await fixture.charging.database.db
    .selectFrom('notifications')
    .select('source_key')
    .distinct()
    .where('account_id', '=', accountId)
    .where('event', '=', event)
    .orderBy('source_key')
    .execute();
  return rows.map((r) => r.source_key);
}
