import { cycleContaining, startOfLocalDayMs, zoneClockFor } from '@tollgate/core';
import type { Kysely } from 'kysely';
import type { Account } from '../accounts/account-schemas.js';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import type { Actor } from '../audit/record-audit-entry.js';
import { findMainBucket } from '../balances/balance-store.js';
import { topUpAccount } from '../balances/top-up-account.js';
import { ensureBillingStates } from '../billing/ensure-billing-states.js';
import { renewAllowances } from '../billing/renew-allowances.js';
import type { Database } from '../db/database-schema.js';
import { addPaymentMethod } from '../payments/add-payment-method.js';
import type { PaymentGateways } from '../payments/gateways/payment-gateway.js';
import { recordPayment } from '../payments/record-payment.js';
import { setAutopay } from '../payments/set-autopay.js';
import { billDemoAccounts, type DemoInvoice, nextBillingDueMs, runDemoBillRun } from './demo-bill-run.js';
import { lineProfileOf } from './demo-line-profiles.js';
import { generateLineUsage, type TimedUsageEvent } from './demo-usage.js';
import { DemoUsageFeed, type UsageCounts } from './demo-usage-feed.js';
import { createDemoUsers } from './demo-users.js';
import type { DemoSeed, DemoSeedCustomer } from './seed-demo.js';

export interface DemoActivityOptions {
  /** Days of usage before `now` (default 60). */
  readonly days?: number;
  /** The seed of the usage (default 2026): another seed gives other calls, as realistic. */
  readonly seed?: number;
  /** The process's gateways: with the sandbox among them, Anna gets a saved test card. */
  readonly gateways?: PaymentGateways;
}

