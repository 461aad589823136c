import type { Kysely } from 'kysely';
import type { Actor } from '../audit/record-audit-entry.js';
import { findCustomer } from '../customers/customer-store.js';
import { updateCustomer } from '../customers/update-customer.js';
import type { Database } from '../db/database-schema.js';
import { invalid, notFound, type UseCaseFailure, unprocessable } from '../outcomes/use-case-failure.js';
import { PORTAL_LANGUAGES, type UpdateMeBody } from './my-account-schemas.js';
import { portalLanguageOf } from './read-my-profile.js';

export type SetMyLanguageResult = { readonly ok: true; readonly tag: string } | UseCaseFailure;

/**
 * Stored tags are a language with an optional region: the form customers.language takes, which
 * notifications and invoices read as their locale.
 */
const STORABLE_TAG = /^[a-z]{2}(-[A-Z]{2})?$/;

/**
 * A customer's own choice of language and locale, kept in customers.language (a BCP 47 tag: the
 * words come from its language, the formats of numbers and dates from the whole tag, so `de-AT`
 * holds both). The locale is checked and written canonically through Intl. A language alone keeps
 * the region when the language does not change (`de-AT` stays as it is for `de`).
 */
export async function setMyLanguage(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  customerId: string,
  body: UpdateMeBody,
  now: Date,
): Promise<SetMyLanguageResult> {
  const customer = await findCustomer(db, tenantId, customerId);
  if (customer === undefined) return notFound(`no customer ${customerId}`);
  let next: string;
  if (body.locale !== undefined) {
    const tag = canonicalTag(body.locale);
    if (!tag.ok) return tag.failure;
    if (body.language !== undefined && portalLanguageOf(tag.value) !== body.language)
      return unprocessable('/locale', `the locale ${tag.value} is not in the language ${body.language}`);
    next = tag.value;
  } else if (body.language !== undefined) {
    next = customer.language.split('-')[0] === body.language ? customer.language : body.language;
  } else {
    return invalid('/', 'give a language, a locale or both');
  }
  if (next === customer.language) return { ok: true, tag: next };
  const updated = await updateCustomer(db, tenantId, actor, customerId, { language: next }, now);
  if (!updated.ok)
    return updated.code === 'not_found'
      ? notFound(`no customer ${customerId}`)
      : unprocessable(updated.field, updated.message);
  return { ok: true, tag: next };
}

function canonicalTag(text: string): { ok: true; value: string } | { ok: false; failure: UseCaseFailure } {
  let canonical: string | undefined;
  try {
    [canonical] = Intl.getCanonicalLocales(text);
  } catch {
    return { ok: false, failure: invalid('/locale', `${text} is not a BCP 47 language tag`) };
  }
  if (canonical === undefined || !STORABLE_TAG.test(canonical))
    return {
      ok: false,
      failure: unprocessable('/locale', `${text}: give a language with an optional region, as de or de-AT`),
    };
  const base = canonical.slice(0, 2);
  if (portalLanguageOf(canonical) !== base)
    return {
      ok: false,
      failure: unprocessable(
        '/locale',
        `${text}: the language must be one of ${PORTAL_LANGUAGES.join(', ')}`,
      ),
    };
  return { ok: true, value: canonical };
}
