import { type Kysely, sql } from 'kysely';
import type { IdentifierKind } from '../accounts/account-tables.js';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import { normaliseIdentifier } from '../accounts/normalise-identifier.js';
import { numberingContextOf } from '../accounts/subscription-store.js';
import type { Database } from '../db/database-schema.js';
import type { SearchHit, SearchHitKind } from './search-schemas.js';

/** Hits answered at most; each kind's statement fetches no more than this either. */
export const MAX_SEARCH_HITS = 20;

const IDENTIFIER_KINDS: readonly IdentifierKind[] = [
  'msisdn',
  'imsi',
  'sip_uri',
  'username',
  'ip',
  'radius_user',
];
/** The order of kinds among hits of the same exactness: the most specific first. */
const KIND_ORDER: readonly SearchHitKind[] = ['line', 'account', 'invoice', 'customer'];

/** What one query text is compared with, prepared once. */
interface SearchTerms {
  readonly tenantId: string;
  /** As typed, trimmed. */
  readonly typed: string;
  /** Upper case: account and invoice numbers are written so. */
  readonly upper: string;
  /** The identifier values the text stands for: as typed and each form it normalises to. */
  readonly identifierValues: readonly string[];
  /** LIKE patterns for a part of a value: the text, and its digits alone when it has separators. */
  readonly patterns: readonly string[];
}

/**
 * Staff search over a tenant: customers by name (given, family or company, any part, any case)
 * or e-mail, lines by an identifier (as typed, or normalised as identifiers are stored, so
 * "0151 12345678" finds +4915112345678), accounts by number and invoices by number. Whole-value
 * matches use the indexes (identifier lookup, account and invoice numbers, e-mail); partial
 * matches scan the tenant's rows of that table, which is why each statement stops at
 * MAX_SEARCH_HITS. Exact hits come first, then by kind (line, account, invoice, customer), then
 * by label.
 */
