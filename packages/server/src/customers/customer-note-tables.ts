import type { Generated } from 'kysely';
import type { CreatedAt } from '../db/database-schema.js';

/** The customer notes table (see db/migrations/0010-customer-notes.ts). */
export interface CustomerNoteTables {
  customer_notes: CustomerNoteTable;
}

/** One entry of a customer's support log; append-only (a trigger refuses changes and deletes). */
export interface CustomerNoteTable {
  id: Generated<string>;
  tenant_id: string;
  customer_id: string;
  body: string;
  /** Who wrote it, as the audit log names actors: api_key, user or system, and the id. */
  author_type: string;
  author_id: string;
  created_at: CreatedAt;
}
