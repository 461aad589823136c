import type { Kysely, Transaction } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import {
  conflict,
  invalid,
  notFound,
  type UseCaseFailure,
  unprocessable,
} from '../outcomes/use-case-failure.js';
import type { BankStatementLineView, MatchBankLineBody } from './bank-statement-schemas.js';
import { type BankLineRow, findBankLine, toBankLine } from './bank-statement-store.js';
import { recordBankLinePayment } from './record-bank-line-payment.js';

export type ResolveBankLineResult =
  | { readonly ok: true; readonly line: BankStatementLineView }
  | UseCaseFailure;

interface Target {
  readonly accountId: string;
  readonly invoiceId: string | null;
}

/**
 * Resolves a line the import could not match: records its payment to the invoice (paid first,
 * then the account's oldest due) or to the account a reviewer chose, and marks the line matched.
 * Only an unmatched line that was read whole (a known amount and currency) can be matched; the
 * payment's idempotency key is the one the import would have used, so a line never pays twice.
 */
export async function matchBankStatementLine(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  lineId: string,
  body: MatchBankLineBody,
  now: Date,
): Promise<ResolveBankLineResult> {
  if ((body.invoiceId === undefined) === (body.accountId === undefined))
    return invalid(
      body.invoiceId === undefined ? '/accountId' : '/invoiceId',
      'give exactly one of invoiceId and accountId',
    );
  return db.transaction().execute(async (trx): Promise<ResolveBankLineResult> => {
    const line = await findBankLine(trx, tenantId, lineId, true);
    if (line === undefined) return notFound(`no bank statement line ${lineId}`);
    if (line.status !== 'unmatched')
      return conflict(`line ${line.line_number} is ${line.status}: only an unmatched line can be matched`);
    const currency = line.currency.trim();
    if (BigInt(line.amount_micros) <= 0n)
      return conflict(
        `line ${line.line_number} has no amount to pay (${line.reason ?? 'it could not be read'}): ignore it, and record the payment by hand`,
      );
    const target = await targetOf(trx, tenantId, body, currency);
    if (!('accountId' in target)) return target;
    const file = await trx
      .selectFrom('bank_statement_imports')
      .select(['file_name', 'sha256'])
      .where('id', '=', line.import_id)
      .executeTakeFirstOrThrow();
    const paid = await recordBankLinePayment(
      trx,
      tenantId,
      actor,
      {
        fileName: file.file_name,
        sha256: file.sha256,
        lineNumber: line.line_number,
        accountId: target.accountId,
        invoiceId: target.invoiceId,
        amountMicros: BigInt(line.amount_micros),
        currency,
        bookedOn: line.booked_on,
        reference: line.reference,
      },
      now,
    );
    if (!paid.ok) return paid;
    const updated = await trx
      .updateTable('bank_statement_lines')
      .set({
        status: 'matched',
        reason: null,
        invoice_id: target.invoiceId,
        payment_id: paid.payment.id,
        resolved_at: now,
      })
      .where('id', '=', line.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditResolution(trx, tenantId, actor, line, updated, now);
    return { ok: true, line: toBankLine(updated) };
  });
}

async function targetOf(
  trx: Transaction<Database>,
  tenantId: string,
  body: MatchBankLineBody,
  currency: string,
): Promise<Target | UseCaseFailure> {
  if (body.invoiceId !== undefined) {
    const invoice = await trx
      .selectFrom('invoices as i')
      .innerJoin('accounts as a', (join) =>
        join.onRef('a.tenant_id', '=', 'i.tenant_id').onRef('a.id', '=', 'i.account_id'),
      )
      .select(['i.id', 'i.number', 'i.kind', 'i.account_id', 'a.currency'])
      .where('i.tenant_id', '=', tenantId)
      .where('i.id', '=', body.invoiceId)
      .executeTakeFirst();
    if (invoice === undefined || invoice.kind !== 'invoice' || invoice.number === null)
      return unprocessable('/invoiceId', `no issued invoice ${body.invoiceId}`);
    if (invoice.currency.trim() !== currency)
      return unprocessable(
        '/invoiceId',
        `invoice ${invoice.number} is in ${invoice.currency.trim()}, the line in ${currency}`,
      );
    return { accountId: invoice.account_id, invoiceId: invoice.id };
  }
  const account = await trx
    .selectFrom('accounts')
    .select(['id', 'account_number', 'currency'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', body.accountId ?? '')
    .executeTakeFirst();
  if (account === undefined) return unprocessable('/accountId', `no account ${body.accountId}`);
  if (account.currency.trim() !== currency)
    return unprocessable(
      '/accountId',
      `account ${account.account_number} is billed in ${account.currency.trim()}, the line is in ${currency}`,
    );
  return { accountId: account.id, invoiceId: null };
}

/** The audit entry of a reviewer's decision on a line. */
export async function auditResolution(
  trx: Transaction<Database>,
  tenantId: string,
  actor: Actor,
  before: BankLineRow,
  after: BankLineRow,
  now: Date,
): Promise<void> {
  await recordAuditEntry(trx, {
    tenantId,
    actor,
    action: `bank_statement_line.${after.status}`,
    objectType: 'bank_statement_line',
    objectId: after.id,
    before: { status: before.status, reason: before.reason },
    after: {
      status: after.status,
      reason: after.reason,
      invoiceId: after.invoice_id,
      paymentId: after.payment_id,
    },
    occurredAt: now,
  });
}
