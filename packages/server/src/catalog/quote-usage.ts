import {
  explainRating,
  formatMoneyDecimal,
  type Quantity,
  type RatingExplanation,
  type RatingProblem,
  rateUsage,
} from '@tollgate/core';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { type CompiledTariffCache, compiledTariffCache } from './compiled-tariff-cache.js';
import { findPlan, findPlanVersionAt } from './plan-store.js';
import {
  findTariff,
  findTariffVersionAt,
  findTariffVersionById,
  readTariffDocument,
  type TariffVersionRow,
} from './tariff-store.js';

/** What prices the usage: a stored tariff version, a tariff (its version then in effect), or a plan. */
export type QuoteTarget =
  | { readonly tariffVersionId: string }
  | { readonly tariffId: string }
  | { readonly planId: string }
  | { readonly subscriptionId: string };

export interface QuoteRequest {
  /** The tenant named in the tariff's rating profiles; absent: the only one they name. */
  readonly ratingTenant?: string | undefined;
  readonly category: string;
  /** Absent: the plan version's rating subject, else `*any`. */
  readonly subject?: string | undefined;
  readonly destination: string;
  readonly answerTime: Date;
  readonly usage: Quantity;
}

export interface Quote {
  readonly cost: string;
  readonly currency: string;
  readonly ratingTenant: string;
  readonly subject: string;
  readonly tariff: { readonly id: string; readonly version: number; readonly versionId: string };
  readonly plan: { readonly id: string; readonly version: number; readonly versionId: string } | null;
  readonly explanation: RatingExplanation;
}

export type QuoteResult =
  | { ok: true; quote: Quote }
  | { ok: false; code: 'not_found'; message: string }
  /** The tariff or plan exists, but nothing of it was in effect at the answer time. */
  | { ok: false; code: 'not_in_effect'; message: string }
  | { ok: false; code: 'rating_tenant_required'; message: string }
  | { ok: false; code: 'rating_failed'; error: RatingProblem };

interface Resolved {
  readonly version: TariffVersionRow;
  readonly plan: Quote['plan'];
  readonly ratingSubject: string;
}

/**
 * Prices one usage with the tenant's stored catalog: the same pure rating function as every other
 * path, fed with the tariff version in effect at the usage's answer time (for a plan: the plan
 * version in effect then, and its tariff's version in effect then). Compiled tariffs come from
 * the cache, keyed by immutable version id.
 */
export async function quoteUsage(
  db: Kysely<Database>,
  tenantId: string,
  target: QuoteTarget,
  request: QuoteRequest,
  cache: CompiledTariffCache = compiledTariffCache,
): Promise<QuoteResult> {
  const line =
    'subscriptionId' in target
      ? await subscriptionAt(db, tenantId, target.subscriptionId, request.answerTime)
      : null;
  if (line !== null && 'ok' in line) return line;
  const resolved = await resolveTarget(
    db,
    tenantId,
    line === null ? (target as Exclude<QuoteTarget, { subscriptionId: string }>) : { planId: line.planId },
    request.answerTime,
  );
  if ('ok' in resolved) return resolved;
  const { version } = resolved;
  const ratingTenant = request.ratingTenant ?? soleRatingTenant(version);
  if (ratingTenant === undefined) {
    const named = version.summary.ratingTenants.join(', ');
    return {
      ok: false,
      code: 'rating_tenant_required',
      message: `the tariff's rating profiles name ${version.summary.ratingTenants.length} tenants (${named}); say which in ratingTenant`,
    };
  }
  const compiled = await cache.get(version.id, () => readTariffDocument(db, version.id));
  // A line is rated as itself (its number); the tariff's `*any` profile applies when it has none.
  const subject = request.subject ?? line?.subject ?? resolved.ratingSubject;
  const rated = rateUsage(compiled, {
    tenant: ratingTenant,
    category: request.category,
    subject,
    destination: request.destination,
    answerTimeMs: request.answerTime.getTime(),
    usage: request.usage,
  });
  if (!rated.ok) return { ok: false, code: 'rating_failed', error: rated.error };
  return {
    ok: true,
    quote: {
      cost: formatMoneyDecimal(rated.value.cost),
      currency: rated.value.cost.currency,
      ratingTenant,
      subject,
      tariff: { id: version.tariff_id, version: version.version, versionId: version.id },
      plan: resolved.plan,
      explanation: explainRating(rated.value),
    },
  };
}

