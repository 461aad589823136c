import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { User } from './user-schemas.js';
import type { UserTable } from './user-tables.js';

export type UserRow = Selectable<UserTable>;
type Executor = Kysely<Database> | Transaction<Database>;

/** A user as the API shows it: never the password hash, nor the failed-login count. */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    kind: row.kind,
    role: row.role,
    customerId: row.customer_id,
    lockedUntil: row.locked_until === null ? null : row.locked_until.toISOString(),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** One user of one tenant; another tenant's id reads as absent. */
export async function findUser(
  db: Executor,
  tenantId: string,
  id: string,
  lock = false,
): Promise<UserRow | undefined> {
  let query = db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** A user by tenant slug and e-mail (compared lowercased), for sign-in and password reset. */
export async function findUserByEmail(
  db: Executor,
  tenantSlug: string,
  email: string,
): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .innerJoin('tenants', 'tenants.id', 'users.tenant_id')
    .selectAll('users')
    .where('tenants.slug', '=', tenantSlug)
    .where('users.email', '=', normaliseEmail(email))
    .executeTakeFirst();
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
