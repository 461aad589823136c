import { HttpProblem } from '../http/problem.js';
import type { BalanceFailure } from './balance-failure.js';

/** The problem document for a balance use-case failure: the one place these outcomes become HTTP. */
export function balanceFailureProblem(failure: BalanceFailure): HttpProblem {
  switch (failure.code) {
    case 'invalid':
      return new HttpProblem('validation_failed', failure.message, [
        { field: failure.field, message: failure.message },
      ]);
    case 'not_found':
    case 'conflict':
    case 'insufficient_balance':
    case 'voucher_not_redeemable':
      return new HttpProblem(failure.code, failure.message);
  }
}
