import type { UseCaseFailure } from '../outcomes/use-case-failure.js';
import { HttpProblem } from './problem.js';

/** The problem document for a use-case failure: the one place those outcomes become HTTP. */
export function failureProblem(failure: UseCaseFailure): HttpProblem {
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
