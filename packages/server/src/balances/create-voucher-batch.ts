import { isCurrencyCode } from '@tollgate/core';
import type { Kysely, Transaction } from 'kysely';
import { parseMoneyAmount } from '../accounts/money-amount.js';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { type BalanceFailure, invalid } from './balance-failure.js';
import { generateVoucherCode, hashVoucherCode } from './voucher-code.js';
import type { CreatedVoucherBatch, CreateVoucherBatchBody } from './voucher-schemas.js';
import { toVoucherBatch } from './voucher-store.js';

export type CreateVoucherBatchResult = ({ readonly ok: true } & CreatedVoucherBatch) | BalanceFailure;

/** Rows per insert: 5 parameters each stays far below PostgreSQL's 65535 per statement. */
const ROWS_PER_INSERT = 2000;
/** A code can clash with one the tenant already has (1 in 10^16 per pair); a clash draws again. */
const MAX_DRAWS = 5;

/**
 * Creates a batch of single-use vouchers of one value and currency: the batch, and `count`
 * random codes of which only hashes are stored. The codes are returned this once, for printing.
 */
export async function createVoucherBatch(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  input: CreateVoucherBatchBody,
  now: Date,
): Promise<CreateVoucherBatchResult> {
  if (!isCurrencyCode(input.currency))
    return invalid('/currency', `"${input.currency}" is not an ISO 4217 currency code`);
  const amount = parseMoneyAmount(input.amount, input.currency);
  if (!amount.ok) return invalid('/amount', amount.message);
  if (amount.micros === 0n) return invalid('/amount', 'a voucher must be worth more than zero');
  const expiresAt = new Date(input.expiresAt);
  if (expiresAt <= now) return invalid('/expiresAt', 'expiresAt must be in the future');
  return db.transaction().execute(async (trx): Promise<CreateVoucherBatchResult> => {
    const batch = await trx
      .insertInto('voucher_batches')
      .values({
        tenant_id: tenantId,
        name: input.name,
        currency: input.currency,
        amount_micros: amount.micros,
        voucher_count: input.count,
        expires_at: expiresAt,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const codes = await insertVouchers(trx, tenantId, batch.id, input.count);
    const view = toVoucherBatch({ ...batch, active: input.count, redeemed: 0, void: 0 });
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'voucher_batch.created',
      objectType: 'voucher_batch',
      objectId: batch.id,
      before: null,
      after: view,
      occurredAt: now,
    });
    return { ok: true, batch: view, codes };
  });
}

/** Draws and stores `count` codes, serials 1..count; a serial whose code clashed draws again. */
async function insertVouchers(
  trx: Transaction<Database>,
  tenantId: string,
  batchId: string,
  count: number,
): Promise<{ serial: number; code: string }[]> {
  const codes = new Map<number, string>();
  let missing = Array.from({ length: count }, (_, i) => i + 1);
  for (let draw = 0; draw < MAX_DRAWS && missing.length > 0; draw++) {
    const drawn = missing.map((serial) => ({ serial, code: generateVoucherCode() }));
    for (let start = 0; start < drawn.length; start += ROWS_PER_INSERT) {
      const chunk = drawn.slice(start, start + ROWS_PER_INSERT);
      const stored = await trx
        .insertInto('vouchers')
        .values(
          chunk.map(({ serial, code }) => ({
            tenant_id: tenantId,
            batch_id: batchId,
            serial,
            code_hash: hashVoucherCode(tenantId, code),
            status: 'active' as const,
          })),
        )
        .onConflict((c) => c.columns(['tenant_id', 'code_hash']).doNothing())
        .returning('serial')
        .execute();
      const bySerial = new Map(chunk.map((c) => [c.serial, c.code]));
      for (const { serial } of stored) codes.set(serial, bySerial.get(serial)!);
    }
    missing = missing.filter((serial) => !codes.has(serial));
  }
  if (missing.length > 0) throw new Error(`could not draw unique codes for ${missing.length} vouchers`);
  return [...codes].sort(([a], [b]) => a - b).map(([serial, code]) => ({ serial, code }));
}
