import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/database-schema.js';
import type { ReceiptTable } from '../billing-tables.js';
import { documentJson, type ReceiptView } from './statement-schemas.js';

type Db = Kysely<Database> | Transaction<Database>;
export type ReceiptRow = Selectable<ReceiptTable>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A receipt of the tenant by its number (RCT-000042) or the ledger transaction it is for; another
 * tenant's receipt reads as absent.
 */
export async function findReceipt(
  db: Db,
  tenantId: string,
  reference: string,
): Promise<ReceiptRow | undefined> {
  return db
    .selectFrom('receipts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where((eb) =>
      // Only a uuid is compared with the uuid column: PostgreSQL refuses any other text there.
      UUID.test(reference)
        ? eb.or([eb('ledger_transaction_id', '=', reference), eb('number', '=', reference)])
        : eb('number', '=', reference),
    )
    .executeTakeFirst();
}

export function receiptView(row: ReceiptRow): ReceiptView {
  return {
    number: row.number,
    ledgerTransactionId: row.ledger_transaction_id,
    accountId: row.account_id,
    issuedAt: row.created_at.toISOString(),
    document: documentJson(row.document),
  };
}
