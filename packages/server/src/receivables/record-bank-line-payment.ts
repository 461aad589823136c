import type { Transaction } from 'kysely';
import type { Actor } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { paymentRequestHash } from '../payments/payment-request-hash.js';
import { type RecordPaymentResult, recordPaymentIn } from '../payments/record-payment.js';

/** A payment's reference holds at most this many characters. */
const MAX_PAYMENT_REFERENCE = 255;

export interface BankLinePayment {
  readonly fileName: string;
  /** The SHA-256 of the statement file: with the line number, the payment's idempotency key. */
  readonly sha256: string;
  readonly lineNumber: number;
  readonly accountId: string;
  readonly invoiceId: string | null;
  readonly amountMicros: bigint;
  readonly currency: string;
  /** ISO date the bank booked the line on. */
  readonly bookedOn: string;
  readonly reference: string;
}

/**
 * Records the bank transfer of one statement line as a payment (source bank_transfer), inside the
 * caller's transaction, and applies it: the named invoice first, then the oldest due; the rest is
 * account credit. The idempotency key comes from the file and the line (`bank:<sha256>:<line>`),
 * so one line never pays twice, whether it is matched on import or on review, or an import is
 * retried. A bank books days, not instants: the payment is received at 00:00 UTC of the day (or
 * now, when that is earlier).
 */
export async function recordBankLinePayment(
  trx: Transaction<Database>,
  tenantId: string,
  actor: Actor,
  line: BankLinePayment,
  now: Date,
): Promise<RecordPaymentResult> {
  const bookedAt = new Date(`${line.bookedOn}T00:00:00Z`);
  const receivedAt = bookedAt.getTime() > now.getTime() ? now : bookedAt;
  const reference = Array.from(line.reference).slice(0, MAX_PAYMENT_REFERENCE).join('').trim();
  const input = {
    source: 'bank_transfer' as const,
    currency: line.currency,
    ...(line.invoiceId === null ? {} : { invoiceId: line.invoiceId }),
    ...(reference === '' ? {} : { reference }),
    note: `bank statement ${line.fileName}, line ${line.lineNumber}`.slice(0, 1000),
  };
  const requestHash = paymentRequestHash({
    accountId: line.accountId,
    ...input,
    amount: line.amountMicros.toString(),
    receivedAt: receivedAt.toISOString(),
  });
  return recordPaymentIn(
    trx,
    tenantId,
    actor,
    line.accountId,
    input,
    line.amountMicros,
    receivedAt,
    `bank:${line.sha256}:${line.lineNumber}`,
    requestHash,
    now,
  );
}