function soleRatingTenant(version: TariffVersionRow): string | undefined {
  const tenants = version.summary.ratingTenants;
  return tenants.length === 1 ? tenants[0] : undefined;
}

type Failure = Extract<QuoteResult, { ok: false; code: 'not_found' | 'not_in_effect' }>;

/**
 * The plan a line was on at an instant, from its dated events (activated, then plan changes), and
 * the identifier it is rated as: its MSISDN then, else its first identifier then.
 */
async function subscriptionAt(
  db: Kysely<Database>,
  tenantId: string,
  subscriptionId: string,
  at: Date,
): Promise<{ planId: string; subject: string | undefined } | Failure> {
  const line = await db
    .selectFrom('subscriptions')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', subscriptionId)
    .executeTakeFirst();
  if (line === undefined)
    return { ok: false, code: 'not_found', message: `no subscription ${subscriptionId}` };
  const events = await db
    .selectFrom('subscription_events')
    .select(['kind', 'data', 'effective_at'])
    .where('tenant_id', '=', tenantId)
    .where('subscription_id', '=', subscriptionId)
    .where('kind', 'in', ['activated', 'plan_changed'])
    .where('effective_at', '<=', at)
    .orderBy('sequence')
    .execute();
  let planId: string | null = null;
  for (const event of events) {
    const data = event.data as { planId?: string | null; toPlanId?: string | null };
    planId = (event.kind === 'activated' ? data.planId : data.toPlanId) ?? null;
  }
  if (planId === null) {
    return {
      ok: false,
      code: 'not_in_effect',
      message: `subscription ${subscriptionId} had no plan at ${at.toISOString()}`,
    };
  }
  const identifiers = await db
    .selectFrom('subscription_identifiers')
    .select(['kind', 'value'])
    .where('tenant_id', '=', tenantId)
    .where('subscription_id', '=', subscriptionId)
    .where('valid_from', '<=', at)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', at)]))
    .orderBy('valid_from')
    .execute();
  const subject = (identifiers.find((i) => i.kind === 'msisdn') ?? identifiers[0])?.value;
  return { planId, subject };
}

async function resolveTarget(
  db: Kysely<Database>,
  tenantId: string,
  target: Exclude<QuoteTarget, { subscriptionId: string }>,
  at: Date,
): Promise<Resolved | Failure> {
  if ('tariffVersionId' in target) {
    const version = await findTariffVersionById(db, tenantId, target.tariffVersionId);
    if (version === undefined)
      return { ok: false, code: 'not_found', message: `no tariff version ${target.tariffVersionId}` };
    return { version, plan: null, ratingSubject: '*any' };
  }
  if ('tariffId' in target) {
    const version = await tariffVersionAt(db, tenantId, target.tariffId, at);
    return 'ok' in version ? version : { version: version.version, plan: null, ratingSubject: '*any' };
  }
  const plan = await findPlan(db, tenantId, target.planId);
  if (plan === undefined) return { ok: false, code: 'not_found', message: `no plan ${target.planId}` };
  const planVersion = await findPlanVersionAt(db, tenantId, plan.id, at);
  if (planVersion === undefined) {
    return {
      ok: false,
      code: 'not_in_effect',
      message: `plan ${plan.code} has no version in effect at ${at.toISOString()}`,
    };
  }
  if (planVersion.tariff_id === null) {
    return {
      ok: false,
      code: 'not_in_effect',
      message: `plan ${plan.code} version ${planVersion.version} has no tariff to price usage with`,
    };
  }
  const version = await tariffVersionAt(db, tenantId, planVersion.tariff_id, at);
  if ('ok' in version) return version;
  return {
    version: version.version,
    plan: { id: plan.id, version: planVersion.version, versionId: planVersion.id },
    ratingSubject: planVersion.rating_subject,
  };
}

async function tariffVersionAt(
  db: Kysely<Database>,
  tenantId: string,
  tariffId: string,
  at: Date,
): Promise<{ version: TariffVersionRow } | Failure> {
  const tariff = await findTariff(db, tenantId, tariffId);
  if (tariff === undefined) return { ok: false, code: 'not_found', message: `no tariff ${tariffId}` };
  const version = await findTariffVersionAt(db, tenantId, tariffId, at);
  if (version === undefined) {
    return {
      ok: false,
      code: 'not_in_effect',
      message: `tariff ${tariff.code} has no version in effect at ${at.toISOString()}`,
    };
  }
  return { version };
}
