import { isCurrencyCode, ZoneClock } from '@tollgate/core';
import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import { createMainBucket } from '../balances/create-main-bucket.js';
import { findCustomer } from '../customers/customer-store.js';
import type { Database } from '../db/database-schema.js';
import { type AccountFailure, conflict, invalid, notFound } from './account-failure.js';
import type { Account, CreateAccountBody } from './account-schemas.js';
import { toAccount } from './account-store.js';
import { checkBillCycle } from './check-bill-cycle.js';
import { parseMoneyAmount } from './money-amount.js';
import { nextAccountNumber } from './next-account-number.js';

export type CreateAccountResult = { readonly ok: true; readonly account: Account } | AccountFailure;

const DEFAULT_BILL_CYCLE_DAY = 1;
const DEFAULT_BILL_CYCLE_UNIT = 'month';
const DEFAULT_BILL_CYCLE_MONTH = 1;
const DEFAULT_PAYMENT_TERMS_DAYS = 14;

/**
 * Opens a billing account for one of the tenant's customers: its number, the account and its
 * audit entry in one transaction. Another tenant's customer is reported as absent, never as
 * forbidden, so ids cannot be probed.
 */
export async function createAccount(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  input: CreateAccountBody,
  now: Date,
): Promise<CreateAccountResult> {
  const refused =
    checkFields(input) ??
    checkBillCycle(
      input.billCycleUnit ?? DEFAULT_BILL_CYCLE_UNIT,
      input.billCycleDay ?? DEFAULT_BILL_CYCLE_DAY,
      input.billCycleMonth ?? DEFAULT_BILL_CYCLE_MONTH,
    );
  if (refused !== null) return refused;
  return db.transaction().execute(async (trx): Promise<CreateAccountResult> => {
    const customer = await findCustomer(trx, tenantId, input.customerId);
    if (customer === undefined) return notFound(`no customer ${input.customerId}`);
    if (customer.status === 'closed')
      return conflict(`customer ${input.customerId} is closed: it takes no new accounts`, '/customerId');
    const tenant = await trx
      .selectFrom('tenants')
      .select(['default_currency', 'time_zone'])
      .where('id', '=', tenantId)
      .executeTakeFirstOrThrow();
    const currency = input.currency ?? tenant.default_currency;
    let creditLimitMicros: bigint | null = null;
    if (input.creditLimit !== undefined && input.creditLimit !== null) {
      const parsed = parseMoneyAmount(input.creditLimit, currency);
      if (!parsed.ok) return invalid('/creditLimit', parsed.message);
      creditLimitMicros = parsed.micros;
    }
    // Every check is done: from here the transaction commits, so the number is never wasted.
    const accountNumber = await nextAccountNumber(trx, tenantId);
    const row = await trx
      .insertInto('accounts')
      .values({
        tenant_id: tenantId,
        customer_id: customer.id,
        account_number: accountNumber,
        kind: input.kind,
        currency,
        time_zone: canonicalTimeZone(input.timeZone ?? tenant.time_zone),
        credit_limit_micros: creditLimitMicros,
        bill_cycle_day: input.billCycleDay ?? DEFAULT_BILL_CYCLE_DAY,
        bill_cycle_unit: input.billCycleUnit ?? DEFAULT_BILL_CYCLE_UNIT,
        bill_cycle_month: input.billCycleMonth ?? DEFAULT_BILL_CYCLE_MONTH,
        itemised_invoices: input.itemisedInvoices ?? false,
        payment_terms_days: input.paymentTermsDays ?? DEFAULT_PAYMENT_TERMS_DAYS,
        status: 'active',
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const account = toAccount(row);
    await createMainBucket(trx, { tenantId, id: account.id, currency: account.currency }, now);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'account.created',
      objectType: 'account',
      objectId: account.id,
      before: null,
      after: account,
      occurredAt: now,
    });
    return { ok: true, account };
  });
}

/** The checks that need no database: the request is wrong whatever the state. */
function checkFields(input: CreateAccountBody): AccountFailure | null {
  if (input.currency !== undefined && !isCurrencyCode(input.currency))
    return invalid('/currency', `"${input.currency}" is not an ISO 4217 currency code`);
  if (input.timeZone !== undefined && !ZoneClock.isValidTimeZone(input.timeZone))
    return invalid('/timeZone', `"${input.timeZone}" is not an IANA time zone`);
  if (input.kind === 'prepaid' && input.creditLimit !== undefined && input.creditLimit !== null)
    return invalid('/creditLimit', 'a prepaid account spends its balance: it has no credit limit');
  return null;
}

/** The zone's canonical spelling ("europe/berlin" is stored as "Europe/Berlin"). */
function canonicalTimeZone(timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
}