/** What the demo's activity made, for the banner and the tests. */
export interface DemoActivitySummary {
  readonly users: number;
  /** When the usage history begins, ISO 8601. */
  readonly usageFrom: string;
  readonly usage: UsageCounts;
  /** Bill runs over the usage history; the cycles before it are billed account by account. */
  readonly billRuns: number;
  readonly invoices: number;
  readonly payments: number;
  readonly topUps: number;
  readonly savedCard: boolean;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const DEFAULT_DAYS = 60;
const DEFAULT_SEED = 2026;
/** A bound on the timeline's steps, far above what years of monthly cycles take. */
const MAX_STEPS = 10_000;
/** Bill runs go at two in the morning of the day accounts fall due, as a nightly scheduler's. */
const BILL_RUN_HOUR_MS = 2 * HOUR_MS;
/** A prepaid customer buys a voucher at the start of each cycle when the balance is below this. */
const TOP_UP_BELOW_MICROS = 15_000_000n;
const TOP_UP_AMOUNT = '15.00';
const FIRST_TOP_UP_AMOUNT = '20.00';
/** The demo customer who saved a card, and when before `now` she did. */
const CARD_HOLDER_EMAIL = 'anna.schmidt@example.com';
const CARD_SAVED_BEFORE_NOW_MS = 11 * DAY_MS + 4 * HOUR_MS;
/** Who records the bank transfers customers make. */
const BOOKKEEPER_EMAIL = 'operator@demo.example';

const SEED_ACTOR: Actor = { type: 'system', id: 'seed' };
/**
 * When the demo operator is set up for a demo with a past: two weeks before its lines start on
 * 1 January 2026 (seed-demo.ts), as an operator signs its customers up before their lines go live.
 */
const DEMO_FOUNDED_MS = Date.parse('2025-12-15T10:00:00+01:00');
/** The demo's users sign up the hour after the operator is set up. */
const USERS_AFTER_FOUNDING_MS = HOUR_MS;

/**
 * The `now` to give seedDemo when seedDemoActivity follows: the demo's founding day, or `now` if
 * that is earlier. A balance is valid from its account's creation, so accounts created at `now`
 * could pay for no usage of their past; and customers, users and balances then exist before
 * anything of their history happens.
 */
export function demoFoundedAt(now: Date): Date {
  return new Date(Math.min(now.getTime(), DEMO_FOUNDED_MS));
}

/**
 * Something that happens at its time on the demo's timeline. `afterUsage`: the usage before it
 * must be recorded first (a bill run claims it, a top-up looks at the balance it left). Other
 * steps only shape what comes later (allowances granted, a payment, a card), so the usage before
 * them may be recorded later, in bigger batches.
 */
interface Step {
  readonly atMs: number;
  readonly afterUsage: boolean;
  readonly run: () => Promise<void>;
}

/**
 * Gives a freshly seeded demo operator the history of a working one, through the use cases real
 * traffic and staff go through, so that everything agrees (the ledger verifies, the invoices
 * compose): demo users with one password (DEMO_USERS, DEMO_PASSWORD); `days` of calls, messages
 * and data sessions on every line, rated by mediation as POST /v1/usage rates them (allowances
 * spent, the prepaid balance debited, postpaid usage accrued); a nightly bill run on each day
 * accounts fall due, from their lines' start to `now`; every invoice but each account's latest
 * paid by bank transfer within its terms; kiosk top-ups that keep the prepaid balance above zero;
 * and a saved sandbox test card for Anna. Each step runs at its own time, in time order, and
 * nothing lies after `now`. Notifications follow where those paths queue them.
 *
 * Seed the demo with demoFoundedAt(now): a balance is valid from its account's creation, so the
 * history starts no earlier than the accounts do (and has no usage if they were created at `now`).
 */
export async function seedDemoActivity(
  db: Kysely<Database>,
  demo: DemoSeed,
  now: Date,
  options: DemoActivityOptions = {},
): Promise<DemoActivitySummary> {
  const { tenantId, customers } = demo;
  const nowMs = now.getTime();
  const tenant = await db
    .selectFrom('tenants')
    .select('created_at')
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const users = await createDemoUsers(
    db,
    tenantId,
    SEED_ACTOR,
    new Map(customers.map((c) => [c.email, c.customerId])),
    new Date(Math.min(nowMs, new Date(tenant.created_at).getTime() + USERS_AFTER_FOUNDING_MS)),
  );
  const actorOf = (email: string): Actor => {
    const user = users.get(email);
    return user === undefined ? SEED_ACTOR : { type: 'user', id: user.id };
  };
  const linesStartMs = Math.min(
    nowMs,
    ...customers.flatMap((c) => c.lines.map((l) => new Date(l.startsAt).getTime())),
  );
  // Usage before an account existed could not be paid from its balance: the history starts after.
  const fromMs = Math.max(
    nowMs - (options.days ?? DEFAULT_DAYS) * DAY_MS,
    linesStartMs,
    ...customers.map((c) => new Date(c.account.createdAt).getTime()),
  );
  const feed = new DemoUsageFeed(
    db,
    tenantId,
    SEED_ACTOR,
    demoUsage(customers, fromMs, nowMs, options.seed ?? DEFAULT_SEED),
    fromMs,
  );
  await feed.defineSource();
  const counts = { billRuns: 0, invoices: 0, payments: 0, topUps: 0 };
  let savedCard = false;

  const steps: Step[] = [];
  /** Puts a step on the timeline, unless it would happen at or after `now`. */
  const schedule = (...added: readonly (Step | null)[]) => {
    for (const step of added) if (step !== null && step.atMs < nowMs) steps.push(step);
  };
  // The allowances of the cycle the usage starts in and of each cycle begun since, for the lines
  // no bill run grants ahead (prepaid ones), as the hourly renewal of `tollgate serve` grants them.
  for (const atMs of [fromMs, ...cycleStartsOf(customers, fromMs, nowMs)])
    schedule({
      atMs,
      afterUsage: false,
      run: async () => {
        await renewAllowances(db, tenantId, new Date(atMs), new Date(atMs));
      },
    });
  for (const customer of customers)
    if (customer.account.kind === 'prepaid')
      schedule(...topUpSteps(customer, [fromMs, ...cycleStartsOf([customer], fromMs, nowMs)]));
  const holder = customers.find((c) => c.email === CARD_HOLDER_EMAIL);
  const gateways = options.gateways;
  if (holder !== undefined && gateways?.has('sandbox') === true) {
    const atMs = Math.max(fromMs, nowMs - CARD_SAVED_BEFORE_NOW_MS);
    schedule({
      atMs,
      afterUsage: false,
      run: async () => {
        const added = await addPaymentMethod(
          db,
          gateways,
          tenantId,
          actorOf(holder.email),
          holder.account.id,
          { gateway: 'sandbox', token: 'tok_sandbox_success' },
          new Date(atMs),
        );
        if (!added.ok) throw new Error(`demo activity: the saved card was refused: ${added.message}`);
        // Anna pays by hand in the portal: her open invoice stays open for the demo to show.
        const manual = await setAutopay(
          db,
          tenantId,
          actorOf(holder.email),
          holder.account.id,
          false,
          new Date(atMs),
        );
        if (!manual.ok) throw new Error(`demo activity: autopay could not be turned off: ${manual.message}`);
        savedCard = true;
      },
    });
  }

  /** A kiosk voucher at each of the times when the balance runs low, and always at the first. */
  function topUpSteps(customer: DemoSeedCustomer, times: readonly number[]): Step[] {
    return times.map((cycleStartMs, index) => {
      // Mid-morning: the kiosk opens after the night's renewal and bill run.
      const atMs = index === 0 ? cycleStartMs + HOUR_MS : cycleStartMs + 10 * HOUR_MS;
      return {
        atMs,
        afterUsage: true,
        run: async () => {
          const main = await findMainBucket(db, tenantId, customer.account.id);
          if (index > 0 && main.balance >= TOP_UP_BELOW_MICROS) return;
          const topUp = await topUpAccount(
            db,
            tenantId,
            actorOf(customer.email),
            customer.account.id,
            {
              amount: index === 0 ? FIRST_TOP_UP_AMOUNT : TOP_UP_AMOUNT,
              method: 'payment',
              reference: `KIOSK-${new Date(atMs).toISOString().slice(0, 10).replaceAll('-', '')}`,
              description: 'top-up voucher bought at a kiosk',
            },
            new Date(atMs),
          );
          if (!topUp.ok) throw new Error(`demo activity: top-up refused: ${topUp.message}`);
          counts.topUps++;
        },
      };
    });
  }

  /** An invoice's bank transfer, partway into its terms; an account's latest invoice stays open. */
  function paymentStep(invoice: DemoInvoice, issuedAtMs: number): Step | null {
    const account = customers.find((c) => c.account.id === invoice.accountId)?.account;
    if (account === undefined || invoice.totalMicros <= 0n) return null;
    // The account is billed again before `now`: this is not its latest invoice.
    if (invoice.nextDueMs + BILL_RUN_HOUR_MS > nowMs) return null;
    const atMs = issuedAtMs + payingDelayMs(account);
    return {
      atMs,
      afterUsage: false,
      run: async () => {
        const paid = await recordPayment(
          db,
          tenantId,
          actorOf(BOOKKEEPER_EMAIL),
          invoice.accountId,
          {
            source: 'bank_transfer',
            amount: formatMoneyAmount(invoice.totalMicros, invoice.currency),
            currency: invoice.currency,
            invoiceId: invoice.id,
            reference: invoice.number ?? invoice.id,
            receivedAt: new Date(atMs).toISOString(),
          },
          `demo-transfer-${invoice.id}`,
          new Date(atMs),
        );
        if (!paid.ok) throw new Error(`demo activity: payment refused: ${paid.message}`);
        counts.payments++;
      },
    };
  }

  await ensureBillingStates(db, tenantId, new Date(linesStartMs));
  const billedAccountIds = customers.filter((c) => c.account.kind !== 'prepaid').map((c) => c.account.id);
  for (let step = 0; ; step++) {
    if (step >= MAX_STEPS) throw new Error(`demo activity: more than ${MAX_STEPS} steps`);
    const dueMs = await nextBillingDueMs(db, tenantId);
    const billAtMs = dueMs === null || dueMs + BILL_RUN_HOUR_MS > nowMs ? null : dueMs + BILL_RUN_HOUR_MS;
    const index = earliest(steps);
    const stepAtMs = index === -1 ? null : steps[index]!.atMs;
    if (billAtMs !== null && (stepAtMs === null || billAtMs <= stepAtMs)) {
      await feed.recordUntil(billAtMs, billAtMs);
      // The cycles of the usage history are billed by bill runs, which the console lists; the
      // months before it account by account, as a run's job bills them, at half the work.
      let invoices: DemoInvoice[];
      if (billAtMs >= fromMs) {
        invoices = await runDemoBillRun(db, tenantId, SEED_ACTOR, new Date(billAtMs));
        counts.billRuns++;
      } else invoices = await billDemoAccounts(db, tenantId, billedAccountIds, new Date(billAtMs));
      counts.invoices += invoices.length;
      for (const invoice of invoices) schedule(paymentStep(invoice, billAtMs));
      continue;
    }
    if (stepAtMs === null) break;
    const [next] = steps.splice(index, 1);
    if (next!.afterUsage) await feed.recordUntil(next!.atMs, next!.atMs);
    await next!.run();
  }
  await feed.recordUntil(Number.POSITIVE_INFINITY, nowMs);
  return {
    users: users.size,
    usageFrom: new Date(fromMs).toISOString(),
    usage: feed.counts,
    ...counts,
    savedCard,
  };
}

/** The index of the step due first (the first added among equals), or -1. */
function earliest(steps: readonly Step[]): number {
  let index = -1;
  for (let i = 0; i < steps.length; i++) if (index === -1 || steps[i]!.atMs < steps[index]!.atMs) index = i;
  return index;
}

/** How long after an invoice its customer pays: a bit under half the terms, at least three days. */
function payingDelayMs(account: Account): number {
  return Math.max(3, Math.round(account.paymentTermsDays * 0.45)) * DAY_MS + 7 * HOUR_MS;
}

/** Every demo line's usage from `fromMs` to `toMs` (each line from its start), in time order. */
function demoUsage(
  customers: readonly DemoSeedCustomer[],
  fromMs: number,
  toMs: number,
  seed: number,
): TimedUsageEvent[] {
  const events: TimedUsageEvent[] = [];
  let lineSeed = seed;
  for (const customer of customers) {
    const clock = zoneClockFor(customer.account.timeZone);
    for (const line of customer.lines) {
      const lineFromMs = Math.max(fromMs, new Date(line.startsAt).getTime());
      const profile = lineProfileOf(line.msisdn);
      events.push(
        ...generateLineUsage({ msisdn: line.msisdn, profile }, clock, lineFromMs, toMs, lineSeed++),
      );
    }
  }
  return events.sort((a, b) => a.atMs - b.atMs || (a.event.id < b.event.id ? -1 : 1));
}

/**
 * The instants (five past local midnight) after `fromMs` and before `toMs` at which a bill cycle
 * of one of the customers' accounts begins.
 */
function cycleStartsOf(customers: readonly DemoSeedCustomer[], fromMs: number, toMs: number): number[] {
  const starts = new Set<number>();
  for (const { account } of customers) {
    const clock = zoneClockFor(account.timeZone);
    const rule = {
      unit: account.billCycleUnit,
      anchorDay: account.billCycleDay,
      anchorMonth: account.billCycleMonth,
    };
    let day = cycleContaining(rule, clock.localTime(fromMs).dayNumber).toDay;
    for (let n = 0; n < MAX_STEPS; n++) {
      const atMs = startOfLocalDayMs(clock, day) + 5 * 60_000;
      if (atMs >= toMs) break;
      starts.add(atMs);
      day = cycleContaining(rule, day).toDay;
    }
  }
  return [...starts].sort((a, b) => a - b);
}
