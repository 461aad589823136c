import type { UseCaseFailure } from '../outcomes/use-case-failure.js';

/** The outcomes of the accounts use cases that are not a success (see outcomes/use-case-failure.ts). */
export type AccountFailure = UseCaseFailure;

export { conflict, invalid, notFound, unprocessable } from '../outcomes/use-case-failure.js';
