import { isoDateOfDay, zoneClockFor } from '@tollgate/core';
import type { Kysely } from 'kysely';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import { statementPeriodOf } from '../billing/statements/statement-period.js';
import type { Database } from '../db/database-schema.js';
import { invalid, notFound, type UseCaseFailure } from '../outcomes/use-case-failure.js';
import type { AccountStatementView } from './account-statement-schemas.js';
import { balanceBefore, eventsWithin, type StatementEvent } from './account-statement-store.js';

/** Lines one statement holds; a busier period is asked for in parts. */
export const MAX_ACCOUNT_STATEMENT_LINES = 5_000;

export interface AccountStatementRequest {
  /** ISO dates in the account's zone; `to` is excluded (as for the prepaid statement). */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

export type AccountStatementResult =
  | { readonly ok: true; readonly statement: AccountStatementView }
  | UseCaseFailure;

/**
 * The statement of account of a customer's account over a period: what it owed at the start,
 * every invoice, credit note, payment, refund, chargeback, write-off and void in date order with
 * the balance after each, and what it owed at the end (negative: the customer is in credit).
 * Days are days of the account's time zone. Nothing is stored: it is read from the documents and
 * payments, which never change once issued (corrections are new documents), so a past period
 * always reads the same.
 */
export async function buildAccountStatement(
  db: Kysely<Database>,
  tenantId: string,
  accountId: string,
  request: AccountStatementRequest,
  now: Date,
): Promise<AccountStatementResult> {
  const account = await db
    .selectFrom('accounts as a')
    .innerJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'a.tenant_id').onRef('c.id', '=', 'a.customer_id'),
    )
    .select(['a.id', 'a.account_number', 'a.currency', 'a.time_zone', 'c.display_name'])
    .where('a.tenant_id', '=', tenantId)
    .where('a.id', '=', accountId)
    .executeTakeFirst();
  if (account === undefined) return notFound(`no account ${accountId}`);
  const clock = zoneClockFor(account.time_zone);
  const checked = statementPeriodOf(request.from, request.to, clock);
  if (!checked.ok) return checked;
  const { period } = checked;
  const currency = account.currency.trim();
  const scope = { tenantId, accountId, currency };
  const window = {
    fromDay: isoDateOfDay(period.fromDay),
    toDay: isoDateOfDay(period.toDay),
    fromAt: new Date(period.dayStartsMs[0]!),
    toAt: new Date(period.dayStartsMs[period.dayStartsMs.length - 1]!),
  };
  const openingMicros = await balanceBefore(db, scope, window);
  const events = await eventsWithin(db, scope, window, MAX_ACCOUNT_STATEMENT_LINES + 1);
  if (events.length > MAX_ACCOUNT_STATEMENT_LINES)
    return invalid(
      '/to',
      `the period holds more than ${MAX_ACCOUNT_STATEMENT_LINES} entries: ask for a shorter one`,
    );
  const dated = events
    .map((event) => ({
      event,
      date: event.day ?? isoDateOfDay(clock.localTime(event.at.getTime()).dayNumber),
    }))
    .sort(
      (a, b) =>
        compare(a.date, b.date) ||
        a.event.at.getTime() - b.event.at.getTime() ||
        a.event.rank - b.event.rank ||
        compare(a.event.sourceId, b.event.sourceId),
    );
  const money = (micros: bigint) => formatMoneyAmount(micros, currency);
  let balance = openingMicros;
  let debits = 0n;
  let credits = 0n;
  const lines = dated.map(({ event, date }) => {
    balance += event.amountMicros;
    if (event.amountMicros > 0n) debits += event.amountMicros;
    else credits -= event.amountMicros;
    return {
      date,
      kind: event.kind,
      reference: event.reference,
      description: describe(event),
      documentId: event.sourceId,
      amount: money(event.amountMicros),
      balance: money(balance),
    };
  });
  return {
    ok: true,
    statement: {
      accountId: account.id,
      accountNumber: account.account_number,
      customerName: account.display_name,
      currency,
      timeZone: account.time_zone,
      issuedOn: isoDateOfDay(clock.localTime(now.getTime()).dayNumber),
      period: period.days,
      openingBalance: money(openingMicros),
      lines,
      totals: { debits: money(debits), credits: money(credits) },
      closingBalance: money(balance),
    },
  };
}

function describe(event: StatementEvent): string {
  const number = event.reference ?? event.sourceId;
  switch (event.kind) {
    case 'invoice':
      return `Invoice ${number}`;
    case 'credit_note':
      return event.detail === null
        ? `Credit note ${number}`
        : `Credit note ${number} for invoice ${event.detail}`;
    case 'void':
      return event.detail === null ? `${number} voided` : `${number} voided: ${event.detail}`;
    case 'write_off':
      return `Invoice ${number} written off`;
    case 'marked_paid':
      return `Invoice ${number} marked paid`;
    case 'payment':
      return `Payment${event.detail === null ? '' : ` (${event.detail.replace('_', ' ')})`}${event.reference === null ? '' : `: ${event.reference}`}`;
    case 'refund':
      return `Refund of a payment${event.reference === null ? '' : ` (${event.reference})`}`;
    case 'chargeback':
      return `Chargeback of a payment${event.reference === null ? '' : ` (${event.reference})`}`;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
