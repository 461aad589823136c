import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateAccount } from '../../src/accounts/update-account.js';
import { grantAllowance } from '../../src/balances/grant-allowance.js';
import { setSpendingCap } from '../../src/balances/set-spending-cap.js';
import { ChargingEngine } from '../../src/charging/charging-engine.js';
import type { CreditControlAnswer } from '../../src/charging/credit-control.js';
import { createDatabase } from '../../src/db/create-database.js';
import { type ChargingFixture, mainBalance, openChargingFixture, voiceRequest } from './charging-fixture.js';

const ACTOR = { type: 'system', id: 'test' } as const;

function charged(answers: readonly CreditControlAnswer[]): bigint {
  let total = 0n;
  for (const answer of answers) if (answer.ok) for (const s of answer.services) total += s.chargedMicros;
  return total;
}

describe('charging against allowances, caps and credit limits', () => {
  let fixture: ChargingFixture;
  beforeAll(async () => {
    fixture = await openChargingFixture();
  });
  afterAll(() => fixture.close());

  it('spends a voice allowance before money', async () => {
    const { accountId } = fixture.prepaid;
    await fixture.topUp(accountId, '1.00');
    const granted = await grantAllowance(
      fixture.database.db,
      fixture.tenantId,
      ACTOR,
      accountId,
      { unit: 'seconds', amount: '90', service: 'call', label: 'Free minutes' },
      fixture.clock.now,
    );
    if (!granted.ok) throw new Error(JSON.stringify(granted));
    const engine = fixture.engine();
    const started = await engine.initiate(voiceRequest(fixture, 'allow-1', 0, { requested: 120n }));
    expect(started).toMatchObject({ ok: true, services: [{ grantedUnits: 120n }] });
    // 90 s from the allowance; the other 30 s start the money usage: connect fee and first minute.
    expect(await mainBalance(fixture, accountId)).toEqual({ balance: 1_000_000n, reserved: 70_000n });
    const ended = await engine.terminate(voiceRequest(fixture, 'allow-1', 1, { used: 120n }));
    expect(charged([ended])).toBe(70_000n);
    const allowance = await fixture.database.db
      .selectFrom('balance_buckets')
      .select(['balance', 'reserved'])
      .where('id', '=', granted.bucket.id)
      .executeTakeFirstOrThrow();
    expect([allowance.balance, allowance.reserved]).toEqual([0n, 0n]);
    expect(await mainBalance(fixture, accountId)).toEqual({ balance: 930_000n, reserved: 0n });
  });

  it('charges the connect fee once however often the usage is reported', async () => {
    const engine = fixture.engine();
    const msisdn = fixture.postpaid.msisdn;
    const answers = [await engine.initiate(voiceRequest(fixture, 'fee-1', 0, { requested: 10n }, msisdn))];
    for (let n = 1; n <= 3; n++)
      answers.push(
        await engine.update(voiceRequest(fixture, 'fee-1', n, { used: 10n, requested: 10n }, msisdn)),
      );
    answers.push(await engine.terminate(voiceRequest(fixture, 'fee-1', 4, { used: 10n }, msisdn)));
    // 40 s at peak: 0.02 connect fee and 0.05 for the first minute, once.
    expect(charged(answers)).toBe(70_000n);
  });

  it('stops a line at its spending cap inside a shared account', async () => {
    const line = await fixture.database.db
      .selectFrom('subscription_identifiers')
      .select('subscription_id')
      .where('value', '=', '+4915112345679')
      .executeTakeFirstOrThrow();
    const cap = await setSpendingCap(
      fixture.database.db,
      fixture.tenantId,
      ACTOR,
      line.subscription_id,
      { limit: '0.10', period: 'month' },
      fixture.clock.now,
    );
    if (!cap.ok) throw new Error(JSON.stringify(cap));
    const engine = fixture.engine();
    const started = await engine.initiate(
      voiceRequest(fixture, 'cap-1', 0, { requested: 600n }, '+4915112345679'),
    );
    // 0.10 pays 0.07 for the first minute and 36 s more at 0.05 a minute.
    expect(started).toMatchObject({ ok: true, services: [{ grantedUnits: 96n, finalUnit: true }] });
    const ended = await engine.terminate(voiceRequest(fixture, 'cap-1', 1, { used: 96n }, '+4915112345679'));
    expect(charged([ended])).toBe(100_000n);
    const refused = await engine.initiate(
      voiceRequest(fixture, 'cap-2', 0, { requested: 60n }, '+4915112345679'),
    );
    expect(refused).toMatchObject({ ok: true, services: [{ resultCode: 'insufficient_balance' }] });
  });

  it('stops a hybrid account at its credit limit', async () => {
    const hybrid = await fixture.database.db
      .selectFrom('subscription_identifiers')
      .select('account_id')
      .where('value', '=', '+49302345678')
      .executeTakeFirstOrThrow();
    const limited = await updateAccount(
      fixture.database.db,
      fixture.tenantId,
      ACTOR,
      hybrid.account_id,
      { creditLimit: '0.10' },
      fixture.clock.now,
    );
    if (!limited.ok) throw new Error(JSON.stringify(limited));
    const engine = fixture.engine();
    const sms = (id: string) =>
      engine.event({
        tenantId: fixture.tenantId,
        sessionId: id,
        requestNumber: 0,
        subscriber: { kind: 'msisdn', value: '030 2345678' },
        services: [{ ratingGroup: 2, destination: '+4915199999999', requestedUnits: 1n }],
      });
    expect(await sms('limit-1')).toMatchObject({ ok: true, services: [{ chargedMicros: 90_000n }] });
    expect(await sms('limit-2')).toMatchObject({ ok: false, code: 'insufficient_balance' });
    expect(await mainBalance(fixture, hybrid.account_id)).toEqual({ balance: -90_000n, reserved: 0n });
  });

  it('fails closed when the balance store cannot answer', async () => {
    const gone = await createDatabase({});
    await gone.close();
    const engine = new ChargingEngine({ db: gone.db, now: () => fixture.clock.now });
    expect(await engine.initiate(voiceRequest(fixture, 'closed-1', 0, { requested: 60n }))).toMatchObject({
      ok: false,
      code: 'charging_unavailable',
    });
    expect(await engine.update(voiceRequest(fixture, 'closed-1', 1, { used: 1n }))).toMatchObject({
      ok: false,
      code: 'charging_unavailable',
    });
  });
});
