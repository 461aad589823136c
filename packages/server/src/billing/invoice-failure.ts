import type { UseCaseFailure } from '../outcomes/use-case-failure.js';

/** The outcomes of the invoice use cases that are not a success (see outcomes/use-case-failure.ts). */
export type InvoiceFailure = UseCaseFailure;

export { conflict, invalid, notFound } from '../outcomes/use-case-failure.js';
