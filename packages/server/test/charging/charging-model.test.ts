import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreditControlAnswer } from '../../src/charging/credit-control.js';
import { type ChargingFixture, mainBalance, openChargingFixture, voiceRequest } from './charging-fixture.js';

type Step =
  | { kind: 'initiate'; session: number; line: 0 | 1; requested: number }
  | { kind: 'update'; session: number; used: number; requested: number }
  | { kind: 'terminate'; session: number; used: number }
  | { kind: 'expire' }
  | { kind: 'topUp'; line: 0 | 1; cents: number };

const SESSIONS = 4;
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('initiate' as const),
    session: fc.nat(SESSIONS - 1),
    line: fc.constantFrom(0 as const, 1 as const),
    requested: fc.integer({ min: 1, max: 900 }),
  }),
  fc.record({
    kind: fc.constant('update' as const),
    session: fc.nat(SESSIONS - 1),
    used: fc.integer({ min: 0, max: 1000 }),
    requested: fc.integer({ min: 0, max: 900 }),
  }),
  fc.record({
    kind: fc.constant('terminate' as const),
    session: fc.nat(SESSIONS - 1),
    used: fc.integer({ min: 0, max: 1000 }),
  }),
  fc.constant({ kind: 'expire' as const }),
  fc.record({
    kind: fc.constant('topUp' as const),
    line: fc.constantFrom(0 as const, 1 as const),
    cents: fc.integer({ min: 1, max: 500 }),
  }),
);

interface ModelSession {
  state: 'open' | 'terminated' | 'expired' | 'never';
  requestNumber: number;
  line: 0 | 1;
  initiated?: CreditControlAnswer;
  holding?: boolean;
}

/**
 * Random interleavings of session requests, expiries and top-ups on a prepaid and a postpaid
 * account, checked after every step against a model of which requests must succeed, and against
 * the ledger: each account's balance is what was topped up less what was charged, reservations
 * equal the pending holds, and a prepaid balance never goes below zero.
 */
describe('charging against a model', () => {
  let fixture: ChargingFixture;
  beforeAll(async () => {
    fixture = await openChargingFixture();
  });
  afterAll(() => fixture.close());

  it('conserves money and follows the session rules at every step', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 25 }), async (steps) => {
        run += 1;
        const engine = fixture.engine();
        const lines = [fixture.prepaid, fixture.postpaid] as const;
        const expected = [
          await mainBalance(fixture, lines[0].accountId),
          await mainBalance(fixture, lines[1].accountId),
        ].map((b) => b.balance);
        const sessions: ModelSession[] = Array.from({ length: SESSIONS }, () => ({
          state: 'never',
          requestNumber: 0,
          line: 0,
        }));
        const id = (n: number) => `model-${run}-${n}`;
        for (const s of steps) {
          if (s.kind === 'topUp') {
            await fixture.topUp(lines[s.line].accountId, (s.cents / 100).toFixed(2));
            expected[s.line]! += BigInt(s.cents) * 10_000n;
          } else if (s.kind === 'expire') {
            fixture.clock.now = new Date(fixture.clock.now.getTime() + 16 * 60_000);
            await engine.expireLapsed();
            // Only a session holding a grant lapses: one that holds nothing has nothing to return.
            for (const m of sessions) if (m.state === 'open' && m.holding) m.state = 'expired';
          } else if (s.kind === 'initiate') {
            const m = sessions[s.session]!;
            const answer = await engine.initiate(
              voiceRequest(
                fixture,
                id(s.session),
                0,
                { requested: BigInt(s.requested) },
                lines[s.line].msisdn,
              ),
            );
            if (m.initiated === undefined) {
              expect(answer.ok).toBe(true);
              m.initiated = answer;
              if (answer.ok && answer.services[0]!.resultCode === 'success') {
                m.state = 'open';
                m.line = s.line;
                m.holding = true;
              }
            } else {
              // Request 0 of a session seen before is a retry: it gets the first answer again.
              expect(answer).toEqual(m.initiated);
            }
          } else {
            const m = sessions[s.session]!;
            const n = m.requestNumber + 1;
            const request = voiceRequest(fixture, id(s.session), n, {
              used: BigInt(s.used),
              requested: s.kind === 'update' ? BigInt(s.requested) : undefined,
            });
            const answer = await (s.kind === 'update' ? engine.update(request) : engine.terminate(request));
            expectOutcome(answer, m);
            if (answer.ok) {
              m.requestNumber = n;
              for (const service of answer.services) expected[m.line]! -= service.chargedMicros;
              m.holding = answer.services.some((service) => service.grantedUnits > 0n);
              if (s.kind === 'terminate') m.state = 'terminated';
            }
          }
          await expectLedgerConsistent(fixture, lines, expected);
        }
      }),
      { numRuns: 12 },
    );
  }, 240_000);
});

function expectOutcome(answer: CreditControlAnswer, m: ModelSession): void {
  const code = {
    never: 'unknown_session',
    expired: 'session_expired',
    terminated: 'invalid_request',
    open: null,
  }[m.state];
  const shown = JSON.stringify(answer, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
  if (code === null) expect(answer, shown).toMatchObject({ ok: true });
  else expect(answer, shown).toMatchObject({ ok: false, code });
}

async function expectLedgerConsistent(
  fixture: ChargingFixture,
  lines: readonly { accountId: string }[],
  expected: readonly bigint[],
): Promise<void> {
  for (const [i, line] of lines.entries()) {
    const { balance, reserved } = await mainBalance(fixture, line.accountId);
    expect(balance).toBe(expected[i]);
    if (i === 0) expect(balance - reserved).toBeGreaterThanOrEqual(0n);
  }
  const { rows } = await sql<{
    id: string;
    balance: string;
    reserved: string;
    entries: string | null;
    pending: string | null;
  }>`
    select b.id, b.balance, b.reserved,
      (select sum(amount) from ledger_entries e where e.bucket_id = b.id) as entries,
      (select sum(amount) from reservations r where r.bucket_id = b.id and r.status = 'pending') as pending
    from balance_buckets b`.execute(fixture.database.db);
  for (const row of rows) {
    expect(BigInt(row.balance)).toBe(BigInt(row.entries ?? 0));
    expect(BigInt(row.reserved)).toBe(BigInt(row.pending ?? 0));
  }
  const { rows: unbalanced } = await sql`
    select transaction_id from ledger_entries group by transaction_id, unit having sum(amount) <> 0`.execute(
    fixture.database.db,
  );
  expect(unbalanced).toEqual([]);
}
