import type { Kysely } from 'kysely';
import type { Actor } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { createUser } from '../users/create-user.js';
import type { CreateUserBody, User } from '../users/user-schemas.js';

/**
 * The one password of every demo user, printed in the banner and the README: a demo is for
 * looking around, not for guarding. It passes the password rules (users/check-password-rules.ts:
 * at least 12 characters, not the e-mail address).
 */
export const DEMO_PASSWORD = 'tollgate-demo';

export type DemoUser =
  | { readonly email: string; readonly kind: 'staff'; readonly role: 'admin' | 'operator' | 'support' }
  /** A customer user acts for the demo customer whose e-mail is `customerEmail`. */
  | { readonly email: string; readonly kind: 'customer'; readonly customerEmail: string };

/** The demo's sign-ins: the operator's staff, one per role that works the console, and each customer. */
export const DEMO_USERS: readonly DemoUser[] = [
  { email: 'admin@demo.example', kind: 'staff', role: 'admin' },
  { email: 'operator@demo.example', kind: 'staff', role: 'operator' },
  { email: 'support@demo.example', kind: 'staff', role: 'support' },
  { email: 'anna.schmidt@example.com', kind: 'customer', customerEmail: 'anna.schmidt@example.com' },
  { email: 'luis.garcia@example.com', kind: 'customer', customerEmail: 'luis.garcia@example.com' },
  { email: 'billing@kiezfunk.example', kind: 'customer', customerEmail: 'billing@kiezfunk.example' },
];

/** The demo's customer and staff sign-ins the banner shows. */
export const DEMO_CUSTOMER_SIGN_IN = 'anna.schmidt@example.com';
export const DEMO_STAFF_SIGN_IN = 'admin@demo.example';

/**
 * Creates the demo users through the user use case (so each is audited and hashed as any other);
 * `customerIds` maps a demo customer's e-mail to its id. Returns the users by e-mail.
 */
export async function createDemoUsers(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  customerIds: ReadonlyMap<string, string>,
  now: Date,
): Promise<Map<string, User>> {
  const users = new Map<string, User>();
  for (const demo of DEMO_USERS) {
    const created = await createUser(db, tenantId, actor, createUserBodyOf(demo, customerIds), now);
    if (!created.ok) throw new Error(`demo activity: user ${demo.email} refused: ${created.message}`);
    users.set(demo.email, created.user);
  }
  return users;
}

function createUserBodyOf(demo: DemoUser, customerIds: ReadonlyMap<string, string>): CreateUserBody {
  if (demo.kind === 'staff')
    return { email: demo.email, password: DEMO_PASSWORD, kind: 'staff', role: demo.role };
  const customerId = customerIds.get(demo.customerEmail);
  if (customerId === undefined) throw new Error(`demo activity: no demo customer ${demo.customerEmail}`);
  return { email: demo.email, password: DEMO_PASSWORD, kind: 'customer', customerId };
}
