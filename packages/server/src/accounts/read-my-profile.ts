import type { Kysely } from 'kysely';
import { findCustomer } from '../customers/customer-store.js';
import type { Database } from '../db/database-schema.js';
import { findUser, toUser } from '../users/user-store.js';
import { type MeView, PORTAL_LANGUAGES, type PortalLanguage } from './my-account-schemas.js';

/**
 * The signed-in user as GET /v1/me and PATCH /v1/me show them: the user, when the session ends,
 * and for a customer user the customer's name, language and locale (the portal speaks to them
 * in it). Undefined when the user is gone.
 */
export async function readMyProfile(
  db: Kysely<Database>,
  tenantId: string,
  userId: string,
  expiresAt: Date,
): Promise<MeView | undefined> {
  const user = await findUser(db, tenantId, userId);
  if (user === undefined) return undefined;
  const customer = user.customer_id === null ? undefined : await findCustomer(db, tenantId, user.customer_id);
  return {
    user: toUser(user),
    expiresAt: expiresAt.toISOString(),
    customer:
      customer === undefined
        ? null
        : {
            id: customer.id,
            name: customer.display_name,
            language: portalLanguageOf(customer.language),
            locale: customer.language,
          },
  };
}

/** The portal language of a stored tag: `de-AT` is German; a language the portal lacks reads English. */
export function portalLanguageOf(tag: string): PortalLanguage {
  const base = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return PORTAL_LANGUAGES.find((language) => language === base) ?? 'en';
}
