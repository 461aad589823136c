import type { Generated } from 'kysely';
import type { ApiKeyRole, CreatedAt, UpdatedAt } from '../db/database-schema.js';

/** The users tables (see db/database-schema.ts and migrations/0004-users.ts). */
export interface UserTables {
  users: UserTable;
  sessions: SessionTable;
  password_reset_tokens: PasswordResetTokenTable;
}

export type UserKind = 'staff' | 'customer';
/** Staff users hold a staff role (as API keys do); customer users hold `customer`, which grants no staff role. */
export type UserRole = ApiKeyRole | 'customer';

export interface UserTable {
  id: Generated<string>;
  tenant_id: string;
  /** Lowercased; unique per tenant. */
  email: string;
  /** Argon2id in the PHC encoded form (`$argon2id$v=19$m=...,t=...,p=...$salt$hash`). */
  password_hash: string;
  kind: UserKind;
  role: UserRole;
  /** The customer a customer user belongs to; null for staff. */
  customer_id: string | null;
  /** Failed logins since the last success or lock; at the limit the account locks and this restarts. */
  failed_logins: number;
  locked_until: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SessionTable {
  /** SHA-256 (hex) of the session token; the token itself is only ever in the user's cookie. */
  id: string;
  tenant_id: string;
  user_id: string;
  created_at: CreatedAt;
  expires_at: Date;
  revoked_at: Date | null;
}

export interface PasswordResetTokenTable {
  /** SHA-256 (hex) of the reset token; the token itself is never stored. */
  token_hash: string;
  tenant_id: string;
  user_id: string;
  created_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
}
