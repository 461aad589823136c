import type { Kysely, Transaction } from 'kysely';
import { findAccount } from '../../accounts/account-store.js';
import { parseMoneyAmount } from '../../accounts/money-amount.js';
import { findSubscription } from '../../accounts/subscription-store.js';
import { type Actor, recordAuditEntry } from '../../audit/record-audit-entry.js';
import { findPlan } from '../../catalog/plan-store.js';
import type { Database } from '../../db/database-schema.js';
import {
  type BillingReferenceFailure,
  conflict,
  invalid,
  notFound,
  unprocessable,
} from './billing-reference-failure.js';
import type { CreateDiscountBody, Discount } from './discount-schemas.js';
import { toDiscount } from './discount-store.js';
import { parsePercent } from './parse-percent.js';

export type CreateDiscountResult =
  | { readonly ok: true; readonly discount: Discount }
  | BillingReferenceFailure;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A service as tariffs and allowances name it. */
const SERVICE = /^[a-z][a-z0-9_-]{0,39}$/;

/**
 * Gives an account a discount: a percent or an amount off its invoices, its plan's or service's
 * lines, or one line's, from startsAt (default now) until it ends or has applied to `cycles`
 * invoices. Billing applies it; invoices refer to it, so it is ended, never deleted.
 */
export async function createDiscount(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  accountId: string,
  input: CreateDiscountBody,
  now: Date,
): Promise<CreateDiscountResult> {
  const refused = checkDiscountFields(input);
  if (refused !== null) return refused;
  const startsAt = input.startsAt === undefined ? now : new Date(input.startsAt);
  const endsAt = input.endsAt === undefined ? null : new Date(input.endsAt);
  if (endsAt !== null && endsAt.getTime() <= startsAt.getTime())
    return invalid('/endsAt', `${endsAt.toISOString()} is not after the start ${startsAt.toISOString()}`);
  return db.transaction().execute(async (trx): Promise<CreateDiscountResult> => {
    // A share lock: the account cannot close while its discount is being added.
    const account = await findAccount(trx, tenantId, accountId, 'share');
    if (account === undefined) return notFound(`no account ${accountId}`);
    if (account.status === 'closed')
      return conflict(`account ${account.account_number} is closed: it takes no new discounts`);
    let amountMicros: bigint | null = null;
    if (input.amount !== undefined) {
      const amount = parseMoneyAmount(input.amount, account.currency);
      if (!amount.ok) return invalid('/amount', amount.message);
      if (amount.micros === 0n) return invalid('/amount', 'a fixed discount must be more than 0');
      amountMicros = amount.micros;
    }
    const missing = await missingTarget(trx, tenantId, accountId, input);
    if (missing !== null) return missing;
    const row = await trx
      .insertInto('discounts')
      .values({
        tenant_id: tenantId,
        account_id: accountId,
        name: input.name,
        kind: input.kind,
        percent: input.percent === undefined ? null : checkedPercent(input.percent),
        amount_micros: amountMicros,
        currency: amountMicros === null ? null : account.currency,
        target: input.target,
        target_id: input.targetId ?? null,
        cycles: input.cycles ?? null,
        starts_at: startsAt,
        ends_at: endsAt,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const discount = toDiscount(row);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'discount.created',
      objectType: 'discount',
      objectId: discount.id,
      before: null,
      after: discount,
      occurredAt: now,
    });
    return { ok: true, discount };
  });
}

/** The checks that need no database: one value of the kind's sort, and a target id of the target's form. */
function checkDiscountFields(input: CreateDiscountBody): BillingReferenceFailure | null {
  if (input.kind === 'percent') {
    if (input.amount !== undefined)
      return invalid('/amount', 'a percent discount has a percent, not an amount');
    if (input.percent === undefined) return invalid('/percent', 'a percent discount needs its percent');
    const percent = parsePercent(input.percent, 'refused');
    if (!percent.ok) return invalid('/percent', percent.message);
  } else {
    if (input.percent !== undefined)
      return invalid('/percent', 'a fixed discount has an amount, not a percent');
    if (input.amount === undefined) return invalid('/amount', 'a fixed discount needs its amount');
  }
  const { target, targetId } = input;
  if (target === 'invoice')
    return targetId === undefined
      ? null
      : invalid('/targetId', 'a discount on the whole invoice has no targetId');
  if (targetId === undefined)
    return invalid('/targetId', `a discount on a ${target} needs the ${target}'s targetId`);
  if ((target === 'plan' || target === 'subscription') && !UUID.test(targetId))
    return invalid('/targetId', `a ${target} id is a UUID; "${targetId}" is not`);
  if (target === 'service' && !SERVICE.test(targetId))
    return invalid('/targetId', `"${targetId}" is not a service name (lowercase letters, digits, _ and -)`);
  return null;
}

/** The plan must be the tenant's, and the line the account's: a discount on nothing would never apply. */
async function missingTarget(
  trx: Transaction<Database>,
  tenantId: string,
  accountId: string,
  input: CreateDiscountBody,
): Promise<BillingReferenceFailure | null> {
  const { target, targetId } = input;
  if (targetId === undefined) return null;
  if (target === 'plan' && (await findPlan(trx, tenantId, targetId)) === undefined)
    return unprocessable('/targetId', `no plan ${targetId}`);
  if (target === 'subscription') {
    const line = await findSubscription(trx, tenantId, targetId);
    if (line === undefined || line.account_id !== accountId)
      return unprocessable('/targetId', `account ${accountId} has no subscription ${targetId}`);
  }
  return null;
}

/** The percent as stored, already checked by checkDiscountFields. */
function checkedPercent(text: string): string {
  const percent = parsePercent(text, 'refused');
  if (!percent.ok) throw new Error(`discount percent "${text}" passed its check, yet does not parse`);
  return percent.text;
}
