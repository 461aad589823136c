import type { BankCsvLine } from './read-bank-statement-csv.js';
import { type ReferenceNumber, referenceNumbersIn } from './reference-numbers.js';

/** An invoice a reference may name, with the account it bills. */
export interface NamedInvoice {
  readonly id: string;
  readonly number: string;
  readonly accountId: string;
  readonly accountNumber: string;
  /** The account's currency: the currency its payments must be in. */
  readonly currency: string;
}

/** An account a reference may name. */
export interface NamedAccount {
  readonly id: string;
  readonly accountNumber: string;
  readonly currency: string;
}

/** What the numbers of a file's references name: looked up once for the whole file. */
export interface NamedDocuments {
  readonly invoices: ReadonlyMap<string, NamedInvoice>;
  readonly accounts: ReadonlyMap<string, NamedAccount>;
}

export type BankLineDecision =
  | { readonly status: 'matched'; readonly accountId: string; readonly invoiceId: string | null }
  | { readonly status: 'unmatched'; readonly reason: string }
  | { readonly status: 'ignored'; readonly reason: string };

export const NO_NUMBER_REASON = 'no invoice or account number in the reference';

/**
 * What to do with one line of a statement (docs/receivables.md, "Matching"):
 * 1. a line that could not be read is kept for review, its problems naming line and field;
 * 2. money going out (or nothing) is ignored;
 * 3. an invoice number in the reference pays that invoice, when its account is billed in the
 *    line's currency;
 * 4. else an account number pays that account's invoices, oldest due first;
 * 5. else the line waits for review.
 * Where the reference names more than one account, nothing is guessed: the line waits for review.
 */
export function decideBankLine(
  line: BankCsvLine,
  named: NamedDocuments,
  latestBookedOn: string,
): BankLineDecision {
  if (line.problems.length > 0) return unmatched(`line ${line.lineNumber}: ${line.problems.join('; ')}`);
  const { amountMicros, currency, bookedOn } = line;
  if (amountMicros === null || currency === null || bookedOn === null)
    throw new Error(`decideBankLine: line ${line.lineNumber} has no problems, yet lacks a value`);
  if (amountMicros < 0n) return { status: 'ignored', reason: 'money going out (a negative amount)' };
  if (amountMicros === 0n) return { status: 'ignored', reason: 'the amount is 0' };
  if (bookedOn > latestBookedOn)
    return unmatched(`line ${line.lineNumber}: date ${bookedOn} is in the future`);
  const numbers = referenceNumbersIn(line.reference);
  const invoices = present(numbers, named.invoices);
  const accounts = present(numbers, named.accounts);
  if (invoices.length > 0) return byInvoice(invoices, accounts, currency);
  if (accounts.length > 0) return byAccount(accounts, currency);
  return unmatched(NO_NUMBER_REASON);
}

function byInvoice(
  invoices: readonly NamedInvoice[],
  accounts: readonly NamedAccount[],
  currency: string,
): BankLineDecision {
  const [invoice] = invoices;
  if (invoice === undefined) throw new Error('byInvoice: no invoice');
  const others = invoices.filter((other) => other.accountId !== invoice.accountId);
  if (others.length > 0)
    return unmatched(
      `the reference names invoices of several accounts: ${[invoice, ...others].map((i) => `${i.number} (${i.accountNumber})`).join(', ')}`,
    );
  const otherAccount = accounts.find((account) => account.id !== invoice.accountId);
  if (otherAccount !== undefined)
    return unmatched(
      `the reference names invoice ${invoice.number} of account ${invoice.accountNumber} and account ${otherAccount.accountNumber}`,
    );
  if (invoice.currency !== currency)
    return unmatched(`invoice ${invoice.number} is in ${invoice.currency}, the line in ${currency}`);
  return { status: 'matched', accountId: invoice.accountId, invoiceId: invoice.id };
}

function byAccount(accounts: readonly NamedAccount[], currency: string): BankLineDecision {
  const [account, ...others] = accounts;
  if (account === undefined) throw new Error('byAccount: no account');
  if (others.length > 0)
    return unmatched(
      `the reference names several accounts: ${accounts.map((a) => a.accountNumber).join(', ')}`,
    );
  if (account.currency !== currency)
    return unmatched(
      `account ${account.accountNumber} is billed in ${account.currency}, the line is in ${currency}`,
    );
  return { status: 'matched', accountId: account.id, invoiceId: null };
}

/** The documents the numbers name, in the order the reference names them, each once. */
function present<T extends { readonly id: string }>(
  numbers: readonly ReferenceNumber[],
  known: ReadonlyMap<string, T>,
): T[] {
  const out: T[] = [];
  for (const number of numbers) {
    const document = known.get(number.text);
    if (document !== undefined && !out.some((seen) => seen.id === document.id)) out.push(document);
  }
  return out;
}

function unmatched(reason: string): BankLineDecision {
  return { status: 'unmatched', reason };
}
