import { HttpProblem } from '../../http/problem.js';
import type { BillingReferenceFailure } from './billing-reference-failure.js';

/** The problem document for a billing reference failure: the one place these outcomes become HTTP. */
export function billingReferenceProblem(failure: BillingReferenceFailure): HttpProblem {
  switch (failure.code) {
    case 'not_found':
      return new HttpProblem('not_found', failure.message);
    case 'invalid':
      return new HttpProblem('validation_failed', failure.message, [
        { field: failure.field, message: failure.message },
      ]);
    case 'unprocessable':
      return new HttpProblem('unprocessable', failure.message, [
        { field: failure.field, message: failure.message },
      ]);
    case 'conflict':
      return new HttpProblem(
        'conflict',
        failure.message,
        failure.field === null ? undefined : [{ field: failure.field, message: failure.message }],
      );
  }
}
