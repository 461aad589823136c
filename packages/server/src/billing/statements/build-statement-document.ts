import { isoDateOfDay, ZoneClock } from '@tollgate/core';
import type { Kysely } from 'kysely';
import { findMainBucket } from '../../balances/balance-store.js';
import type { Database } from '../../db/database-schema.js';
import type { InvoiceDocument } from '../invoice-document.js';
import { type InvoiceFailure, invalid, notFound } from '../invoice-failure.js';
import { MAX_DOCUMENT_LINES } from '../render/build-invoice-view.js';
import { balanceMovementLine, movementDetail } from './balance-movement-line.js';
import { loadDocumentParties } from './load-document-parties.js';
import { statementPeriodOf } from './statement-period.js';
import { type BucketMovement, bucketBalanceBefore, readBucketMovements } from './statement-store.js';

/** Movements one statement prints, far below what a document may hold; a busier period is split. */
export const MAX_STATEMENT_MOVEMENTS = 5_000;

export interface StatementRequest {
  /** ISO dates in the account's zone; `to` is excluded. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

export type StatementResult = { readonly ok: true; readonly document: InvoiceDocument } | InvoiceFailure;

/**
 * The statement of an account's main money bucket over a period: the balance it opened with,
 * every movement (usage summed per day), and the balance it closed with, so that the first
 * line plus the others is exactly the closing balance. Nothing is stored: the ledger is
 * append-only, so a period that has ended always shows the same movements.
 *
 * A statement carries no tax: the money on a prepaid balance is a payment in advance, not a
 * taxable supply in this model, and the usage it pays for is taxed where it is invoiced.
 */
export async function buildStatementDocument(
  db: Kysely<Database>,
  tenantId: string,
  accountId: string,
  request: StatementRequest,
  now: Date,
): Promise<StatementResult> {
  const parties = await loadDocumentParties(db, tenantId, accountId);
  if (parties === undefined) return notFound(`no account ${accountId}`);
  const clock = new ZoneClock(parties.header.timeZone);
  const checked = statementPeriodOf(request.from, request.to, clock);
  if (!checked.ok) return checked;
  const { period } = checked;
  const main = await findMainBucket(db, tenantId, accountId);
  const openingMicros = await bucketBalanceBefore(db, tenantId, main.id, period.dayStartsMs[0]!);
  const movements = await readBucketMovements(db, {
    tenantId,
    bucketId: main.id,
    dayStartsMs: period.dayStartsMs,
    fromDay: period.fromDay,
    limit: MAX_STATEMENT_MOVEMENTS + 1,
  });
  if (movements.length > MAX_STATEMENT_MOVEMENTS)
    return invalid(
      '/to',
      `the period holds more than ${MAX_STATEMENT_MOVEMENTS} movements: ask for a shorter one`,
    );
  const closingMicros = movements.reduce((sum, movement) => sum + movement.amountMicros, openingMicros);
  const lines = [
    balanceMovementLine({
      movement: 'opening_balance',
      detail: null,
      day: null,
      amountMicros: openingMicros,
    }),
    ...movements.map(statementLine),
  ];
  if (lines.length > MAX_DOCUMENT_LINES) throw new Error('a statement outgrew the document bounds');
  return {
    ok: true,
    document: {
      kind: 'statement',
      number: null,
      status: 'finalized',
      ...parties.header,
      issuedOn: isoDateOfDay(clock.localTime(now.getTime()).dayNumber),
      dueOn: null,
      period: period.days,
      lines,
      taxSummary: [],
      totals: { netMicros: String(closingMicros), taxMicros: '0', totalMicros: String(closingMicros) },
      exchangeRates: [],
      credits: null,
      itemised: null,
    },
  };
}

function statementLine(movement: BucketMovement) {
  return balanceMovementLine({
    movement: movement.kind,
    detail:
      movement.kind === 'charge'
        ? movement.description
        : movementDetail(movement.reference, movement.description),
    day: isoDateOfDay(movement.day),
    amountMicros: movement.amountMicros,
  });
}
