import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { keysetPage } from '../db/keyset-page.js';
import type { CursorPosition } from '../http/pagination.js';
import type { CustomerNote } from './customer-note-schemas.js';
import type { CustomerNoteTable } from './customer-note-tables.js';

export type CustomerNoteRow = Selectable<CustomerNoteTable>;

export function toCustomerNote(row: CustomerNoteRow): CustomerNote {
  return {
    id: row.id,
    customerId: row.customer_id,
    body: row.body,
    author: { type: row.author_type, id: row.author_id },
    createdAt: row.created_at.toISOString(),
  };
}

/** A page of a customer's notes, newest first (keyset on (created_at, id), index customer_notes_customer). */
export async function listCustomerNotes(
  db: Kysely<Database>,
  tenantId: string,
  customerId: string,
  after: CursorPosition | null,
  rows: number,
): Promise<CustomerNoteRow[]> {
  const query = db
    .selectFrom('customer_notes')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId);
  return keysetPage(query, after, 'desc', rows).execute();
}
