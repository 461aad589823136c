import type { Kysely } from 'kysely';
import type { Actor } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { conflict, invalid, notFound } from '../outcomes/use-case-failure.js';
import { findBankLine, toBankLine } from './bank-statement-store.js';
import { auditResolution, type ResolveBankLineResult } from './match-bank-statement-line.js';

/**
 * Sets aside a line the import could not match, with the reviewer's note on why it needs no
 * payment (a transfer between the operator's own accounts, a refund from a supplier, a line that
 * could not be read and was booked by hand). The line's earlier reason stays in the audit log.
 */
export async function ignoreBankStatementLine(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  lineId: string,
  note: string,
  now: Date,
): Promise<ResolveBankLineResult> {
  const text = note.trim();
  if (text.length === 0) return invalid('/note', 'say why the line needs no payment');
  return db.transaction().execute(async (trx): Promise<ResolveBankLineResult> => {
    const line = await findBankLine(trx, tenantId, lineId, true);
    if (line === undefined) return notFound(`no bank statement line ${lineId}`);
    if (line.status !== 'unmatched')
      return conflict(`line ${line.line_number} is ${line.status}: only an unmatched line can be ignored`);
    const updated = await trx
      .updateTable('bank_statement_lines')
      .set({ status: 'ignored', reason: text, resolved_at: now })
      .where('id', '=', line.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditResolution(trx, tenantId, actor, line, updated, now);
    return { ok: true, line: toBankLine(updated) };
  });
}
