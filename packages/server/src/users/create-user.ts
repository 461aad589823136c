import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { checkPasswordRules } from './check-password-rules.js';
import { hashPassword } from './password-hash.js';
import type { CreateUserBody, User } from './user-schemas.js';
import { normaliseEmail, toUser } from './user-store.js';

export type CreateUserResult =
  | { ok: true; user: User }
  | { ok: false; code: 'invalid' | 'email_taken' | 'customer_not_found'; field: string; message: string };

/**
 * Creates a staff or customer user with an initial password, and its audit entry, in one
 * transaction. A customer user must belong to a customer of the same tenant.
 */
export async function createUser(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  input: CreateUserBody,
  now: Date,
): Promise<CreateUserResult> {
  const email = normaliseEmail(input.email);
  const shape = checkKindShape(input);
  if (shape !== null) return shape;
  const passwordProblem = checkPasswordRules(input.password, email);
  if (passwordProblem !== null)
    return { ok: false, code: 'invalid', field: '/password', message: passwordProblem };
  // Hashing takes tens of milliseconds on purpose: done before the transaction, so no lock waits on it.
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx): Promise<CreateUserResult> => {
    if (input.customerId !== undefined) {
      const customer = await trx
        .selectFrom('customers')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', input.customerId)
        .executeTakeFirst();
      if (customer === undefined) {
        return {
          ok: false,
          code: 'customer_not_found',
          field: '/customerId',
          message: `no customer ${input.customerId}`,
        };
      }
    }
    const row = await trx
      .insertInto('users')
      .values({
        tenant_id: tenantId,
        email,
        password_hash: passwordHash,
        kind: input.kind,
        role: input.kind === 'customer' ? 'customer' : (input.role ?? 'read-only'),
        customer_id: input.customerId ?? null,
        failed_logins: 0,
        locked_until: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((c) => c.columns(['tenant_id', 'email']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row === undefined)
      return { ok: false, code: 'email_taken', field: '/email', message: `a user with ${email} exists` };
    const user = toUser(row);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'user.created',
      objectType: 'user',
      objectId: user.id,
      before: null,
      after: user,
      occurredAt: now,
    });
    return { ok: true, user };
  });
}

/** Staff users name a role and no customer; customer users name a customer and no role. */
function checkKindShape(input: CreateUserBody): CreateUserResult | null {
  if (input.kind === 'staff') {
    if (input.role === undefined)
      return { ok: false, code: 'invalid', field: '/role', message: 'a staff user needs a role' };
    if (input.customerId !== undefined)
      return {
        ok: false,
        code: 'invalid',
        field: '/customerId',
        message: 'a staff user belongs to no customer',
      };
    return null;
  }
  if (input.customerId === undefined)
    return {
      ok: false,
      code: 'invalid',
      field: '/customerId',
      message: 'a customer user needs a customerId',
    };
  if (input.role !== undefined)
    return {
      ok: false,
      code: 'invalid',
      field: '/role',
      message: 'a customer user has the customer role; leave role out',
    };
  return null;
}
