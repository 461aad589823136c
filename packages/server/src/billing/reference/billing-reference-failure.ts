import type { UseCaseFailure } from '../../outcomes/use-case-failure.js';

/**
 * The outcomes of the billing reference use cases (profile, tax rules, exchange rates, discounts,
 * one-time charges) that are not a success (see outcomes/use-case-failure.ts).
 */
export type BillingReferenceFailure = UseCaseFailure;

export { conflict, invalid, notFound, unprocessable } from '../../outcomes/use-case-failure.js';