export async function findSearchHits(
  db: Kysely<Database>,
  tenantId: string,
  q: string,
): Promise<SearchHit[]> {
  const terms = await searchTermsOf(db, tenantId, q);
  // Blanks alone would match every row as a part of it.
  if (terms.typed.length < 2) return [];
  const found = await Promise.all([
    lineHits(db, terms),
    accountHits(db, terms),
    invoiceHits(db, terms),
    customerHits(db, terms),
  ]);
  return found
    .flat()
    .sort(
      (a, b) =>
        Number(b.exact) - Number(a.exact) ||
        KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
        (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
    )
    .slice(0, MAX_SEARCH_HITS);
}

async function searchTermsOf(db: Kysely<Database>, tenantId: string, q: string): Promise<SearchTerms> {
  // An unencoded "+" in a query string arrives as a space; no search starts with a space otherwise.
  const typed = q.replace(/^ (?=\d)/, '+').trim();
  const numbering = await numberingContextOf(db, tenantId);
  const values = new Set<string>([typed]);
  for (const kind of IDENTIFIER_KINDS) {
    const normalised = normaliseIdentifier(kind, typed, numbering);
    if (normalised.ok) values.add(normalised.value);
  }
  // International digits typed without their plus ("4915112345678") are still an MSISDN.
  if (/^\d{8,15}$/.test(typed)) values.add(`+${typed}`);
  const patterns = new Set<string>([`%${escapeLike(typed)}%`]);
  const digits = typed.replace(/[\s()./-]/g, '');
  if (digits !== typed && /^\+?\d{3,}$/.test(digits)) patterns.add(`%${escapeLike(digits)}%`);
  return {
    tenantId,
    typed,
    upper: typed.toUpperCase(),
    identifierValues: [...values],
    patterns: [...patterns],
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function anyLike(column: string, patterns: readonly string[]) {
  return sql.join(
    patterns.map((pattern) => sql`${sql.ref(column)} ilike ${pattern}`),
    sql` or `,
  );
}

async function lineHits(db: Kysely<Database>, terms: SearchTerms): Promise<SearchHit[]> {
  const { rows } = await sql<{
    id: string;
    customer_id: string;
    value: string;
    kind: string;
    valid_to: Date | null;
    account_number: string;
    display_name: string;
    exact: boolean;
  }>`
    select s.id, a.customer_id, i.value, i.kind, i.valid_to, a.account_number, c.display_name,
      i.value in (${sql.join(terms.identifierValues)}) as exact
    from subscription_identifiers i
    join subscriptions s on s.tenant_id = i.tenant_id and s.id = i.subscription_id
    join accounts a on a.tenant_id = s.tenant_id and a.id = s.account_id
    join customers c on c.id = a.customer_id
    where i.tenant_id = ${terms.tenantId}::uuid
      and ((i.kind in (${sql.join(IDENTIFIER_KINDS)}) and i.value in (${sql.join(terms.identifierValues)}))
        or ${anyLike('i.value', terms.patterns)})
    order by exact desc, (i.valid_to is null) desc, i.value
    limit ${MAX_SEARCH_HITS}`.execute(db);
  const seen = new Set<string>();
  return rows.flatMap((row) => {
    if (seen.has(row.id)) return [];
    seen.add(row.id);
    const until = row.valid_to === null ? '' : ` (until ${new Date(row.valid_to).toISOString()})`;
    return [
      {
        kind: 'line' as const,
        id: row.id,
        customerId: row.customer_id,
        label: row.value,
        detail: `${row.kind} of a line on ${row.account_number}, ${row.display_name}${until}`,
        exact: row.exact,
      },
    ];
  });
}

async function accountHits(db: Kysely<Database>, terms: SearchTerms): Promise<SearchHit[]> {
  const { rows } = await sql<{
    id: string;
    customer_id: string;
    account_number: string;
    kind: string;
    status: string;
    display_name: string;
    exact: boolean;
  }>`
    select a.id, a.customer_id, a.account_number, a.kind, a.status, c.display_name,
      a.account_number = ${terms.upper} as exact
    from accounts a join customers c on c.id = a.customer_id
    where a.tenant_id = ${terms.tenantId}::uuid
      and (a.account_number = ${terms.upper} or ${anyLike('a.account_number', terms.patterns)})
    order by exact desc, a.account_number
    limit ${MAX_SEARCH_HITS}`.execute(db);
  return rows.map((row) => ({
    kind: 'account' as const,
    id: row.id,
    customerId: row.customer_id,
    label: row.account_number,
    detail: `${row.kind} account of ${row.display_name}, ${row.status}`,
    exact: row.exact,
  }));
}

async function invoiceHits(db: Kysely<Database>, terms: SearchTerms): Promise<SearchHit[]> {
  const { rows } = await sql<{
    id: string;
    customer_id: string;
    number: string;
    kind: string;
    status: string;
    total_micros: string | bigint;
    currency: string;
    account_number: string;
    display_name: string;
    exact: boolean;
  }>`
    select i.id, a.customer_id, i.number, i.kind, i.status, i.total_micros, i.currency, a.account_number,
      c.display_name, i.number = ${terms.upper} as exact
    from invoices i
    join accounts a on a.tenant_id = i.tenant_id and a.id = i.account_id
    join customers c on c.id = a.customer_id
    where i.tenant_id = ${terms.tenantId}::uuid and i.number is not null
      and (i.number = ${terms.upper} or ${anyLike('i.number', terms.patterns)})
    order by exact desc, i.number
    limit ${MAX_SEARCH_HITS}`.execute(db);
  return rows.map((row) => {
    const currency = row.currency.trim();
    const total = formatMoneyAmount(BigInt(row.total_micros), currency);
    const what = row.kind === 'credit_note' ? 'credit note' : 'invoice';
    return {
      kind: 'invoice' as const,
      id: row.id,
      customerId: row.customer_id,
      label: row.number,
      detail: `${what} of ${row.account_number}, ${row.display_name}: ${total} ${currency}, ${row.status}`,
      exact: row.exact,
    };
  });
}

async function customerHits(db: Kysely<Database>, terms: SearchTerms): Promise<SearchHit[]> {
  const lowerTyped = terms.typed.toLowerCase();
  const { rows } = await sql<{
    id: string;
    display_name: string;
    email: string | null;
    status: string;
    exact: boolean;
  }>`
    select c.id, c.display_name, c.email, c.status,
      coalesce(lower(c.email) = ${lowerTyped} or c.phone in (${sql.join(terms.identifierValues)})
        or lower(c.display_name) = ${lowerTyped}, false) as exact
    from customers c
    where c.tenant_id = ${terms.tenantId}::uuid
      and (lower(c.email) = ${lowerTyped} or c.phone in (${sql.join(terms.identifierValues)})
        or ${anyLike('c.display_name', terms.patterns)} or ${anyLike('c.given_name', terms.patterns)}
        or ${anyLike('c.family_name', terms.patterns)} or ${anyLike('c.company_name', terms.patterns)}
        or ${anyLike('c.email', terms.patterns)})
    order by exact desc, c.display_name, c.id
    limit ${MAX_SEARCH_HITS}`.execute(db);
  return rows.map((row) => ({
    kind: 'customer' as const,
    id: row.id,
    customerId: row.id,
    label: row.display_name,
    detail: [row.email ?? 'no e-mail', row.status].join(', '),
    exact: row.exact,
  }));
}
